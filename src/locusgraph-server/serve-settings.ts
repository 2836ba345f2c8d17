/**
 * Settings for `npm run locusgraph`. Its own small schema rather than loadConfig(), because
 * loadConfig treats LOCUSGRAPH_AGENT_SECRET without LOCUSGRAPH_URL as a mistake, and that is
 * exactly this process's setup.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { loadOrCreateSecret } from '../config.js';

const port = z.coerce.number({ error: 'must be a number' }).int().min(0).max(65535);

const envSchema = z.object({
  LOCUSGRAPH_AGENT_SECRET: z.string({ error: 'is required' }).min(16, 'must be at least 16 characters'),
  LOCUSGRAPH_PORT: port.optional(),
  PORT: port.optional(),
  HOST: z.string().min(1).default('127.0.0.1'),
  PODD_DATA_DIR: z.string().min(1).default('./data'),
  PODD_DATA_KEY: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (a 256-bit key)').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface ServeSettings {
  agentSecret: string;
  port: number;
  host: string;
  dataDir: string;
  dataKey: Buffer;
  logLevel: string;
}

/** Validates the environment; throws one line naming the first bad variable. */
export function readServeSettings(env: NodeJS.ProcessEnv): ServeSettings {
  const cleaned: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') cleaned[k] = v;
  const r = envSchema.safeParse(cleaned);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new Error(`Invalid configuration: ${String(issue.path[0] ?? 'environment')} ${issue.message}`);
  }
  const e = r.data;
  const dataDir = resolve(e.PODD_DATA_DIR);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return {
    agentSecret: e.LOCUSGRAPH_AGENT_SECRET,
    port: e.LOCUSGRAPH_PORT ?? e.PORT ?? 8090,
    host: e.HOST,
    dataDir,
    dataKey: e.PODD_DATA_KEY ? Buffer.from(e.PODD_DATA_KEY, 'hex') : loadOrCreateSecret(dataDir, 'data_key', 32),
    logLevel: e.LOG_LEVEL,
  };
}
