/**
 * GET /api/auth/me (full app: helmet, CORS, rate limit, auth hook, user lookup, zod serializer)
 * against a bare fastify route that verifies the same JWT with jose and returns a constant.
 * Alternating rounds so both see the same machine state.
 */
import Fastify from 'fastify';
import { jwtVerify } from 'jose';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { importHs256Key } from '../src/auth/tokens.js';
import { autocannon, benchDir, median, registerBenchUser, round } from './_lib.js';

export default async function benchAuth() {
  const config = loadConfig({
    PODD_DATA_DIR: benchDir('auth'),
    LOG_LEVEL: 'silent',
    API_RATE_LIMIT_PER_MIN: '1000000',
    LOGIN_RATE_LIMIT_PER_MIN: '10000',
    REGISTER_RATE_LIMIT_PER_MIN: '10000',
  });
  const app = await buildApp({ config, logger: createLogger('silent') });
  const appUrl = await app.listen({ port: 0, host: '127.0.0.1' });

  // The baseline gets the same one-time key import our AccessTokens does.
  const key = await importHs256Key(config.auth.jwtSecret);
  const baseline = Fastify({ logger: false });
  baseline.get('/me', async (req, reply) => {
    const token = (req.headers.authorization ?? '').slice(7);
    try {
      await jwtVerify(token, key, { algorithms: ['HS256'] });
    } catch {
      return reply.status(401).send({ error: 'unauthorized' });
    }
    return { id: 'constant', email: 'constant@example.com', name: 'Constant', created_at: '2026-01-01T00:00:00.000Z' };
  });
  const baseUrl = await baseline.listen({ port: 0, host: '127.0.0.1' });

  const reg = await registerBenchUser(appUrl);
  const headers = { authorization: `Bearer ${reg.access_token}` };

  const loginMs: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    const r = await fetch(`${appUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bench@example.com', password: 'bench password 1' }),
    });
    if (r.status !== 200) throw new Error(`login failed ${r.status}`);
    loginMs.push(performance.now() - t0);
  }

  const me: Awaited<ReturnType<typeof autocannon>>[] = [];
  const base: Awaited<ReturnType<typeof autocannon>>[] = [];
  for (let round_ = 0; round_ < 2; round_++) {
    me.push(await autocannon({ url: `${appUrl}/api/auth/me`, headers, durationS: 5 }));
    base.push(await autocannon({ url: `${baseUrl}/me`, headers, durationS: 5 }));
  }
  await app.close();
  await baseline.close();
  if (me.some((r) => r.non2xx > 0 || r.errors > 0)) throw new Error('benchmark saw failed requests');

  const meRps = me.reduce((a, r) => a + r.rps, 0) / me.length;
  const baseRps = base.reduce((a, r) => a + r.rps, 0) / base.length;
  return {
    me_rps: Math.round(meRps),
    baseline_rps: Math.round(baseRps),
    ratio: round(meRps / baseRps),
    me_p99_ms: Math.max(...me.map((r) => r.p99Ms)),
    login_ms_median: round(median(loginMs), 1),
  };
}
