/**
 * Group commit for one SQLite connection: write operations queued in the same turn of the event
 * loop run together in ONE `BEGIN IMMEDIATE` transaction, each inside its own SAVEPOINT.
 *
 * Why: a commit costs far more than the rows it carries (BEGIN IMMEDIATE, a new FTS5 segment,
 * encrypting and appending every dirty page to the WAL), so N concurrent writes sharing a commit
 * cost little more than one. Semantics callers keep:
 * - a promise resolves only after the COMMIT that holds its write succeeded (a resolved write is
 *   durable to the same degree as before);
 * - one operation's error (CONFLICT, validation, a failed statement) rolls back only its own
 *   savepoint and rejects only its own promise;
 * - if the transaction as a whole fails (BEGIN cannot get the write lock, SQLite rolled the
 *   transaction back on SQLITE_FULL/IOERR, COMMIT fails) every operation of the group is rejected
 *   with that error and none of them is written;
 * - operations run in call order, so a later write sees every earlier one (FIFO);
 * - callers are settled one macrotask apart, in call order (see settleEach).
 *
 * A write that finds the store idle (nothing committed in this turn of the event loop or the one
 * before) does not wait: it commits at once, alone, and its caller goes on without a macrotask in
 * between. So a lone write (a voice turn's reading) costs no event-loop hop in which other
 * sessions' work, or a GC task, could run. Under sustained writes every turn commits, the store
 * is never idle, and writes keep sharing one commit per turn.
 */
import type { SqliteDatabase } from '../db/sqlite.js';

/** Handed to each operation: registers undo work for in-memory state the operation changed. */
export interface OpContext {
  /** Runs if this operation's writes are rolled back (its own failure or the whole group's). */
  onRollback(undo: () => void): void;
}

interface Op {
  run: (ctx: OpContext) => unknown;
  weight: number;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export interface GroupCommitOptions {
  /**
   * Most summed weight (rows) per transaction, though a single heavier operation still goes
   * alone: bounds how long one commit holds the event loop and the write lock.
   */
  maxGroupWeight?: number;
  /** Called after every successful COMMIT with the summed weight of the operations it carried. */
  onCommit?: (weight: number) => void;
}

/**
 * Settles each caller in its own macrotask, in call order. Node drains microtasks between two
 * setImmediate callbacks, so each caller's continuation runs up to its next real wait before the
 * next caller's starts, as when every write committed on its own. Settling them all at once would
 * interleave their continuations at every `await`, and a read-modify-write such as "take one dose
 * off the stock" in two of them would read the same stock and lose one update.
 */
function settleEach(settlers: Array<() => void>): void {
  for (const settle of settlers) setImmediate(settle);
}

/** One caller: nothing to interleave with, so it is settled at once (its continuation is a microtask). */
function settleNow(settlers: Array<() => void>): void {
  for (const settle of settlers) settle();
}

export class GroupCommit {
  private pending: Op[] = [];
  private timer: NodeJS.Immediate | undefined;
  /** Something committed in this turn of the event loop / in the turn before. */
  private active = false;
  private recent = false;
  private watcher: NodeJS.Immediate | undefined;
  private readonly maxGroupWeight: number;
  private readonly onCommit: (weight: number) => void;
  private readonly sql: Record<'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollbackTo', { run: () => unknown }>;

  constructor(
    private readonly db: SqliteDatabase,
    options: GroupCommitOptions = {},
  ) {
    this.maxGroupWeight = options.maxGroupWeight ?? 2000;
    this.onCommit = options.onCommit ?? (() => undefined);
    // Prepared once: re-parsing six tiny statements per commit would be a measurable share of it.
    this.sql = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
      savepoint: db.prepare('SAVEPOINT op'),
      release: db.prepare('RELEASE op'),
      rollbackTo: db.prepare('ROLLBACK TO op'),
    };
  }

  /** Number of operations waiting for their commit. */
  get size(): number {
    return this.pending.length;
  }

  /**
   * Queues `run` for the next group commit; settles once that commit has succeeded or failed.
   * `weight` is the rows it writes: it caps a group's size and is summed for `onCommit`.
   */
  enqueue<T>(run: (ctx: OpContext) => T, weight = 1): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const op: Op = { run, weight, resolve: resolve as (v: unknown) => void, reject };
      if (this.pending.length === 0 && !this.timer && !this.active && !this.recent) {
        this.commitGroup([op], settleNow);
        return;
      }
      this.pending.push(op);
      this.schedule();
    });
  }

  /** Commits everything queued now, synchronously (on close, or to settle before a check). */
  flush(): void {
    if (this.timer) {
      clearImmediate(this.timer);
      this.timer = undefined;
    }
    while (this.pending.length > 0) this.commitGroup(this.takeGroup());
  }

  private schedule(): void {
    // setImmediate, not a microtask: requests read off the socket in the same poll phase all
    // reach enqueue before the check phase runs, so they share one commit. One group per turn,
    // so a backlog cannot hold off I/O for longer than one capped commit.
    this.timer ??= setImmediate(() => {
      this.timer = undefined;
      if (this.pending.length > 0) this.commitGroup(this.takeGroup());
      if (this.pending.length > 0) this.schedule();
    });
  }

  private takeGroup(): Op[] {
    let n = 0;
    for (let weight = 0; n < this.pending.length && (n === 0 || weight + this.pending[n]!.weight <= this.maxGroupWeight); n++) {
      weight += this.pending[n]!.weight;
    }
    const group = this.pending.slice(0, n);
    this.pending = this.pending.slice(n);
    return group;
  }

  /**
   * Runs `run` now in a transaction of its own and returns its result (or throws): the mode in
   * which every write commits on its own, kept for callers that rely on a write never yielding.
   */
  runAlone<T>(run: (ctx: OpContext) => T, weight = 1): T {
    this.flush();
    let out = { ok: false, error: new Error('write did not run') } as Outcome;
    const op: Op = { run, weight, resolve: (value) => (out = { ok: true, value }), reject: (error) => (out = { ok: false, error }) };
    this.commitGroup([op], settleNow);
    if (!out.ok) throw out.error;
    return out.value as T;
  }

  /** Notes a commit in this turn; the watcher ages the note at each check phase until a turn passes without one. */
  private noteActive(): void {
    this.active = true;
    this.watcher ??= setImmediate(() => this.ageActivity());
  }

  private ageActivity(): void {
    this.watcher = undefined;
    this.recent = this.active;
    this.active = false;
    if (this.recent) this.watcher = setImmediate(() => this.ageActivity());
  }

  private commitGroup(group: Op[], settle: (settlers: Array<() => void>) => void = settleEach): void {
    this.noteActive();
    const undoAll: Array<() => void> = [];
    const outcomes: Outcome[] = [];
    const failAll = (error: unknown) => {
      if (this.db.inTransaction) {
        try {
          this.sql.rollback.run();
        } catch {
          // The connection is unusable; the original error is the one worth reporting.
        }
      }
      for (let i = undoAll.length - 1; i >= 0; i--) undoAll[i]!();
      settle(group.map((op) => () => op.reject(error)));
    };

    try {
      this.sql.begin.run();
    } catch (err) {
      failAll(err);
      return;
    }
    for (const op of group) {
      const undo: Array<() => void> = [];
      const ctx: OpContext = { onRollback: (fn) => void undo.push(fn) };
      try {
        this.sql.savepoint.run();
        const value = op.run(ctx);
        this.sql.release.run();
        outcomes.push({ ok: true, value });
        undoAll.push(...undo);
      } catch (error) {
        for (let i = undo.length - 1; i >= 0; i--) undo[i]!();
        // SQLITE_FULL, IOERR, NOMEM and BUSY may roll back the whole transaction: the savepoint
        // is gone and so are the writes of the operations before this one.
        if (!this.db.inTransaction) {
          failAll(error);
          return;
        }
        try {
          this.sql.rollbackTo.run();
          this.sql.release.run();
        } catch (rollbackError) {
          failAll(rollbackError);
          return;
        }
        outcomes.push({ ok: false, error });
      }
    }
    try {
      this.sql.commit.run();
    } catch (err) {
      failAll(err);
      return;
    }
    let weight = 0;
    group.forEach((op, i) => {
      if (outcomes[i]!.ok) weight += op.weight;
    });
    this.onCommit(weight);
    settle(
      group.map((op, i) => {
        const o = outcomes[i]!;
        return o.ok ? () => op.resolve(o.value) : () => op.reject(o.error);
      }),
    );
  }
}
