/**
 * What a thread carries from one turn to the next, outside LangGraph: only the pending question.
 * The compiled graph runs without a checkpointer because a checkpoint per turn (copying every
 * channel, versioning, ids) cost more than the turn's own work, and nothing else needs resuming.
 * Bounded like any per-session cache: idle threads expire after `ttlMs`, and past `maxThreads`
 * the least recently used is dropped. A forgotten thread only loses its pending question.
 */
export interface ThreadMemoryOptions {
  ttlMs: number;
  maxThreads: number;
  now?: () => number;
}

interface Entry<T> {
  value: T;
  at: number;
}

export class ThreadMemory<T> {
  /** Least recently used first: a Map keeps insertion order, and every touch re-inserts. */
  private readonly entries = new Map<string, Entry<T>>();
  private readonly ttlMs: number;
  private readonly maxThreads: number;
  private readonly clock: () => number;

  constructor(opts: ThreadMemoryOptions) {
    this.ttlMs = opts.ttlMs;
    this.maxThreads = opts.maxThreads;
    this.clock = opts.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  get(thread: string): T | undefined {
    const e = this.entries.get(thread);
    if (!e) return undefined;
    if (this.clock() - e.at > this.ttlMs) {
      this.entries.delete(thread);
      return undefined;
    }
    return e.value;
  }

  set(thread: string, value: T): void {
    const now = this.clock();
    this.entries.delete(thread);
    this.entries.set(thread, { value, at: now });
    // Oldest first: stop at the first entry that is both within the cap and fresh.
    for (const [key, e] of this.entries) {
      if (this.entries.size <= this.maxThreads && now - e.at <= this.ttlMs) break;
      this.entries.delete(key);
    }
  }

  delete(thread: string): void {
    this.entries.delete(thread);
  }
}
