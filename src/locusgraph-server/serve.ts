/**
 * `npm run locusgraph`: serves the embedded store over the LocusGraph v1 API so several Podd
 * instances (LOCUSGRAPH_URL + LOCUSGRAPH_AGENT_SECRET) can share one store.
 */
import pino from 'pino';
import { EmbeddedLocusGraph } from '../locusgraph/embedded.js';
import { buildLocusGraphServer } from './server.js';
import { readServeSettings, type ServeSettings } from './serve-settings.js';

async function main(): Promise<void> {
  let settings: ServeSettings;
  try {
    settings = readServeSettings(process.env);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
  const logger = pino({ level: settings.logLevel, base: { service: 'locusgraph' } });
  const store = new EmbeddedLocusGraph({ dataDir: settings.dataDir, key: settings.dataKey });
  const app = buildLocusGraphServer({ store, agentSecret: settings.agentSecret, logger });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  const address = await app.listen({ port: settings.port, host: settings.host });
  logger.info({ address }, 'locusgraph listening');
}

await main();
