import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEncryptedDatabase } from '../../src/db/sqlite.js';
import { readdirSync, readFileSync } from 'node:fs';
import { CHECKPOINTER_NICENESS, WalCheckpointer } from '../../src/locusgraph/wal-checkpointer.js';
import { tempDataDir } from './helpers.js';

function makeDb(dir: string, key: Buffer) {
  const path = join(dir, 'c.db');
  const db = openEncryptedDatabase(path, key);
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE t (x BLOB)');
  const ins = db.prepare('INSERT INTO t VALUES (randomblob(2000))');
  for (let i = 0; i < 50; i++) ins.run();
  return { db, path };
}

describe('WalCheckpointer', () => {
  it('checkpoints on its worker, then lets the writing connection finish the tail', async () => {
    const tmp = tempDataDir();
    const { db, path } = makeDb(tmp.dir, tmp.key);
    const results: Array<{ log: number; checkpointed: number; finishedOnMain: number }> = [];
    let mainCalls = 0;
    const cp = new WalCheckpointer({
      path,
      key: tmp.key,
      everyWrites: 10,
      finishOnMain: () => {
        mainCalls++;
        return (db.pragma('wal_checkpoint(PASSIVE)') as Array<{ checkpointed: number }>)[0]!.checkpointed;
      },
      onFailure: (code) => {
        throw new Error(`unexpected failure ${code}`);
      },
      onCheckpoint: (r) => results.push(r),
    });
    try {
      cp.noteCommit(9);
      await cp.settled();
      expect(results).toHaveLength(0);
      cp.noteCommit(1);
      await cp.settled();
      expect(results).toHaveLength(1);
      expect(mainCalls).toBe(1);
      expect(results[0]!.checkpointed).toBeGreaterThanOrEqual(50);
      expect(results[0]!.finishedOnMain).toBe(0);
    } finally {
      await cp.close();
      db.close();
      tmp.remove();
    }
  });

  it('reports a worker that cannot open the database (wrong key) once, instead of failing writes', async () => {
    const tmp = tempDataDir();
    const { db, path } = makeDb(tmp.dir, tmp.key);
    const failures: string[] = [];
    const cp = new WalCheckpointer({ path, key: randomBytes(32), everyWrites: 1, finishOnMain: () => 0, onFailure: (c) => failures.push(c) });
    try {
      cp.noteCommit(1);
      await cp.settled();
      cp.noteCommit(5);
      await cp.settled();
      expect(failures).toEqual(['SQLITE_NOTADB']);
    } finally {
      await cp.close();
      db.close();
      tmp.remove();
    }
  });

  it('runs its worker thread below the event loop: only that thread is deprioritized', async () => {
    const niceByThread = () =>
      new Map(readdirSync('/proc/self/task').map((tid) => {
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        return [Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])] as const;
      }));
    const before = niceByThread();
    const tmp = tempDataDir();
    const { db, path } = makeDb(tmp.dir, tmp.key);
    const cp = new WalCheckpointer({ path, key: tmp.key, everyWrites: 1, finishOnMain: () => 0, onFailure: (code) => { throw new Error(code); } });
    try {
      cp.noteCommit(1);
      await cp.settled();
      const after = niceByThread();
      const added = [...after].filter(([tid]) => !before.has(tid)).map(([, nice]) => nice);
      expect(added).toContain(CHECKPOINTER_NICENESS);
      // This thread (the one the test, like the event loop, runs on) keeps its priority.
      for (const [tid, nice] of before) if (after.has(tid)) expect(after.get(tid)).toBe(nice);
    } finally {
      await cp.close();
      db.close();
      tmp.remove();
    }
  });
});
