/**
 * The LocusGraph v1 operations Podd relies on, as one async interface. Two implementations
 * exist (embedded SQLite and the hosted HTTP client) and one contract suite holds both to it.
 *
 * Errors every implementation throws (all AppError):
 * - VALIDATION_ERROR: malformed graph/context id, payload not a JSON object or over 64 KB,
 *   unknown event kind, bad cursor or time range. Nothing is written.
 * - CONFLICT: a second write to a context with a different payload and no `replace`.
 * - UPSTREAM_UNAVAILABLE: the store cannot be reached (hosted outage, timeouts after retries).
 */

export const EVENT_KINDS = ['fact', 'action', 'observation', 'decision', 'feedback', 'knowledge'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** The v1 source trust ladder, most trusted first. */
export const SOURCES = ['policy', 'verified', 'tool', 'document', 'user', 'assistant', 'derived', 'system'] as const;
export type Source = (typeof SOURCES)[number];

export type JsonObject = { [key: string]: unknown };

export interface EventLinks {
  related_to?: string[];
  extends?: string[];
  reinforces?: string[];
  contradicts?: string[];
}

export interface EventInput extends EventLinks {
  graph_id: string;
  event_kind: EventKind;
  /** `<type>:<name>`; one memory per context id within a graph. */
  context_id: string;
  source?: Source;
  payload: JsonObject;
  /** ISO-8601 with offset: when the thing happened. Defaults to the time of the first write. */
  timestamp?: string;
  /** Overwrite an existing context instead of failing with CONFLICT. */
  replace?: boolean;
}

export type StoreStatus = 'created' | 'unchanged' | 'replaced' | 'filtered';

export interface StoreResult {
  /** "L" + 16 hex. */
  locus_id: string;
  status: StoreStatus;
  confidence: number;
  context_id: string;
}

export interface StoredEvent extends EventLinks {
  locus_id: string;
  graph_id: string;
  context_id: string;
  event_kind: EventKind;
  source: Source;
  payload: JsonObject;
  /** Event time, ISO-8601 UTC. */
  timestamp: string;
  /** First write of this context, ISO-8601 UTC; survives `replace`. */
  created_at: string;
  updated_at: string;
}

export interface Page<T> {
  items: T[];
  /** Opaque; pass back as `cursor` for the next page. null on the last page. */
  next_cursor: string | null;
}

/**
 * Every item of a paged listing: follows next_cursor to the last page, or stops at the first page
 * boundary at or past `cap` items (so a runaway collection cannot exhaust memory).
 */
export async function allPages<T>(page: (cursor: string | undefined) => Promise<Page<T>>, cap = Infinity): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const p = await page(cursor);
    out.push(...p.items);
    cursor = p.next_cursor ?? undefined;
  } while (cursor && out.length < cap);
  return out;
}

export interface ListOptions {
  /** 1..1000, default 20. */
  limit?: number;
  cursor?: string;
  /** Inclusive lower bound on the event timestamp (ISO-8601 with offset). */
  from?: string;
  /** Exclusive upper bound on the event timestamp. */
  to?: string;
}

export interface SearchQuery {
  graph_id: string;
  /** Free text; an empty query returns the filtered events newest first. */
  query: string;
  /** 1..100, default 10. */
  limit?: number;
  offset?: number;
  context_ids?: string[];
  /** `{type: [names]}`; an empty name list means every context of that type. */
  context_types?: Record<string, string[]>;
  event_kinds?: EventKind[];
  sources?: Source[];
  /** Time range on the event timestamp, like ListOptions. */
  from?: string;
  to?: string;
}

export interface MemoryItem {
  locus_id: string;
  context_ids: string[];
  /** A readable rendering of the payload. */
  text: string;
  /** 0..1, higher is better; 0 for filter-only queries. */
  match_score: number;
  confidence: number;
  /** The stored payload. */
  value: JsonObject;
  event_kind: EventKind;
  source: Source;
  /** First write, ISO-8601 UTC. */
  created: string;
  /** Extensions of ours; a hosted service that omits them falls back to `created`. */
  updated?: string;
  timestamp?: string;
}

export interface SearchResult {
  items: MemoryItem[];
}

export interface SinceOptions {
  /** 1..1000, default 100. */
  limit?: number;
  cursor?: string;
}

export interface LocusGraph {
  storeEvent(event: EventInput): Promise<StoreResult>;
  /**
   * Up to 1000 events, all or nothing: if any event is invalid or conflicts, nothing is written
   * and the error names the failing index in `details.index`.
   */
  storeBatch(events: EventInput[]): Promise<StoreResult[]>;
  /** null when the context does not exist in that graph. */
  getContext(graphId: string, contextId: string): Promise<StoredEvent | null>;
  /** Newest first by event timestamp. */
  listContextType(graphId: string, contextType: string, options?: ListOptions): Promise<Page<StoredEvent>>;
  searchMemories(query: SearchQuery): Promise<SearchResult>;
  /** Events written or replaced after `since` (ISO-8601), oldest change first. Forgotten ones are gone. */
  eventsSince(graphId: string, since: string, options?: SinceOptions): Promise<Page<StoredEvent>>;
  /** Deletes the context outright (no tombstone). false when it did not exist. */
  forgetContext(graphId: string, contextId: string): Promise<{ forgotten: boolean }>;
  /**
   * Deletes the whole graph: every event of every type, and the graph itself (account deletion).
   * `forgotten` counts the events; 0 when the graph did not exist. Afterwards the graph reads as
   * empty everywhere, and a later write starts it afresh.
   */
  forgetGraph(graphId: string): Promise<{ forgotten: number }>;
  close(): Promise<void>;
}

export const MAX_PAYLOAD_BYTES = 64 * 1024;
export const MAX_BATCH = 1000;
export const MAX_LIST_LIMIT = 1000;
export const MAX_SEARCH_LIMIT = 100;
