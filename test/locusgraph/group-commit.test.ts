/**
 * The embedded store's group commit: writes called in one event-loop turn share one transaction,
 * each under its own savepoint. Failures are induced in SQLite itself (triggers created from a
 * second connection, a write lock held by another connection), never by stubbing our code.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openEncryptedDatabase, type SqliteDatabase } from '../../src/db/sqlite.js';
import { AppError } from '../../src/errors.js';
import { EmbeddedLocusGraph } from '../../src/locusgraph/embedded.js';
import { GroupCommit } from '../../src/locusgraph/group-commit.js';
import type { EventInput } from '../../src/locusgraph/port.js';
import { tempDataDir } from './helpers.js';

const ev = (graph_id: string, context_id: string, payload: Record<string, unknown>, extra: Partial<EventInput> = {}): EventInput => ({
  graph_id,
  event_kind: 'fact',
  context_id,
  payload,
  ...extra,
});

describe('embedded group commit', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  function open(opts: { busyTimeoutMs?: number; checkpointEveryWrites?: number } = {}) {
    const tmp = tempDataDir();
    const lg = new EmbeddedLocusGraph({ dataDir: tmp.dir, key: tmp.key, groupCommit: true, ...opts });
    cleanups.push(() => tmp.remove());
    cleanups.push(() => lg.close());
    return { lg, tmp };
  }

  function rawConnection(lg: EmbeddedLocusGraph, key: Buffer): SqliteDatabase {
    const db = openEncryptedDatabase(lg.path, key);
    cleanups.push(() => {
      db.close();
    });
    return db;
  }

  it('runs the writes of one turn in call order: a later write sees an earlier one', async () => {
    const { lg } = open();
    const calls = [
      lg.storeEvent(ev('g1', 'water:x', { amount_ml: 1 })),
      lg.storeEvent(ev('g1', 'water:x', { amount_ml: 2 })),
      lg.forgetContext('g1', 'water:x'),
      lg.storeEvent(ev('g1', 'water:x', { amount_ml: 3 })),
      lg.storeBatch([ev('g1', 'water:x', { amount_ml: 4 }, { replace: true }), ev('g1', 'water:y', { amount_ml: 5 })]),
    ];
    const settled = await Promise.allSettled(calls);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(((settled[1] as PromiseRejectedResult).reason as AppError).code).toBe('CONFLICT');
    expect((settled[2] as PromiseFulfilledResult<unknown>).value).toEqual({ forgotten: true });
    expect(((settled[3] as PromiseFulfilledResult<{ status: string }>).value).status).toBe('created');
    expect(((settled[4] as PromiseFulfilledResult<Array<{ status: string }>>).value).map((r) => r.status)).toEqual(['replaced', 'created']);
    expect((await lg.getContext('g1', 'water:x'))!.payload).toEqual({ amount_ml: 4 });
  });

  it('a read sees every write called before it, even one still queued', async () => {
    const { lg } = open();
    const write = lg.storeEvent(ev('g1', 'medication:m1', { name: 'Amlodipine', quantity: 10 }));
    expect((await lg.getContext('g1', 'medication:m1'))!.payload).toEqual({ name: 'Amlodipine', quantity: 10 });
    expect((await write).status).toBe('created');
    // Read-modify-write from five concurrent callers: each caller's continuation runs alone, so
    // none of them reads a stock another has already taken from.
    await Promise.all(
      Array.from({ length: 5 }, async () => {
        await lg.storeEvent(ev('g1', `medication_log:${Math.random().toString(36).slice(2)}`, { status: 'taken' }));
        const med = (await lg.getContext('g1', 'medication:m1'))!;
        const quantity = (med.payload.quantity as number) - 1;
        await lg.storeEvent(ev('g1', 'medication:m1', { ...med.payload, quantity }, { replace: true }));
      }),
    );
    expect((await lg.getContext('g1', 'medication:m1'))!.payload.quantity).toBe(5);
  });

  it('two group-committing connections to one file still keep one memory per context', async () => {
    const tmp = tempDataDir();
    cleanups.push(() => tmp.remove());
    const a = new EmbeddedLocusGraph({ dataDir: tmp.dir, key: tmp.key, groupCommit: true });
    const b = new EmbeddedLocusGraph({ dataDir: tmp.dir, key: tmp.key, groupCommit: true });
    cleanups.push(() => a.close());
    cleanups.push(() => b.close());
    const fire = (by: string) => ev('g1', 'notification:n1', { by });
    const settled = await Promise.allSettled([a.storeEvent(fire('a')), b.storeEvent(fire('b')), a.storeEvent(fire('a2')), b.storeEvent(fire('b'))]);
    const created = settled.filter((s) => s.status === 'fulfilled' && (s.value as { status: string }).status === 'created');
    expect(created).toHaveLength(1);
    const stored = (await b.getContext('g1', 'notification:n1'))!.payload;
    expect(await a.getContext('g1', 'notification:n1')).toMatchObject({ payload: stored });
    for (const s of settled) {
      if (s.status === 'rejected') expect((s.reason as AppError).code).toBe('CONFLICT');
      else expect(['created', 'unchanged']).toContain((s.value as { status: string }).status);
    }
  });

  it('a statement that fails inside the group fails only its own call; the calls before and after it commit', async () => {
    const { lg, tmp } = open();
    await lg.storeEvent(ev('g1', 'water:seed', { amount_ml: 1 }));
    rawConnection(lg, tmp.key).exec(
      `CREATE TRIGGER refuse_abort BEFORE INSERT ON events WHEN NEW.cname LIKE 'abort%' BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END;`,
    );
    const settled = await Promise.allSettled([
      lg.storeEvent(ev('g1', 'food:before', { description: 'mango lassi' })),
      lg.storeEvent(ev('g1', 'food:abort1', { description: 'papaya' })),
      lg.storeEvent(ev('g2', 'food:after', { description: 'guava' })),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((settled[1] as PromiseRejectedResult).reason)).toContain('refused by test trigger');
    expect(await lg.getContext('g1', 'food:before')).not.toBeNull();
    expect(await lg.getContext('g2', 'food:after')).not.toBeNull();
    expect(await lg.getContext('g1', 'food:abort1')).toBeNull();
    // Its savepoint was rolled back whole: no orphan text left in the search index.
    expect((await lg.searchMemories({ graph_id: 'g1', query: 'papaya' })).items).toEqual([]);
    expect((await lg.searchMemories({ graph_id: 'g1', query: 'mango' })).items).toHaveLength(1);
  });

  it('when SQLite rolls back the whole transaction, every call of the group fails and none is written', async () => {
    const { lg, tmp } = open();
    await lg.storeEvent(ev('g_old', 'water:seed', { amount_ml: 1 }));
    rawConnection(lg, tmp.key).exec(
      `CREATE TRIGGER refuse_all BEFORE INSERT ON events WHEN NEW.cname LIKE 'rollback%' BEGIN SELECT RAISE(ROLLBACK, 'rolled back by test trigger'); END;`,
    );
    const settled = await Promise.allSettled([
      lg.storeEvent(ev('g_new', 'water:a', { amount_ml: 1 })),
      lg.storeEvent(ev('g_old', 'water:b', { amount_ml: 2 })),
      lg.storeEvent(ev('g_old', 'water:rollback1', { amount_ml: 3 })),
      lg.storeEvent(ev('g_old', 'water:c', { amount_ml: 4 })),
      lg.forgetContext('g_old', 'water:seed'),
    ]);
    for (const s of settled) {
      expect(s.status).toBe('rejected');
      expect(String((s as PromiseRejectedResult).reason)).toContain('rolled back by test trigger');
    }
    expect(await lg.getContext('g_new', 'water:a')).toBeNull();
    expect((await lg.listContextType('g_old', 'water')).items.map((e) => e.context_id)).toEqual(['water:seed']);

    // g_new's graph row was rolled back, so its number is free again: another new graph takes
    // it, and g_new must then get a number of its own, not write into that graph.
    await lg.storeEvent(ev('g_other', 'water:mine', { amount_ml: 5 }));
    expect((await lg.storeEvent(ev('g_new', 'water:a', { amount_ml: 1 }))).status).toBe('created');
    expect((await lg.listContextType('g_other', 'water')).items.map((e) => e.context_id)).toEqual(['water:mine']);
    expect((await lg.listContextType('g_new', 'water')).items.map((e) => e.context_id)).toEqual(['water:a']);
  });

  it('when the write lock cannot be had, every queued call fails with SQLITE_BUSY and none is written; the next write succeeds', async () => {
    const { lg, tmp } = open({ busyTimeoutMs: 20 });
    await lg.storeEvent(ev('g1', 'water:seed', { amount_ml: 1 }));
    const other = rawConnection(lg, tmp.key);
    other.prepare('BEGIN IMMEDIATE').run();
    const settled = await Promise.allSettled([
      lg.storeEvent(ev('g1', 'water:a', { amount_ml: 1 })),
      lg.storeBatch([ev('g1', 'water:b', { amount_ml: 2 })]),
      lg.forgetContext('g1', 'water:seed'),
    ]);
    other.prepare('ROLLBACK').run();
    for (const s of settled) {
      expect(s.status).toBe('rejected');
      expect(((s as PromiseRejectedResult).reason as { code?: string }).code).toBe('SQLITE_BUSY');
    }
    expect((await lg.listContextType('g1', 'water')).items.map((e) => e.context_id)).toEqual(['water:seed']);
    expect((await lg.storeEvent(ev('g1', 'water:a', { amount_ml: 1 }))).status).toBe('created');
  });

  it('close() commits the writes already called, empties the WAL, and refuses calls made after it', async () => {
    const tmp = tempDataDir();
    cleanups.push(() => tmp.remove());
    const lg = new EmbeddedLocusGraph({ dataDir: tmp.dir, key: tmp.key, groupCommit: true });
    const pending = Array.from({ length: 30 }, (_, i) => lg.storeEvent(ev('g1', `water:w${i}`, { amount_ml: i })));
    const closing = lg.close();
    await expect(lg.storeEvent(ev('g1', 'water:late', { amount_ml: 1 }))).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    await closing;
    expect((await Promise.all(pending)).every((r) => r.status === 'created')).toBe(true);
    const wal = `${lg.path}-wal`;
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);

    const again = new EmbeddedLocusGraph({ dataDir: tmp.dir, key: tmp.key });
    cleanups.push(() => again.close());
    expect((await again.listContextType('g1', 'water', { limit: 100 })).items).toHaveLength(30);
    expect(await again.getContext('g1', 'water:late')).toBeNull();
  });
});

describe('embedded WAL checkpoints', () => {
  it('copies the WAL back on the worker between commits, so the WAL starts over instead of growing', async () => {
    const tmp = tempDataDir();
    const rounds: Array<{ log: number; checkpointed: number; finishedOnMain: number }> = [];
    const lg = new EmbeddedLocusGraph({ dataDir: tmp.dir, key: tmp.key, groupCommit: true, checkpointEveryWrites: 40, onCheckpoint: (r) => rounds.push(r) });
    const walSizes: number[] = [];
    try {
      for (let round = 0; round < 6; round++) {
        for (let chunk = 0; chunk < 4; chunk++) {
          await Promise.all(
            Array.from({ length: 10 }, (_, i) => lg.storeEvent(ev('g1', `food:r${round}c${chunk}i${i}`, { description: `meal ${round} ${chunk} ${i}` }))),
          );
        }
        await lg.settle();
        walSizes.push(statSync(`${lg.path}-wal`).size);
      }
      expect(rounds.length).toBeGreaterThanOrEqual(6);
      // Every round ended with the tail copied on the main connection...
      expect(rounds.every((r) => r.finishedOnMain >= 0 && r.checkpointed > 0)).toBe(true);
      // ...so each round's writes reuse the WAL from its start: same-sized rounds, same-sized file.
      expect(walSizes[5]!).toBeLessThan(walSizes[0]! * 2);
      expect(Math.max(...rounds.map((r) => r.log))).toBeLessThan(rounds.reduce((a, r) => a + r.log, 0) / 3);
      expect((await lg.listContextType('g1', 'food', { limit: 1000 })).items).toHaveLength(240);
    } finally {
      await lg.close();
    }
    const again = new EmbeddedLocusGraph({ dataDir: tmp.dir, key: tmp.key });
    try {
      expect((await again.searchMemories({ graph_id: 'g1', query: 'meal', limit: 100 })).items).toHaveLength(100);
      expect((await again.listContextType('g1', 'food', { limit: 1000 })).items).toHaveLength(240);
    } finally {
      await again.close();
      tmp.remove();
    }
  });
});

describe('embedded WAL checkpoints under writes that never pause', () => {
  // The WAL header's checkpoint sequence number (bytes 12-15, plaintext: only frames are
  // encrypted) goes up each time a writer starts the WAL over from its beginning.
  const walRestarts = (path: string) => readFileSync(`${path}-wal`).readUInt32BE(12);

  it('still starts the WAL over after every round, even when the writer never yields to the event loop', async () => {
    const tmp = tempDataDir();
    let rounds = 0;
    const lg = new EmbeddedLocusGraph({ dataDir: tmp.dir, key: tmp.key, checkpointEveryWrites: 30, onCheckpoint: () => void rounds++ });
    try {
      let n = 0;
      // Writes commit on their own (no group commit), so this loop never reaches the event loop,
      // like a bulk import: the worker's hand-back must not depend on it.
      const write = () => lg.storeEvent(ev('g1', `water:w${n++}`, { amount_ml: n }));
      while (rounds < 1 && n < 50_000) await write();
      const before = walRestarts(lg.path);
      const target = rounds + 5;
      while (rounds < target && n < 50_000) await write();
      await write();
      expect(rounds).toBeGreaterThanOrEqual(target);
      expect(walRestarts(lg.path) - before).toBeGreaterThanOrEqual(5);
    } finally {
      await lg.close();
      tmp.remove();
    }
  });
});

describe('group commit leader', () => {
  const setup = () => {
    const tmp = tempDataDir();
    const db = openEncryptedDatabase(`${tmp.dir}/leader.db`, tmp.key);
    db.exec('CREATE TABLE t (v INTEGER)');
    const commits: number[] = [];
    const gc = new GroupCommit(db, { onCommit: (w) => commits.push(w) });
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const write = (v: number) => gc.enqueue(() => insert.run(v).changes);
    const rows = () => (db.prepare('SELECT v FROM t ORDER BY rowid').all() as Array<{ v: number }>).map((r) => r.v);
    return { gc, insert, commits, write, rows, done: () => (db.close(), tmp.remove()) };
  };
  const nextTurn = () => new Promise((r) => setImmediate(r));

  it('a write to an idle store commits at once: its caller goes on before the event loop turns', async () => {
    const s = setup();
    let turned = false;
    setImmediate(() => (turned = true));
    expect(await s.write(1)).toBe(1);
    expect(turned).toBe(false);
    expect(s.commits).toEqual([1]);
    expect(s.rows()).toEqual([1]);
    s.done();
  });

  it('writes after it in the same turn share one commit; once the store is idle again, a write commits at once', async () => {
    const s = setup();
    await Promise.all([1, 2, 3, 4, 5].map(s.write));
    expect(s.commits).toEqual([1, 4]);
    for (let i = 0; i < 3; i++) await nextTurn();
    let turned = false;
    setImmediate(() => (turned = true));
    await s.write(6);
    expect(turned).toBe(false);
    expect(s.commits).toEqual([1, 4, 1]);
    expect(s.rows()).toEqual([1, 2, 3, 4, 5, 6]);
    s.done();
  });

  it('under writes in every turn nothing commits alone: one commit per turn holds all of its writes', async () => {
    const s = setup();
    for (let turn = 0; turn < 6; turn++) {
      void Promise.all([0, 1, 2].map((i) => s.write(turn * 3 + i)));
      await nextTurn();
    }
    await nextTurn();
    expect(s.commits).toEqual([1, 2, 3, 3, 3, 3, 3]);
    expect(s.rows()).toEqual(Array.from({ length: 18 }, (_, i) => i));
    s.done();
  });

  it("a leader's failure rolls back and rejects only its own call; the turn's later writes still group", async () => {
    const s = setup();
    const failing = s.gc.enqueue(() => {
      s.insert.run(1);
      throw new Error('bad write');
    });
    const rest = [s.write(2), s.write(3)];
    await expect(failing).rejects.toThrow('bad write');
    expect(await Promise.all(rest)).toEqual([1, 1]);
    expect(s.commits).toEqual([0, 2]);
    expect(s.rows()).toEqual([2, 3]);
    s.done();
  });
});
