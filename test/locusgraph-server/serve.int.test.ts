/** `npm run locusgraph` as a real process: settings, listening, auth, graceful stop. */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HttpLocusGraph } from '../../src/locusgraph/http-client.js';
import { readServeSettings } from '../../src/locusgraph-server/serve-settings.js';
import { tempDataDir } from '../locusgraph/helpers.js';

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/locusgraph-server/serve.ts'], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (err += c));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const line = out.split('\n').find((l) => l.includes('locusgraph listening'));
      if (line) resolve((JSON.parse(line) as { address: string }).address);
    });
    void exited.then(() => reject(new Error(`exited early: ${err}`)));
  });
  listening.catch(() => {});
  return { child, exited, listening, output: () => out, errors: () => err };
}

describe('npm run locusgraph', () => {
  it('refuses to start without an agent secret, naming the variable', async () => {
    const tmp = tempDataDir();
    const p = run({ PODD_DATA_DIR: tmp.dir });
    expect(await p.exited).toBe(1);
    expect(p.errors()).toContain('LOCUSGRAPH_AGENT_SECRET');
    tmp.remove();
  });

  it('serves the embedded store with agent-secret auth and stops cleanly on SIGTERM', async () => {
    const tmp = tempDataDir();
    const secret = randomBytes(16).toString('hex');
    const p = run({ LOCUSGRAPH_AGENT_SECRET: secret, LOCUSGRAPH_PORT: '0', PODD_DATA_DIR: tmp.dir, PODD_DATA_KEY: tmp.key.toString('hex') });
    try {
      const address = await p.listening;
      const lg = new HttpLocusGraph({ baseUrl: address, agentSecret: secret, retries: 0 });
      await lg.storeEvent({ graph_id: 'g1', event_kind: 'fact', context_id: 'water:w1', payload: { amount_ml: 321 } });
      expect((await lg.getContext('g1', 'water:w1'))!.payload).toEqual({ amount_ml: 321 });
      const wrong = new HttpLocusGraph({ baseUrl: address, agentSecret: 'wrong', retries: 0 });
      await expect(wrong.getContext('g1', 'water:w1')).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
      expect(existsSync(join(tmp.dir, 'locusgraph.db'))).toBe(true);
      // No payload values in the logs.
      expect(p.output()).not.toContain('321');
    } finally {
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
      tmp.remove();
    }
  });

  it('reads LOCUSGRAPH_PORT before PORT and generates a data key when none is given', () => {
    const tmp = tempDataDir();
    const s = readServeSettings({ LOCUSGRAPH_AGENT_SECRET: 'x'.repeat(16), PORT: '9000', LOCUSGRAPH_PORT: '9100', PODD_DATA_DIR: tmp.dir });
    expect(s.port).toBe(9100);
    expect(s.dataKey).toHaveLength(32);
    expect(readServeSettings({ LOCUSGRAPH_AGENT_SECRET: 'x'.repeat(16), PODD_DATA_DIR: tmp.dir }).dataKey.equals(s.dataKey)).toBe(true);
    expect(() => readServeSettings({ LOCUSGRAPH_AGENT_SECRET: 'short', PODD_DATA_DIR: tmp.dir })).toThrow(/LOCUSGRAPH_AGENT_SECRET/);
    expect(() => readServeSettings({ LOCUSGRAPH_AGENT_SECRET: 'x'.repeat(16), PODD_DATA_KEY: 'abc', PODD_DATA_DIR: tmp.dir })).toThrow(/PODD_DATA_KEY/);
    tmp.remove();
  });
});
