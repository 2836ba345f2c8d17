/**
 * MemorySaver with bounded memory. Each thread keeps only its newest checkpoint (the graph never
 * travels back in time), threads idle longer than `ttlMs` are forgotten, and past `maxThreads`
 * the least recently used thread is dropped. A forgotten thread only loses its pending question.
 */
import type { RunnableConfig } from '@langchain/core/runnables';
import { MemorySaver, type Checkpoint, type CheckpointMetadata, type CheckpointTuple } from '@langchain/langgraph';

export interface BoundedMemorySaverOptions {
  ttlMs: number;
  maxThreads: number;
  now?: () => number;
}

export class BoundedMemorySaver extends MemorySaver {
  /** thread id → last use, in least-recently-used-first order (Map keeps insertion order). */
  private readonly lastUse = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly maxThreads: number;
  private readonly clock: () => number;

  constructor(opts: BoundedMemorySaverOptions) {
    super();
    this.ttlMs = opts.ttlMs;
    this.maxThreads = opts.maxThreads;
    this.clock = opts.now ?? Date.now;
  }

  get threadCount(): number {
    return this.lastUse.size;
  }

  override async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    const thread = config.configurable?.thread_id as string | undefined;
    if (thread !== undefined) {
      const at = this.lastUse.get(thread);
      if (at !== undefined && this.clock() - at > this.ttlMs) {
        await this.deleteThread(thread);
        return undefined;
      }
    }
    return super.getTuple(config);
  }

  override async put(config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata): Promise<RunnableConfig> {
    const saved = await super.put(config, checkpoint, metadata);
    const thread = config.configurable?.thread_id as string;
    const ns = (config.configurable?.checkpoint_ns as string | undefined) ?? '';
    const checkpoints = this.storage[thread]?.[ns];
    if (checkpoints) {
      for (const id of Object.keys(checkpoints)) {
        if (id === checkpoint.id) continue;
        delete checkpoints[id];
        delete this.writes[writesKey(thread, ns, id)];
      }
    }
    this.touch(thread);
    return saved;
  }

  override async deleteThread(threadId: string): Promise<void> {
    for (const [ns, checkpoints] of Object.entries(this.storage[threadId] ?? {})) {
      for (const id of Object.keys(checkpoints)) delete this.writes[writesKey(threadId, ns, id)];
    }
    delete this.storage[threadId];
    this.lastUse.delete(threadId);
  }

  private touch(thread: string): void {
    const now = this.clock();
    this.lastUse.delete(thread);
    this.lastUse.set(thread, now);
    for (const [oldest, at] of this.lastUse) {
      if (this.lastUse.size <= this.maxThreads && now - at <= this.ttlMs) break;
      void this.deleteThread(oldest);
    }
  }
}

/** MemorySaver's key for a checkpoint's pending writes. */
function writesKey(thread: string, ns: string, checkpointId: string): string {
  return JSON.stringify([thread, ns, checkpointId]);
}
