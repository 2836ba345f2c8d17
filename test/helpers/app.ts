import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { buildApp, type AppOptions, type PoddApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { tickingClock } from './clock.js';

export interface TestApp {
  app: PoddApp;
  config: Config;
  dataDir: string;
  /** Every log line written so far, raw. */
  logs: () => string;
  close: () => Promise<void>;
}

export function tempDir(prefix = 'podd-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function makeTestApp(
  options: { env?: Record<string, string>; now?: () => number; dataDir?: string; beforeReady?: (app: PoddApp) => unknown; app?: Partial<Omit<AppOptions, 'config' | 'logger' | 'now'>> } = {},
): Promise<TestApp> {
  const dataDir = options.dataDir ?? tempDir();
  const config = loadConfig({ PODD_DATA_DIR: dataDir, NODE_ENV: 'test', LOG_LEVEL: 'info', ...options.env });
  let buffer = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      buffer += chunk.toString();
      cb();
    },
  });
  // The suite's clock unless the test brings its own: never the host's date.
  const now = options.now ?? tickingClock();
  const app = await buildApp({ ...options.app, config, logger: createLogger(config.logLevel, stream), now });
  await options.beforeReady?.(app);
  await app.ready();
  return {
    app,
    config,
    dataDir,
    logs: () => buffer,
    close: async () => {
      await app.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let counter = 0;
export async function registerUser(app: PoddApp, overrides: Partial<{ email: string; password: string; name: string }> = {}) {
  counter += 1;
  const body = {
    email: `user${counter}-${process.pid}-${Date.now()}@example.com`,
    password: 'correct horse battery',
    name: `Test User ${counter}`,
    ...overrides,
  };
  const res = await app.inject({ method: 'POST', url: '/api/auth/register', payload: body });
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${res.body}`);
  const json = res.json() as { access_token: string; refresh_token: string; user: { id: string; email: string; name: string; created_at: string } };
  return { ...json, password: body.password, email: json.user.email, auth: { authorization: `Bearer ${json.access_token}` } };
}
