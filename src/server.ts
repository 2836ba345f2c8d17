import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`podd: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const app = await buildApp({ config, reminders: { start: true, cron: true } });
  // SIGTERM/SIGINT: stop accepting, let in-flight requests finish, close sockets and databases.
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down');
    await app.close();
  });
  await app.listen({ port: config.port, host: config.host });
}

void main();
