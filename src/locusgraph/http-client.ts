/**
 * Client for the hosted LocusGraph v1 HTTP API (and for our own façade, which speaks the same).
 *
 * Writes are idempotent per context id (a repeated identical write is `unchanged`), so every
 * operation may be retried: on network errors, timeouts, 429 and 5xx we back off with jitter,
 * honouring Retry-After; a 4xx other than 429 is an answer and is never retried. Whatever still
 * fails surfaces as 503 UPSTREAM_UNAVAILABLE, never as the upstream's own words.
 */
import { AppError, upstreamUnavailable } from '../errors.js';
import { sleep } from '../util/async.js';
import type {
  EventInput,
  ListOptions,
  LocusGraph,
  Page,
  SearchQuery,
  SearchResult,
  SinceOptions,
  StoreResult,
  StoredEvent,
} from './port.js';
import {
  checkBatch,
  checkContextType,
  checkEvent,
  checkGraphId,
  checkListOptions,
  checkSearch,
  checkSinceOptions,
  parseContextId,
} from './validate.js';

export interface HttpLocusGraphOptions {
  baseUrl: string;
  agentSecret: string;
  /** Per attempt. */
  timeoutMs?: number;
  /** Extra attempts after the first. */
  retries?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** A Retry-After longer than this is not waited for; the call fails at once. */
  maxRetryAfterMs?: number;
  fetch?: typeof fetch;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const SERVICE = 'The health store';

type Query = Record<string, string | number | undefined>;

interface Envelope {
  success?: unknown;
  data?: unknown;
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

/**
 * Parses Retry-After (delta-seconds or an HTTP date) into milliseconds. An HTTP date is the
 * upstream's wall clock, so it is compared with the host's clock, not the service's.
 */
export function parseRetryAfter(value: string | null, nowMs = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : undefined;
}

class Retryable extends Error {
  constructor(
    readonly reason: string,
    readonly retryAfterMs?: number,
  ) {
    super(reason);
  }
}

export class HttpLocusGraph implements LocusGraph {
  private readonly base: string;
  private readonly auth: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(o: HttpLocusGraphOptions) {
    this.base = o.baseUrl.replace(/\/+$/, '');
    this.auth = `Bearer ${o.agentSecret}`;
    this.timeoutMs = o.timeoutMs ?? 5_000;
    this.retries = o.retries ?? 3;
    this.backoffBaseMs = o.backoffBaseMs ?? 200;
    this.backoffMaxMs = o.backoffMaxMs ?? 5_000;
    this.maxRetryAfterMs = o.maxRetryAfterMs ?? 30_000;
    this.fetchImpl = o.fetch ?? fetch;
    this.random = o.random ?? Math.random;
    this.sleep = o.sleep ?? sleep;
  }

  async storeEvent(event: EventInput): Promise<StoreResult> {
    const body = checkEvent(event);
    return (await this.call('POST', '/v1/events', { body })) as StoreResult;
  }

  async storeBatch(events: EventInput[]): Promise<StoreResult[]> {
    const checked = checkBatch(events);
    if (checked.length === 0) return [];
    const data = (await this.call('POST', '/v1/events/batch', { body: { events: checked } })) as
      | StoreResult[]
      | { results: StoreResult[] };
    return Array.isArray(data) ? data : data.results;
  }

  async getContext(graphId: string, contextId: string): Promise<StoredEvent | null> {
    checkGraphId(graphId);
    parseContextId(contextId);
    const data = await this.call('GET', `/v1/context/${enc(graphId)}`, { query: { context_id: contextId }, notFound: null });
    return data as StoredEvent | null;
  }

  async listContextType(graphId: string, contextType: string, options: ListOptions = {}): Promise<Page<StoredEvent>> {
    checkGraphId(graphId);
    checkContextType(contextType);
    const o = checkListOptions(options);
    const data = await this.call('GET', `/v1/locuses/context/${enc(graphId)}/${enc(contextType)}`, {
      query: { limit: o.limit, cursor: o.cursor, from: options.from, to: options.to },
    });
    return data as Page<StoredEvent>;
  }

  async searchMemories(query: SearchQuery): Promise<SearchResult> {
    const q = checkSearch(query);
    return (await this.call('POST', '/v1/memories', { body: { ...q, format: 'json' } })) as SearchResult;
  }

  async eventsSince(graphId: string, since: string, options: SinceOptions = {}): Promise<Page<StoredEvent>> {
    checkGraphId(graphId);
    const o = checkSinceOptions(since, options);
    const data = await this.call('GET', `/v1/events/${enc(graphId)}`, { query: { since, limit: o.limit, cursor: o.cursor } });
    return data as Page<StoredEvent>;
  }

  async forgetContext(graphId: string, contextId: string): Promise<{ forgotten: boolean }> {
    checkGraphId(graphId);
    const { type, name } = parseContextId(contextId);
    const data = await this.call('DELETE', `/v1/contexts/${enc(graphId)}/${enc(type)}/${enc(name)}`, {
      notFound: { forgotten: false },
    });
    return data as { forgotten: boolean };
  }

  /**
   * `DELETE /v1/graphs/{graph}`, which answers `{forgotten: 0}` for a graph it does not have. Our
   * façade serves it; a service without the route answers 404, and that is an outage here, never
   * "nothing to delete": an account deletion must not pass while the data is still there.
   */
  async forgetGraph(graphId: string): Promise<{ forgotten: number }> {
    checkGraphId(graphId);
    try {
      return (await this.call('DELETE', `/v1/graphs/${enc(graphId)}`)) as { forgotten: number };
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') throw upstreamUnavailable(SERVICE);
      throw err;
    }
  }

  async close(): Promise<void> {}

  private backoff(attempt: number): number {
    const cap = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** attempt);
    return Math.round(cap / 2 + this.random() * (cap / 2));
  }

  private async call(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    opts: { body?: unknown; query?: Query; notFound?: unknown } = {},
  ): Promise<unknown> {
    const url = new URL(this.base + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const init: RequestInit = {
      method,
      headers: {
        authorization: this.auth,
        accept: 'application/json',
        ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    };

    let last: Retryable | undefined;
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      if (last) {
        const wait = last.retryAfterMs ?? this.backoff(attempt - 1);
        await this.sleep(wait);
      }
      try {
        return await this.once(url, init, opts.notFound);
      } catch (err) {
        if (!(err instanceof Retryable)) throw err;
        last = err;
        if (err.retryAfterMs !== undefined && err.retryAfterMs > this.maxRetryAfterMs) break;
      }
    }
    const retryAfterS = last?.retryAfterMs !== undefined ? Math.ceil(last.retryAfterMs / 1000) : undefined;
    throw upstreamUnavailable(SERVICE, retryAfterS);
  }

  private async once(url: URL, init: RequestInit, notFound: unknown): Promise<unknown> {
    let res: Response;
    let text: string;
    try {
      res = await this.fetchImpl(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
      text = await res.text();
    } catch (err) {
      throw new Retryable((err as Error).name === 'TimeoutError' ? 'timeout' : 'network');
    }
    if (res.status === 429 || res.status >= 500) {
      throw new Retryable(`http ${res.status}`, parseRetryAfter(res.headers.get('retry-after')));
    }
    let env: Envelope | undefined;
    try {
      env = JSON.parse(text) as Envelope;
    } catch {
      env = undefined;
    }
    if (res.ok) {
      if (env?.success === true && 'data' in env) return env.data;
      throw upstreamUnavailable(SERVICE);
    }
    const code = typeof env?.error?.code === 'string' ? env.error.code : '';
    const details =
      env?.error?.details && typeof env.error.details === 'object' && !Array.isArray(env.error.details)
        ? (env.error.details as Record<string, unknown>)
        : {};
    switch (res.status) {
      case 400:
      case 422:
        throw new AppError('VALIDATION_ERROR', 'Invalid health record', details);
      case 413:
        throw new AppError('VALIDATION_ERROR', 'Invalid health record', { payload: 'is too large' });
      case 409:
        throw new AppError('CONFLICT', 'This record already exists with different content', details);
      case 404:
        // Only the API's own "no such context" counts; a 404 from a wrong base URL is an outage.
        if (env?.success === false && code === 'NOT_FOUND' && notFound !== undefined) return notFound;
        if (env?.success === false && code === 'NOT_FOUND') throw new AppError('NOT_FOUND', 'Record not found');
        throw upstreamUnavailable(SERVICE);
      default:
        // 401/403 (bad agent secret) and anything unexpected are our outage, not the caller's fault.
        throw upstreamUnavailable(SERVICE);
    }
  }
}

const enc = encodeURIComponent;
