import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { warmUpAssistant } from '../../../graphs/assistant/warmup.js';
import { makeTestApp, tempDir } from '../../helpers/app.js';

const warmupDirs = () => readdirSync(tmpdir()).filter((f) => f.startsWith('podd-warmup-'));

describe('assistant warm-up at start-up', () => {
  it('runs every route on a throwaway store and removes it afterwards', async () => {
    const before = new Set(warmupDirs());
    const r = await warmUpAssistant({ turns: 40, defaultTimezone: 'Asia/Kolkata' });
    expect(r.turns).toBeGreaterThanOrEqual(40);
    expect(Object.keys(r.routes).sort()).toEqual(['chat', 'emergency', 'food', 'health_query', 'log', 'medication', 'recommendation', 'reminder']);
    expect(warmupDirs().filter((d) => !before.has(d))).toEqual([]);
  });

  it('does nothing when switched off', async () => {
    expect(await warmUpAssistant({ turns: 0, defaultTimezone: 'Asia/Kolkata' })).toEqual({ turns: 0, ms: 0, routes: {} });
  });

  it('is on by default outside tests, off under NODE_ENV=test, and settable', () => {
    const dir = tmpdir();
    expect(loadConfig({ PODD_DATA_DIR: dir, NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).assistant.warmupTurns).toBe(300);
    expect(loadConfig({ PODD_DATA_DIR: dir, NODE_ENV: 'test' }).assistant.warmupTurns).toBe(0);
    expect(loadConfig({ PODD_DATA_DIR: dir, NODE_ENV: 'test', ASSISTANT_WARMUP_TURNS: '20' }).assistant.warmupTurns).toBe(20);
    expect(() => loadConfig({ PODD_DATA_DIR: dir, ASSISTANT_WARMUP_TURNS: '-1' })).toThrow(/ASSISTANT_WARMUP_TURNS/);
  });

  it('runs before the app is ready, logs counts only, and leaves the app store untouched', async () => {
    const t = await makeTestApp({ env: { ASSISTANT_WARMUP_TURNS: '30' } });
    try {
      const line = t.logs().split('\n').find((l) => l.includes('assistant warmed up'));
      expect(line).toBeDefined();
      const logged = JSON.parse(line!);
      expect(logged.turns).toBeGreaterThanOrEqual(30);
      expect(line).not.toMatch(/Metformin|idli|warmup-/);
      expect(await t.app.services.health.forUser('warmup').list('medication')).toMatchObject({ items: [] });
      expect(await t.app.services.health.forUser('warmup').list('chat')).toMatchObject({ items: [] });
    } finally {
      await t.close();
    }
  });
});

describe('assistant warm-up failure', () => {
  it('logs and starts anyway when the warm-up cannot run (no writable temp directory)', async () => {
    const dataDir = tempDir();
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = '/nonexistent/podd-no-tmp';
    try {
      const t = await makeTestApp({ dataDir, env: { ASSISTANT_WARMUP_TURNS: '5' } });
      try {
        expect(t.logs()).toContain('assistant warm-up skipped');
        expect(t.logs()).not.toContain('assistant warmed up');
        expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
      } finally {
        await t.close();
      }
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
