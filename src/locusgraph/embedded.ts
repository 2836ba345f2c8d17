/**
 * The embedded LocusGraph: one encrypted SQLite file (`<dataDir>/locusgraph.db`), one table of
 * events keyed by (graph, context type, context name), FTS5 for memory search.
 *
 * Encryption is page-level (SQLCipher format via better-sqlite3-multiple-ciphers), so indexes and
 * the FTS5 tables are encrypted like everything else and search runs on decrypted pages in
 * memory: it costs the same page decryption as any read (measured ~0.7x plain insert speed,
 * reads on par), and no plaintext reaches disk because temp_store=MEMORY keeps sorts in RAM.
 *
 * A replace deletes the old row and inserts a new one (keeping locus_id and created_at), so the
 * AUTOINCREMENT rowid `seq` orders every write and doubles as the change-feed cursor.
 *
 * With `groupCommit`, writes (storeEvent, storeBatch, forgetContext, forgetGraph) go through group-commit.ts:
 * writes called in the same event-loop turn share one BEGIN IMMEDIATE transaction, each in its own
 * savepoint, and each promise settles after that COMMIT. A read commits whatever is queued before
 * it runs, so reads see every write called before them, as when every write committed on its own;
 * writes from concurrent requests with no read between them share a commit. Without it (the
 * default) each write is its own transaction, run at the call, as it always was.
 * WAL checkpoints run on a worker thread (wal-checkpointer.ts), not inside a commit.
 */
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';
import { AppError } from '../errors.js';
import { migrate, openEncryptedDatabase, type Migration, type SqliteDatabase } from '../db/sqlite.js';
import { FTS_TOKENIZER, ftsBody, ftsQuery, payloadText } from './fts.js';
import { GroupCommit, type OpContext } from './group-commit.js';
import { WalCheckpointer, type CheckpointResult } from './wal-checkpointer.js';
import type {
  EventInput,
  EventKind,
  EventLinks,
  JsonObject,
  ListOptions,
  LocusGraph,
  MemoryItem,
  Page,
  SearchQuery,
  SearchResult,
  SinceOptions,
  Source,
  StoreResult,
  StoredEvent,
} from './port.js';
import {
  canonicalJson,
  checkBatch,
  checkContextType,
  checkEvent,
  checkGraphId,
  checkListOptions,
  checkSearch,
  checkSinceOptions,
  parseContextId,
} from './validate.js';

type Stmt = Database.Statement<unknown[]>;

export const EMBEDDED_DB_FILE = 'locusgraph.db';

/**
 * Text search ranks the most recent matches only: recall of "what did I eat with paneer" is
 * about recent life, and a bounded window keeps a common word as cheap as a rare one.
 */
export const SEARCH_WINDOW = 500;

const MIGRATIONS: Migration[] = [
  {
    version: 1,
    up: (db) => {
      db.exec(`
        CREATE TABLE graphs (g INTEGER PRIMARY KEY, graph_id TEXT NOT NULL UNIQUE);
        CREATE TABLE events (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          g INTEGER NOT NULL REFERENCES graphs(g),
          ctype TEXT NOT NULL,
          cname TEXT NOT NULL,
          locus_id TEXT NOT NULL,
          kind TEXT NOT NULL,
          source TEXT NOT NULL,
          payload TEXT NOT NULL,
          links TEXT,
          ts INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX events_context ON events(g, ctype, cname);
        -- rowid (seq) is the implicit last column: (ts DESC, seq DESC) pages straight off these.
        CREATE INDEX events_by_type ON events(g, ctype, ts);
        CREATE INDEX events_by_time ON events(g, ts);
        CREATE INDEX events_by_change ON events(g, updated_at);
        CREATE VIRTUAL TABLE events_fts USING fts5(body, content='', contentless_delete=1, tokenize="${FTS_TOKENIZER}");
      `);
    },
  },
];

interface Row {
  seq: number;
  g: number;
  ctype: string;
  cname: string;
  locus_id: string;
  kind: string;
  source: string;
  payload: string;
  links: string | null;
  ts: number;
  created_at: number;
  updated_at: number;
}

const COLS = 'e.seq, e.g, e.ctype, e.cname, e.locus_id, e.kind, e.source, e.payload, e.links, e.ts, e.created_at, e.updated_at';

const iso = (ms: number) => new Date(ms).toISOString();

// One getrandom call per 512 locus ids: per-id randomBytes(8) was a tenth of batched insert time.
let idPool = Buffer.alloc(0);
let idPoolAt = 0;
function newLocusId(): string {
  if (idPoolAt + 8 > idPool.length) {
    idPool = randomBytes(4096);
    idPoolAt = 0;
  }
  const hex = idPool.toString('hex', idPoolAt, idPoolAt + 8);
  idPoolAt += 8;
  return `L${hex}`;
}

function encodeCursor(a: number, b: number): string {
  return Buffer.from(`${a}.${b}`).toString('base64url');
}

function decodeCursor(cursor: string): [number, number] {
  const m = /^(-?\d{1,16})\.(\d{1,16})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new AppError('VALIDATION_ERROR', 'Invalid LocusGraph request', { cursor: 'is not a cursor from this store' });
  return [Number(m[1]), Number(m[2])];
}

function linksOf(e: EventInput): EventLinks | null {
  const out: EventLinks = {};
  for (const k of ['related_to', 'extends', 'reinforces', 'contradicts'] as const) if (e[k]?.length) out[k] = e[k];
  return Object.keys(out).length ? out : null;
}

export interface EmbeddedOptions {
  /** Directory holding locusgraph.db; or give `path` directly. */
  dataDir?: string;
  path?: string;
  /** 32 raw bytes (PODD_DATA_KEY). */
  key: Buffer;
  now?: () => number;
  /** SQLite page cache in KiB; default 64 MiB. */
  cacheKiB?: number;
  /** How long a commit waits for another process's write lock before failing; default 5 s. */
  busyTimeoutMs?: number;
  /**
   * Group commit: writes called in the same event-loop turn share one transaction, and each
   * write's promise settles only after that commit, a macrotask later. Off by default: with it,
   * a write is a real wait, so two requests of one user that each read, write and read again can
   * interleave where before each ran start to finish, and flows that keep a rule across several
   * writes (one primary emergency contact) need per-user serialisation above the store first.
   */
  groupCommit?: boolean;
  /** Committed writes (events and forgets) between background WAL checkpoints; default 1000. */
  checkpointEveryWrites?: number;
  /** Observes background checkpoints (tests, diagnostics). */
  onCheckpoint?: (r: CheckpointResult) => void;
}

/** Pages per WAL checkpoint when the store falls back to SQLite's own autocheckpoint. */
const FALLBACK_AUTOCHECKPOINT = 10_000;

export class EmbeddedLocusGraph implements LocusGraph {
  readonly path: string;
  private readonly db: SqliteDatabase;
  private readonly now: () => number;
  private readonly graphNos = new Map<string, number>();
  private readonly stmtCache = new Map<string, Stmt>();
  private closed = false;

  private readonly st: {
    graphGet: Stmt;
    graphPut: Stmt;
    byContext: Stmt;
    insert: Stmt;
    remove: Stmt;
    ftsInsert: Stmt;
    ftsRemove: Stmt;
    graphSeqs: Stmt;
    graphEventsRemove: Stmt;
    graphRemove: Stmt;
  };
  // Commits are BEGIN IMMEDIATE: the existence check and the insert must hold the write lock
  // together, or two processes sharing the file could both see "absent" and both create.
  private readonly writes: GroupCommit;
  private readonly grouped: boolean;
  private readonly checkpointer: WalCheckpointer;

  constructor(opts: EmbeddedOptions) {
    const path = opts.path ?? (opts.dataDir ? join(opts.dataDir, EMBEDDED_DB_FILE) : undefined);
    if (!path) throw new Error('EmbeddedLocusGraph needs dataDir or path');
    this.path = path;
    this.now = opts.now ?? Date.now;
    this.db = openEncryptedDatabase(path, opts.key);
    try {
      // Every page read past SQLite's own cache is decrypted again; 64 MB keeps the hot indexes of
      // a large store decrypted in memory (the default is 2 MB).
      this.db.pragma(`cache_size = -${opts.cacheKiB ?? 65_536}`);
      if (opts.busyTimeoutMs !== undefined) this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs))}`);
      // The checkpointer worker copies the WAL back; a commit on this connection never does.
      this.db.pragma('wal_autocheckpoint = 0');
      this.db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
      migrate(this.db, MIGRATIONS);
    } catch (err) {
      this.db.close();
      throw err;
    }
    const db = this.db;
    this.st = {
      graphGet: db.prepare('SELECT g FROM graphs WHERE graph_id = ?').pluck(),
      graphPut: db.prepare('INSERT INTO graphs (graph_id) VALUES (?) ON CONFLICT (graph_id) DO NOTHING'),
      byContext: db.prepare(`SELECT ${COLS} FROM events e WHERE e.g = ? AND e.ctype = ? AND e.cname = ?`),
      insert: db.prepare(
        `INSERT INTO events (g, ctype, cname, locus_id, kind, source, payload, links, ts, created_at, updated_at)
         VALUES (@g, @ctype, @cname, @locus_id, @kind, @source, @payload, @links, @ts, @created_at, @updated_at)`,
      ),
      remove: db.prepare('DELETE FROM events WHERE seq = ?'),
      ftsInsert: db.prepare('INSERT INTO events_fts (rowid, body) VALUES (?, ?)'),
      ftsRemove: db.prepare('DELETE FROM events_fts WHERE rowid = ?'),
      graphSeqs: db.prepare('SELECT seq FROM events WHERE g = ?').pluck(),
      graphEventsRemove: db.prepare('DELETE FROM events WHERE g = ?'),
      graphRemove: db.prepare('DELETE FROM graphs WHERE g = ?'),
    };
    this.checkpointer = new WalCheckpointer({
      path,
      key: opts.key,
      everyWrites: opts.checkpointEveryWrites,
      busyTimeoutMs: opts.busyTimeoutMs,
      onCheckpoint: opts.onCheckpoint,
      finishOnMain: () => {
        try {
          const [r] = this.db.pragma('wal_checkpoint(PASSIVE)') as Array<{ checkpointed: number }>;
          return r?.checkpointed ?? -1;
        } catch {
          // Busy or closing: the next round tries again; reads and writes are unaffected.
          return -1;
        }
      },
      // Without the worker, SQLite's own autocheckpoint keeps the WAL bounded (in the commit path).
      onFailure: () => {
        if (!this.closed) this.db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT}`);
      },
    });
    this.writes = new GroupCommit(db, { onCommit: (writes) => this.checkpointer.noteCommit(writes) });
    this.grouped = opts.groupCommit ?? false;
  }

  /** Runs a write operation: queued for the next group commit, or committed on its own now. */
  private commit<T>(run: (tx: OpContext) => T, weight = 1): Promise<T> | T {
    return this.grouped ? this.writes.enqueue(run, weight) : this.writes.runAlone(run, weight);
  }

  async storeEvent(event: EventInput): Promise<StoreResult> {
    this.assertOpen();
    const e = checkEvent(event);
    return this.commit((tx) => this.write(e, tx));
  }

  /** All or nothing: the batch is one savepoint of its group commit. */
  async storeBatch(events: EventInput[]): Promise<StoreResult[]> {
    this.assertOpen();
    const checked = checkBatch(events);
    if (checked.length === 0) return [];
    return this.commit((tx) =>
      checked.map((e, i) => {
        try {
          return this.write(e, tx);
        } catch (err) {
          if (err instanceof AppError) err.details.index = i;
          throw err;
        }
      }),
      checked.length,
    );
  }

  async getContext(graphId: string, contextId: string): Promise<StoredEvent | null> {
    this.readable();
    checkGraphId(graphId);
    const { type, name } = parseContextId(contextId);
    const g = this.graphNo(graphId, false);
    if (g === undefined) return null;
    const row = this.st.byContext.get(g, type, name) as Row | undefined;
    return row ? this.toEvent(graphId, row) : null;
  }

  async listContextType(graphId: string, contextType: string, options: ListOptions = {}): Promise<Page<StoredEvent>> {
    this.readable();
    checkGraphId(graphId);
    checkContextType(contextType);
    const o = checkListOptions(options);
    const after = o.cursor === undefined ? undefined : decodeCursor(o.cursor);
    const g = this.graphNo(graphId, false);
    if (g === undefined) return { items: [], next_cursor: null };
    const where = ['e.g = ?', 'e.ctype = ?'];
    const args: unknown[] = [g, contextType];
    if (o.fromMs !== undefined) where.push('e.ts >= ?'), args.push(o.fromMs);
    if (o.toMs !== undefined) where.push('e.ts < ?'), args.push(o.toMs);
    if (after !== undefined) where.push('(e.ts, e.seq) < (?, ?)'), args.push(...after);
    const sql = `SELECT ${COLS} FROM events e WHERE ${where.join(' AND ')} ORDER BY e.ts DESC, e.seq DESC LIMIT ?`;
    const rows = this.stmt(sql).all(...args, o.limit + 1) as Row[];
    const more = rows.length > o.limit;
    if (more) rows.pop();
    const last = rows[rows.length - 1];
    return {
      items: rows.map((r) => this.toEvent(graphId, r)),
      next_cursor: more && last ? encodeCursor(last.ts, last.seq) : null,
    };
  }

  async searchMemories(query: SearchQuery): Promise<SearchResult> {
    this.readable();
    const q = checkSearch(query);
    const g = this.graphNo(q.graph_id, false);
    if (g === undefined) return { items: [] };
    const limit = q.limit ?? 10;
    const offset = q.offset ?? 0;

    const where = ['e.g = ?'];
    const args: unknown[] = [g];
    const scope: string[] = [];
    for (const [type, names] of Object.entries(q.context_types ?? {})) {
      if (names.length === 0) scope.push('e.ctype = ?'), args.push(type);
      else scope.push(`(e.ctype = ? AND e.cname IN (${names.map(() => '?').join(',')}))`), args.push(type, ...names);
    }
    for (const cid of q.context_ids ?? []) {
      const { type, name } = parseContextId(cid);
      scope.push('(e.ctype = ? AND e.cname = ?)'), args.push(type, name);
    }
    if (scope.length) where.push(`(${scope.join(' OR ')})`);
    if (q.event_kinds?.length) where.push(`e.kind IN (${q.event_kinds.map(() => '?').join(',')})`), args.push(...q.event_kinds);
    if (q.sources?.length) where.push(`e.source IN (${q.sources.map(() => '?').join(',')})`), args.push(...q.sources);
    if (q.from) where.push('e.ts >= ?'), args.push(Date.parse(q.from));
    if (q.to) where.push('e.ts < ?'), args.push(Date.parse(q.to));

    const match = q.query.trim() ? ftsQuery(g, q.query) : null;
    if (q.query.trim() && match === null) return { items: [] };
    let rows: Array<Row & { score?: number }>;
    if (match) {
      // FTS5 walks the doclist newest-first and stops after SEARCH_WINDOW matches, so a common
      // word costs the same as a rare one; bm25 then ranks within that window.
      const sql =
        `SELECT ${COLS}, m.score FROM (` +
        `SELECT events_fts.rowid AS seq, bm25(events_fts) AS score FROM events_fts JOIN events e ON e.seq = events_fts.rowid ` +
        `WHERE events_fts MATCH ? AND ${where.join(' AND ')} ORDER BY events_fts.rowid DESC LIMIT ${SEARCH_WINDOW}` +
        `) m JOIN events e ON e.seq = m.seq ORDER BY m.score, e.seq DESC LIMIT ? OFFSET ?`;
      rows = this.stmt(sql).all(match, ...args, limit, offset) as typeof rows;
    } else {
      const sql = `SELECT ${COLS} FROM events e WHERE ${where.join(' AND ')} ORDER BY e.ts DESC, e.seq DESC LIMIT ? OFFSET ?`;
      rows = this.stmt(sql).all(...args, limit, offset) as typeof rows;
    }
    return { items: rows.map((r) => this.toMemory(r)) };
  }

  async eventsSince(graphId: string, since: string, options: SinceOptions = {}): Promise<Page<StoredEvent>> {
    this.readable();
    checkGraphId(graphId);
    const o = checkSinceOptions(since, options);
    const after = o.cursor === undefined ? 0 : decodeCursor(o.cursor)[1];
    const g = this.graphNo(graphId, false);
    if (g === undefined) return { items: [], next_cursor: null };
    const rows = this.stmt(
      `SELECT ${COLS} FROM events e WHERE e.g = ? AND e.updated_at > ? AND e.seq > ? ORDER BY e.seq LIMIT ?`,
    ).all(g, o.sinceMs, after, o.limit + 1) as Row[];
    const more = rows.length > o.limit;
    if (more) rows.pop();
    const last = rows[rows.length - 1];
    return { items: rows.map((r) => this.toEvent(graphId, r)), next_cursor: more && last ? encodeCursor(0, last.seq) : null };
  }

  async forgetContext(graphId: string, contextId: string): Promise<{ forgotten: boolean }> {
    this.assertOpen();
    checkGraphId(graphId);
    const { type, name } = parseContextId(contextId);
    // The graph is looked up inside the commit: a write queued before this call may create it.
    return this.commit(() => {
      const g = this.graphNo(graphId, false);
      const row = g === undefined ? undefined : (this.st.byContext.get(g, type, name) as Row | undefined);
      if (!row) return { forgotten: false };
      this.st.remove.run(row.seq);
      this.st.ftsRemove.run(row.seq);
      return { forgotten: true };
    });
  }

  async forgetGraph(graphId: string): Promise<{ forgotten: number }> {
    this.assertOpen();
    checkGraphId(graphId);
    // One transaction: the graph's search entries, its events and its row. Looked up inside the
    // commit, like forgetContext, so writes queued before this call are deleted too.
    return this.commit((tx) => {
      const g = this.graphNo(graphId, false);
      if (g === undefined) return { forgotten: 0 };
      const seqs = this.st.graphSeqs.all(g) as number[];
      for (const seq of seqs) this.st.ftsRemove.run(seq);
      this.st.graphEventsRemove.run(g);
      this.st.graphRemove.run(g);
      // The number may be given to the next new graph: the cache must not keep it for this one.
      this.graphNos.delete(graphId);
      tx.onRollback(() => this.graphNos.delete(graphId));
      return { forgotten: seqs.length };
    });
  }

  /** Commits every write already called, stops the checkpointer and checkpoints the WAL. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      this.writes.flush();
      await this.checkpointer.close();
      this.db.pragma('wal_checkpoint(TRUNCATE)');
      this.db.pragma('optimize');
    } finally {
      this.db.close();
    }
  }

  /** Commits whatever is queued and waits for a running background checkpoint (tests, ops). */
  async settle(): Promise<void> {
    this.writes.flush();
    await this.checkpointer.settled();
  }

  /** On-disk size of the store (db + WAL), for benchmarks and ops. */
  sizeBytes(): number {
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const size = this.db.pragma('page_size', { simple: true }) as number;
    return pages * size;
  }

  private write(e: EventInput, tx: OpContext): StoreResult {
    const { type, name } = parseContextId(e.context_id);
    const g = this.graphNo(e.graph_id, true, tx)!;
    const now = this.now();
    const payload = canonicalJson(e.payload);
    const links = linksOf(e);
    const linksJson = links ? canonicalJson(links) : null;
    const ts = e.timestamp === undefined ? undefined : Date.parse(e.timestamp);
    const existing = this.st.byContext.get(g, type, name) as Row | undefined;

    if (existing) {
      const same =
        existing.payload === payload &&
        existing.kind === e.event_kind &&
        (ts === undefined || ts === existing.ts) &&
        (e.source === undefined || e.source === existing.source) &&
        (links === null || linksJson === existing.links);
      if (same) return { locus_id: existing.locus_id, status: 'unchanged', confidence: 1, context_id: e.context_id };
      if (!e.replace) {
        throw new AppError('CONFLICT', 'This context already holds a different memory', { context_id: e.context_id });
      }
      this.st.remove.run(existing.seq);
      this.st.ftsRemove.run(existing.seq);
    }
    const row = {
      g,
      ctype: type,
      cname: name,
      locus_id: existing?.locus_id ?? newLocusId(),
      kind: e.event_kind,
      source: e.source ?? existing?.source ?? 'user',
      payload,
      links: linksJson ?? existing?.links ?? null,
      ts: ts ?? existing?.ts ?? now,
      created_at: existing?.created_at ?? now,
      updated_at: now,
    };
    const seq = Number(this.st.insert.run(row).lastInsertRowid);
    this.st.ftsInsert.run(seq, ftsBody(g, e.payload));
    return { locus_id: row.locus_id, status: existing ? 'replaced' : 'created', confidence: 1, context_id: e.context_id };
  }

  private graphNo(graphId: string, create: boolean, tx?: OpContext): number | undefined {
    let g = this.graphNos.get(graphId);
    if (g !== undefined) return g;
    g = this.st.graphGet.get(graphId) as number | undefined;
    if (g === undefined && create) {
      this.st.graphPut.run(graphId);
      g = this.st.graphGet.get(graphId) as number;
      // A rolled-back create frees its number for the next new graph; a cached stale number would
      // file this graph's writes under that other graph.
      tx?.onRollback(() => this.graphNos.delete(graphId));
    }
    if (g !== undefined) this.graphNos.set(graphId, g);
    return g;
  }

  private stmt(sql: string) {
    let s = this.stmtCache.get(sql);
    if (!s) {
      if (this.stmtCache.size > 256) this.stmtCache.clear();
      s = this.db.prepare(sql);
      this.stmtCache.set(sql, s);
    }
    return s;
  }

  private toEvent(graphId: string, r: Row): StoredEvent {
    return {
      locus_id: r.locus_id,
      graph_id: graphId,
      context_id: `${r.ctype}:${r.cname}`,
      event_kind: r.kind as EventKind,
      source: r.source as Source,
      payload: JSON.parse(r.payload) as JsonObject,
      timestamp: iso(r.ts),
      created_at: iso(r.created_at),
      updated_at: iso(r.updated_at),
      ...(r.links ? (JSON.parse(r.links) as EventLinks) : {}),
    };
  }

  private toMemory(r: Row & { score?: number }): MemoryItem {
    const value = JSON.parse(r.payload) as JsonObject;
    // bm25 is negative, more negative is better; squash into 0..1.
    const s = r.score === undefined ? 0 : Math.max(0, -r.score);
    return {
      locus_id: r.locus_id,
      context_ids: [`${r.ctype}:${r.cname}`],
      text: payloadText(r.ctype, value),
      match_score: r.score === undefined ? 0 : s / (1 + s),
      confidence: 1,
      value,
      event_kind: r.kind as EventKind,
      source: r.source as Source,
      created: iso(r.created_at),
      updated: iso(r.updated_at),
      timestamp: iso(r.ts),
    };
  }

  private assertOpen(): void {
    if (this.closed) throw new AppError('UPSTREAM_UNAVAILABLE', 'The health store is closed');
  }

  /**
   * A read first commits the writes already queued, so it sees every write called before it,
   * as when each write committed on its own. Callers rely on that: a read-modify-write such as
   * "take one dose off the stock" runs its read and queues its write in one turn, and the next
   * request's read must see that write or two doses would take one off.
   */
  private readable(): void {
    this.assertOpen();
    if (this.writes.size > 0) this.writes.flush();
  }
}
