import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EmbeddedLocusGraph, SEARCH_WINDOW } from '../../src/locusgraph/embedded.js';
import { locusGraphContract } from './contract.js';
import { tempDataDir } from './helpers.js';

locusGraphContract('embedded', async () => {
  const tmp = tempDataDir();
  const lg = new EmbeddedLocusGraph({ dataDir: tmp.dir, key: tmp.key });
  return {
    lg,
    cleanup: async () => {
      await lg.close();
      tmp.remove();
    },
  };
});

locusGraphContract('embedded, group commit', async () => {
  const tmp = tempDataDir();
  const lg = new EmbeddedLocusGraph({ dataDir: tmp.dir, key: tmp.key, groupCommit: true });
  return {
    lg,
    cleanup: async () => {
      await lg.close();
      tmp.remove();
    },
  };
});

describe('embedded store on disk', () => {
  it('keeps payloads, indexes and the WAL encrypted: a distinctive string is in no file of the data dir', async () => {
    const tmp = tempDataDir();
    const lg = new EmbeddedLocusGraph({ dataDir: tmp.dir, key: tmp.key });
    const marker = 'Zebracorn' + randomBytes(6).toString('hex');
    try {
      await lg.storeEvent({ graph_id: 'g1', event_kind: 'fact', context_id: 'food:x', payload: { description: `${marker} biryani` } });
      await lg.storeBatch(
        Array.from({ length: 200 }, (_, i) => ({ graph_id: 'g1', event_kind: 'fact' as const, context_id: `food:n${i}`, payload: { description: `${marker} meal ${i}` } })),
      );
      // The WAL holds the pages before a checkpoint; search exercises the FTS pages too.
      expect((await lg.searchMemories({ graph_id: 'g1', query: marker })).items.length).toBeGreaterThan(0);
      const files = readdirSync(tmp.dir);
      expect(files).toContain('locusgraph.db');
      expect(files).toContain('locusgraph.db-wal');
      const needles = [Buffer.from(marker, 'utf8'), Buffer.from(marker.toLowerCase(), 'utf8'), Buffer.from('biryani')];
      for (const f of files) {
        const bytes = readFileSync(join(tmp.dir, f));
        for (const n of needles) expect(bytes.includes(n), `${f} contains plaintext`).toBe(false);
      }
    } finally {
      await lg.close();
      tmp.remove();
    }
  });

  it('persists across reopen with the same key and refuses a wrong key', async () => {
    const tmp = tempDataDir();
    try {
      const lg = new EmbeddedLocusGraph({ dataDir: tmp.dir, key: tmp.key });
      await lg.storeEvent({ graph_id: 'g1', event_kind: 'fact', context_id: 'water:w', payload: { amount_ml: 250, note: 'after walk' } });
      await lg.close();
      const again = new EmbeddedLocusGraph({ dataDir: tmp.dir, key: tmp.key });
      expect((await again.getContext('g1', 'water:w'))!.payload).toEqual({ amount_ml: 250, note: 'after walk' });
      expect((await again.searchMemories({ graph_id: 'g1', query: 'walk' })).items).toHaveLength(1);
      await again.close();
      expect(() => new EmbeddedLocusGraph({ dataDir: tmp.dir, key: randomBytes(32) })).toThrow();
    } finally {
      tmp.remove();
    }
  });

  it('ranks text matches within the newest SEARCH_WINDOW, applying filters before the window', async () => {
    const tmp = tempDataDir();
    const lg = new EmbeddedLocusGraph({ dataDir: tmp.dir, key: tmp.key });
    try {
      await lg.storeEvent({ graph_id: 'g1', event_kind: 'fact', context_id: 'mood:old', payload: { notes: 'craving rice' } });
      const many = Array.from({ length: SEARCH_WINDOW + 100 }, (_, i) => ({
        graph_id: 'g1',
        event_kind: 'fact' as const,
        context_id: `food:f${i}`,
        payload: { description: i % 2 ? 'rice and dal' : 'lemon rice' },
      }));
      await lg.storeBatch(many);
      const hits = await lg.searchMemories({ graph_id: 'g1', query: 'rice', limit: 100 });
      expect(hits.items).toHaveLength(100);
      const oldest = SEARCH_WINDOW + 100 - SEARCH_WINDOW;
      expect(hits.items.every((h) => Number(h.context_ids[0]!.slice('food:f'.length)) >= oldest)).toBe(true);
      const mood = await lg.searchMemories({ graph_id: 'g1', query: 'rice', context_types: { mood: [] } });
      expect(mood.items.map((h) => h.context_ids[0])).toEqual(['mood:old']);
    } finally {
      await lg.close();
      tmp.remove();
    }
  });

  it('indexes the words of string values, not keys, numbers, ids or times', async () => {
    const tmp = tempDataDir();
    const lg = new EmbeddedLocusGraph({ dataDir: tmp.dir, key: tmp.key });
    try {
      await lg.storeEvent({
        graph_id: 'g1',
        event_kind: 'fact',
        context_id: 'vitals:v1',
        payload: { blood_pressure_systolic: 142, medication_id: 'medication:metformin', logged_at: '2026-02-18T08:00:00Z', notes: 'Felt dizzy' },
      });
      const q = async (query: string) => (await lg.searchMemories({ graph_id: 'g1', query })).items.length;
      expect(await q('dizzy')).toBe(1);
      expect(await q('felt dizzy')).toBe(1);
      for (const miss of ['blood', 'systolic', '142', 'metformin', 'vitals', '2026']) expect(await q(miss), miss).toBe(0);
    } finally {
      await lg.close();
      tmp.remove();
    }
  });

  it('two connections to one file (two processes sharing a data dir) see one memory per context', async () => {
    const tmp = tempDataDir();
    const a = new EmbeddedLocusGraph({ dataDir: tmp.dir, key: tmp.key });
    const b = new EmbeddedLocusGraph({ dataDir: tmp.dir, key: tmp.key });
    try {
      const fire = { graph_id: 'g1', event_kind: 'fact' as const, context_id: 'notification:a1-2026-02-18-0800', payload: { by: 'a' } };
      expect((await a.storeEvent(fire)).status).toBe('created');
      await expect(b.storeEvent({ ...fire, payload: { by: 'b' } })).rejects.toMatchObject({ code: 'CONFLICT' });
      expect((await b.storeEvent(fire)).status).toBe('unchanged');
      await b.storeEvent({ ...fire, context_id: 'notification:other', graph_id: 'g2' });
      expect((await a.listContextType('g2', 'notification')).items).toHaveLength(1);
      expect(await b.forgetContext('g1', fire.context_id)).toEqual({ forgotten: true });
      expect(await a.getContext('g1', fire.context_id)).toBeNull();
    } finally {
      await a.close();
      await b.close();
      tmp.remove();
    }
  });

  it('reports UPSTREAM_UNAVAILABLE once closed', async () => {
    const tmp = tempDataDir();
    const lg = new EmbeddedLocusGraph({ dataDir: tmp.dir, key: tmp.key });
    await lg.close();
    await expect(lg.getContext('g1', 'water:w')).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    tmp.remove();
  });
});
