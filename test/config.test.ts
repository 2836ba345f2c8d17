import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { tempDir } from './helpers/app.js';

const base = () => ({ PODD_DATA_DIR: tempDir() });

describe('config', () => {
  it('defaults to embedded mode with no keys', () => {
    const c = loadConfig(base());
    expect(c).toMatchObject({ port: 8080, host: '127.0.0.1', defaultTimezone: 'Asia/Kolkata', locusgraph: { mode: 'embedded' }, stt: { provider: 'local' }, tts: { provider: 'local' }, llm: { provider: 'none' } });
    expect(c.auth.accessTokenTtlS).toBe(900);
    expect(c.auth.refreshTokenTtlS).toBe(30 * 86400);
    expect(c.dataKey).toHaveLength(32);
  });

  it('generates JWT_SECRET and PODD_DATA_KEY once, 0600, and reuses them on restart', () => {
    const env = base();
    const a = loadConfig(env);
    const b = loadConfig(env);
    expect(Buffer.from(a.auth.jwtSecret).equals(Buffer.from(b.auth.jwtSecret))).toBe(true);
    expect(a.dataKey.equals(b.dataKey)).toBe(true);
    for (const f of ['jwt_secret', 'data_key']) {
      expect(statSync(join(env.PODD_DATA_DIR, 'secrets', f)).mode & 0o777).toBe(0o600);
    }
    const other = loadConfig(base());
    expect(other.dataKey.equals(a.dataKey)).toBe(false);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ ACCESS_TOKEN_TTL: 'forever' }, 'ACCESS_TOKEN_TTL'],
    [{ DEFAULT_TIMEZONE: 'Mars/Olympus' }, 'DEFAULT_TIMEZONE'],
    [{ PODD_DATA_KEY: 'abc' }, 'PODD_DATA_KEY'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ STT_PROVIDER: 'whisper' }, 'STT_PROVIDER'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ LOCUSGRAPH_URL: 'https://lg.example.com' }, 'LOCUSGRAPH_AGENT_SECRET'],
    [{ STT_PROVIDER: 'sarvam' }, 'SARVAM_API_KEY'],
    [{ SARVAM_BASE_URL: 'not a url', SARVAM_API_KEY: 'k' }, 'SARVAM_BASE_URL'],
  ])('rejects %o with one line naming %s', (env, name) => {
    let error: unknown;
    try {
      loadConfig({ ...base(), ...env });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(name);
    expect(message).not.toContain('\n');
  });

  it('accepts explicit secrets and hosted LocusGraph', () => {
    const c = loadConfig({ ...base(), JWT_SECRET: 's'.repeat(40), PODD_DATA_KEY: 'ab'.repeat(32), LOCUSGRAPH_URL: 'https://lg.example.com/', LOCUSGRAPH_AGENT_SECRET: 'agent' });
    expect(c.dataKey.toString('hex')).toBe('ab'.repeat(32));
    expect(c.locusgraph).toEqual({ mode: 'hosted', url: 'https://lg.example.com', agentSecret: 'agent', timeoutMs: 5000 });
  });
});
