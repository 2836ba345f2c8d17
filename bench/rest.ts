/**
 * POST /api/health/vitals (full app: helmet, CORS, rate limit, auth hook, zod body validation,
 * health service, embedded LocusGraph store) against a bare fastify route that verifies the same
 * JWT with jose and inserts one row into an encrypted WAL table of the same SQLite build.
 * Alternating rounds so both see the same machine state; 50 connections.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Fastify from 'fastify';
import { jwtVerify } from 'jose';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openEncryptedDatabase } from '../src/db/sqlite.js';
import { createLogger } from '../src/logger.js';
import { autocannon, benchDir, registerBenchUser, round, type LoadResult } from './_lib.js';

const ROUNDS = 2;
const DURATION_S = 5;
const BODY = JSON.stringify({ blood_pressure_systolic: 128, blood_pressure_diastolic: 82, heart_rate: 74, notes: 'bench reading' });

export default async function benchRest() {
  const dir = benchDir('rest');
  const config = loadConfig({
    PODD_DATA_DIR: dir,
    LOG_LEVEL: 'silent',
    API_RATE_LIMIT_PER_MIN: '1000000',
    REGISTER_RATE_LIMIT_PER_MIN: '10000',
  });
  const app = await buildApp({ config, logger: createLogger('silent') });
  const appUrl = await app.listen({ port: 0, host: '127.0.0.1' });

  const db = openEncryptedDatabase(join(dir, 'baseline.db'), config.dataKey);
  db.exec('CREATE TABLE IF NOT EXISTS vitals (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, payload TEXT NOT NULL, created_at INTEGER NOT NULL)');
  const insert = db.prepare('INSERT INTO vitals (id, user_id, payload, created_at) VALUES (?, ?, ?, ?)');
  const baseline = Fastify({ logger: false });
  baseline.post('/vitals', async (req, reply) => {
    const token = (req.headers.authorization ?? '').slice(7);
    let sub: string;
    try {
      sub = String((await jwtVerify(token, config.auth.jwtSecret, { algorithms: ['HS256'] })).payload.sub);
    } catch {
      return reply.status(401).send({ error: 'unauthorized' });
    }
    const id = randomUUID();
    const now = Date.now();
    insert.run(id, sub, JSON.stringify(req.body), now);
    reply.status(201);
    return { id, ...(req.body as object), created_at: new Date(now).toISOString() };
  });
  const baseUrl = await baseline.listen({ port: 0, host: '127.0.0.1' });

  const reg = await registerBenchUser(appUrl);
  const headers = { authorization: `Bearer ${reg.access_token}`, 'content-type': 'application/json' };

  const load = (url: string) => autocannon({ url, method: 'POST', headers, body: BODY, connections: 50, durationS: DURATION_S });
  // A short warm-up of each, so JIT and SQLite page caches are not measured on one side only.
  await autocannon({ url: `${appUrl}/api/health/vitals`, method: 'POST', headers, body: BODY, connections: 10, durationS: 1 });
  await autocannon({ url: `${baseUrl}/vitals`, method: 'POST', headers, body: BODY, connections: 10, durationS: 1 });

  const subject: LoadResult[] = [];
  const base: LoadResult[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    subject.push(await load(`${appUrl}/api/health/vitals`));
    base.push(await load(`${baseUrl}/vitals`));
  }
  await app.close();
  await baseline.close();
  db.close();
  if ([...subject, ...base].some((r) => r.non2xx > 0 || r.errors > 0)) {
    throw new Error(`benchmark saw failed requests: ${JSON.stringify({ subject, base })}`);
  }

  const mean = (rs: LoadResult[]) => rs.reduce((a, r) => a + r.rps, 0) / rs.length;
  const vitalsRps = mean(subject);
  const baselineRps = mean(base);
  return {
    vitals_post_rps: Math.round(vitalsRps),
    baseline_rps: Math.round(baselineRps),
    ratio: round(vitalsRps / baselineRps),
    p99_ms: Math.max(...subject.map((r) => r.p99Ms)),
  };
}
