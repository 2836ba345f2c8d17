/**
 * WAL checkpoints on a worker thread with its own connection, so the bulk of the copying never
 * runs inside a commit on the event loop.
 *
 * With SQLite's autocheckpoint, the commit that crosses the threshold copies the whole WAL back
 * into the database file (every page decrypted and re-encrypted: ~100 ms per 40 MB) and whatever
 * awaited that write waits with it. Here the main connection sets `wal_autocheckpoint = 0` and,
 * every `everyWrites` committed writes, the worker runs PASSIVE checkpoints, which never block
 * writers, so commits go on meanwhile.
 *
 * The WAL only starts over from its beginning when a writer finds every frame already copied, and
 * under a steady stream of commits a checkpoint on another thread never finishes between two of
 * them. So the worker repeats passes until the frames committed during its last pass are few,
 * then hands back to the main thread, which copies that short tail itself right after its next
 * commit, or when idle (`finishOnMain`): the commit after that restarts the WAL. Every round ends that way, so the WAL
 * stays bounded by one round's writes whatever the load.
 *
 * If the worker cannot start or fails, `onFailure` runs once and the caller falls back to
 * SQLite's own autocheckpoint: slower tails, never an unbounded WAL.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** The checkpoint worker's nice value: below the event loop (see src/voice/providers/priority.ts). */
export const CHECKPOINTER_NICENESS = 10;

const require = createRequire(import.meta.url);

// Plain CommonJS run with `eval`, so it needs no build step under tsx, vitest or dist alike. The
// cipher pragmas must match openEncryptedDatabase (src/db/sqlite.ts); if they ever drift, opening
// fails on the first read and the store falls back to autocheckpoint rather than misbehaving.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
// Background work: on Linux a nice value belongs to a thread, so this lowers only this worker,
// never the event loop a checkpoint pass would otherwise compete with for a core.
try { require('node:os').setPriority(workerData.niceness); } catch {}
const Database = require(workerData.driver);
const state = new Int32Array(workerData.state);
const report = (log, copied) => {
  Atomics.store(state, 1, log);
  Atomics.store(state, 2, copied);
  Atomics.store(state, 0, 2);
  parentPort.postMessage('done');
};
const failed = (err) => {
  Atomics.store(state, 0, 3);
  parentPort.postMessage({ type: 'error', code: String((err && err.code) || 'WORKER_FAILED') });
};
let db;
try {
  db = new Database(workerData.path, { fileMustExist: true });
  db.pragma("cipher='sqlcipher'");
  db.pragma('legacy=4');
  db.pragma('key="x\\'' + workerData.keyHex + '\\'"');
  db.prepare('SELECT count(*) FROM sqlite_master').get();
  db.pragma('synchronous = NORMAL');
  db.pragma('temp_store = MEMORY');
  db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
} catch (err) {
  db = undefined;
  failed(err);
}
parentPort.on('message', (m) => {
  if (m === 'close') {
    try { if (db) db.close(); } finally { parentPort.close(); }
    return;
  }
  if (!db) return;
  try {
    // A pass copies the frames that existed when it began; each pass after the first copies only
    // what was committed during the one before, so the passes shrink while writes go on.
    let [r] = db.pragma('wal_checkpoint(PASSIVE)');
    let copied = r.checkpointed;
    let tail = r.log;
    for (let i = 0; i < workerData.maxPasses && tail > workerData.tailFrames; i++) {
      const prev = r.log;
      [r] = db.pragma('wal_checkpoint(PASSIVE)');
      copied += Math.max(0, r.checkpointed - prev);
      tail = r.log >= prev ? r.log - prev : 0;
    }
    report(r.log, copied);
  } catch (err) {
    failed(err);
  }
});
`;

export interface CheckpointResult {
  /** WAL frames the worker saw at its last pass. */
  log: number;
  /** Frames the worker copied into the database file this round. */
  checkpointed: number;
  /** Frames the main thread copied to finish the round (the tail); -1 if it could not. */
  finishedOnMain: number;
}

export interface WalCheckpointerOptions {
  path: string;
  key: Buffer;
  /** Committed writes (events) between checkpoint rounds. */
  everyWrites?: number;
  /** The worker stops its passes once one copied no more than this many new frames. */
  tailFrames?: number;
  busyTimeoutMs?: number;
  /**
   * Runs a PASSIVE checkpoint on the writing connection, outside any transaction, returning the
   * WAL frames it found all copied (-1 if it could not); it only has to copy the worker's tail.
   */
  finishOnMain: () => number;
  /** The worker could not open the database or a checkpoint failed; called at most once. */
  onFailure: (code: string) => void;
  /** After every round, for tests and diagnostics. */
  onCheckpoint?: (r: CheckpointResult) => void;
}

export class WalCheckpointer {
  private worker: Worker | undefined;
  private writesSince = 0;
  private inFlight = false;
  private failed = false;
  private closed = false;
  private readonly everyWrites: number;
  private readonly idle: Array<() => void> = [];
  // [state, log, copied]; state 0 idle, 1 running, 2 worker done, 3 worker failed. Shared memory,
  // so a writer that never yields to the event loop (a bulk import loop) still sees a finished
  // round at its next commit instead of letting the WAL grow until it pauses.
  private readonly state = new Int32Array(new SharedArrayBuffer(12));

  constructor(private readonly opts: WalCheckpointerOptions) {
    this.everyWrites = opts.everyWrites ?? 1000;
  }

  /**
   * Called after every commit, outside any transaction: finishes a round the worker is done
   * with, counts committed writes and starts a round every `everyWrites`.
   */
  noteCommit(writes: number): void {
    this.writesSince += writes;
    // Not in the same call as a finish: the next commit is the one that starts the WAL over, and
    // a worker already checkpointing could make it skip that.
    if (this.poll()) return;
    if (this.writesSince >= this.everyWrites && !this.inFlight) this.request();
  }

  /** Starts a checkpoint round now unless one is running. */
  request(): void {
    if (this.failed || this.closed || this.inFlight) return;
    this.writesSince = 0;
    this.inFlight = true;
    Atomics.store(this.state, 0, 1);
    this.ensureWorker().postMessage('checkpoint');
  }

  /** Resolves when no round is running (tests and close). */
  settled(): Promise<void> {
    if (!this.inFlight) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Stops the worker after any running round; the caller then checkpoints on its own connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.settled();
    this.closed = true;
    const w = this.worker;
    this.worker = undefined;
    if (!w) return;
    const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
    w.postMessage('close');
    // A worker wedged on a lock must not hold shutdown hostage.
    const timer = setTimeout(() => void w.terminate(), 5000);
    await exited;
    clearTimeout(timer);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // Started on the first round, so short-lived stores (tests, CLI) never pay for a thread.
    const w = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver: require.resolve('better-sqlite3-multiple-ciphers'),
        path: this.opts.path,
        keyHex: this.opts.key.toString('hex'),
        tailFrames: this.opts.tailFrames ?? 256,
        maxPasses: 8,
        busyTimeoutMs: this.opts.busyTimeoutMs ?? 5000,
        niceness: CHECKPOINTER_NICENESS,
        state: this.state.buffer,
      },
    });
    w.unref();
    w.on('message', (m: 'done' | { type: 'error'; code?: string }) => {
      if (m !== 'done') return this.fail(m.code ?? 'WORKER_FAILED');
      // Its own event-loop task, so never inside one of our transactions: this finishes a round
      // when no commit came along to do it.
      this.poll();
    });
    w.on('error', () => this.fail('WORKER_FAILED'));
    w.on('exit', () => {
      if (!this.closed) this.fail('WORKER_EXITED');
    });
    this.worker = w;
    return w;
  }

  /** Finishes a round the worker reported done; true if it did. */
  private poll(): boolean {
    if (!this.inFlight) return false;
    const state = Atomics.load(this.state, 0);
    if (state === 3) this.fail('WORKER_FAILED');
    if (state !== 2) return false;
    Atomics.store(this.state, 0, 0);
    const log = Atomics.load(this.state, 1);
    const checkpointed = Atomics.load(this.state, 2);
    const total = this.closed || this.failed ? -1 : this.opts.finishOnMain();
    const finishedOnMain = total < 0 ? -1 : Math.max(0, total - log);
    this.opts.onCheckpoint?.({ log, checkpointed, finishedOnMain });
    this.done();
    return true;
  }

  private done(): void {
    this.inFlight = false;
    for (const resolve of this.idle.splice(0)) resolve();
    // The next round starts from noteCommit, after a commit: that commit is the one that starts
    // the WAL over, and a worker already checkpointing could make it skip that.
  }

  private fail(code: string): void {
    if (this.failed) return;
    this.failed = true;
    const w = this.worker;
    this.worker = undefined;
    if (w && !this.closed) void w.terminate();
    if (!this.closed) this.opts.onFailure(code);
    this.done();
  }
}
