/**
 * The health domain on top of LocusGraph: typed, validated events per user, with the spec's five
 * methods (store_event, retrieve_context, generate_insights, update_event, delete_event) plus the
 * reads the REST layer needs.
 *
 * Every operation is bound to one user's graph. The graph id is `user_` + the first 24 hex
 * digits of sha256(user id): stable, fits LocusGraph's id rules whatever the user id looks like,
 * and does not hand the raw account id to a hosted service. There is no way to reach a graph
 * without going through forUser(userId).
 *
 * An item is `{id, ...payload, created_at, updated_at}`, where id is the part after the colon of
 * the context id `<type>:<id>`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError, zodIssuesToDetails } from '../errors.js';
import { DOSE_MARGIN_MS } from '../health/doses.js';
import { computeInsights, type Insights, type Item } from './insights.js';
import { allPages, MAX_PAYLOAD_BYTES, type LocusGraph, type Source, type StoredEvent, type StoreResult } from './port.js';
import { EVENT_TYPES, EVENT_TYPE_NAMES, isEventType, type EventType, type PayloadOf } from './schemas.js';
import { CONTEXT_NAME_RE, isoWithOffset } from './validate.js';
import { isValidTimeZone } from './zoned-time.js';

export type HealthItem<T extends EventType> = Item<PayloadOf<T>>;

export interface ListQuery {
  /** 1..100, default 20. */
  limit?: number;
  cursor?: string;
  /** On the type's time field (e.g. logged_at), ISO-8601 with offset; from inclusive, to exclusive. */
  from?: string;
  to?: string;
}

export interface ContextQuery {
  types?: EventType[];
  /** Free text; without it the newest events of the types are returned. */
  text?: string;
  from?: string;
  to?: string;
  /** 1..100, default 20. */
  limit?: number;
}

/** One event found by retrieveContext, discriminated by its type. */
export type ContextHit = {
  [T in EventType]: {
    type: T;
    item: HealthItem<T>;
    /** Present for text queries: 0..1, higher is better. */
    match_score?: number;
  };
}[EventType];

export interface StoreOptions {
  /** Defaults to a random UUID; the reminders feature passes derived ids to get CONFLICT on a repeat. */
  id?: string;
  related_to?: string[];
  source?: Source;
}

export interface HealthStoreOptions {
  now?: () => number;
  /** Longest period generateInsights accepts, in days. */
  maxInsightDays?: number;
}

export interface UserHealthStore {
  readonly userId: string;
  readonly graphId: string;
  /** The id of the user's single profile event (`profile:<profileId>`). */
  readonly profileId: string;
  storeEvent<T extends EventType>(type: T, payload: unknown, opts?: StoreOptions): Promise<HealthItem<T>>;
  get<T extends EventType>(type: T, id: string): Promise<HealthItem<T> | null>;
  list<T extends EventType>(type: T, query?: ListQuery): Promise<{ items: HealthItem<T>[]; next_cursor: string | null }>;
  /** Replaces the payload (PUT), keeping created_at. NOT_FOUND when absent. */
  updateEvent<T extends EventType>(type: T, id: string, payload: unknown): Promise<HealthItem<T>>;
  /** Creates or replaces (PUT on a singleton such as the profile). */
  upsert<T extends EventType>(type: T, id: string, payload: unknown): Promise<{ item: HealthItem<T>; created: boolean }>;
  /** Merges (PATCH; a null removes a field), then validates the whole. NOT_FOUND when absent. */
  patch<T extends EventType>(type: T, id: string, partial: unknown): Promise<HealthItem<T>>;
  /** Forgets the event outright. false when it did not exist. */
  deleteEvent(type: EventType, id: string): Promise<boolean>;
  retrieveContext(query?: ContextQuery): Promise<{ items: ContextHit[] }>;
  generateInsights(query: { from: string; to: string; timezone: string }): Promise<Insights>;
  /** Deletes every event of this user (profile deletion), type by type. */
  forgetAll(): Promise<{ forgotten: number }>;
  /**
   * Deletes the user's whole graph in one operation (account deletion); see LocusGraph.forgetGraph.
   * From then on this store refuses every write for the user (TOKEN_INVALID), through any handle:
   * a write still in flight — an assistant turn, a care alert sent off the reply's path — cannot
   * start the graph again. User ids are never reused, so the refusal is for good.
   */
  forgetGraph(): Promise<{ forgotten: number }>;
}

export interface HealthStore {
  forUser(userId: string): UserHealthStore;
}

export function graphIdForUser(userId: string): string {
  return `user_${createHash('sha256').update(userId, 'utf8').digest('hex').slice(0, 24)}`;
}

const invalid = (details: Record<string, unknown>, message = 'Invalid health record') => new AppError('VALIDATION_ERROR', message, details);

function checkType(type: unknown): EventType {
  if (!isEventType(type)) throw invalid({ type: `must be one of ${EVENT_TYPE_NAMES.join(', ')}` }, 'Unknown event type');
  return type;
}

function checkId(id: unknown): string {
  if (typeof id !== 'string' || !CONTEXT_NAME_RE.test(id)) {
    throw invalid({ id: 'must be 1-200 letters, digits, ".", "_" or "-", starting with a letter or digit' }, 'Malformed id');
  }
  return id;
}

const listQuerySchema = z
  .object({
    limit: z.number().int().min(1).max(100).optional(),
    cursor: z.string().max(200).optional(),
    from: isoWithOffset.optional(),
    to: isoWithOffset.optional(),
  })
  .strict();

const contextQuerySchema = z
  .object({
    types: z.array(z.string().refine(isEventType, 'unknown event type')).max(EVENT_TYPE_NAMES.length).optional(),
    text: z.string().max(500).optional(),
    from: isoWithOffset.optional(),
    to: isoWithOffset.optional(),
    limit: z.number().int().min(1).max(100).optional(),
  })
  .strict();


const insightQuerySchema = z
  .object({ from: isoWithOffset, to: isoWithOffset, timezone: z.string().refine(isValidTimeZone, 'must be an IANA time zone') })
  .strict();

function parseOr<T>(schema: z.ZodType<T>, value: unknown, message: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw invalid(zodIssuesToDetails(r.error.issues), message);
  return r.data;
}

/** Validates a payload for a type: schema first, then the stored size. Nothing is written on failure. */
function validatePayload<T extends EventType>(type: T, payload: unknown): PayloadOf<T> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw invalid({ payload: 'must be a JSON object' });
  const r = EVENT_TYPES[type].schema.safeParse(payload);
  if (!r.success) throw invalid(zodIssuesToDetails(r.error.issues));
  if (Buffer.byteLength(JSON.stringify(r.data), 'utf8') > MAX_PAYLOAD_BYTES) {
    throw invalid({ payload: `must be at most ${MAX_PAYLOAD_BYTES} bytes as JSON` });
  }
  return r.data as PayloadOf<T>;
}

/** RFC 7386 merge: objects merge recursively, null deletes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> =
    typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function toItem<T extends EventType>(e: Pick<StoredEvent, 'context_id' | 'payload' | 'created_at' | 'updated_at'>): HealthItem<T> {
  const id = e.context_id.slice(e.context_id.indexOf(':') + 1);
  return { id, ...e.payload, created_at: e.created_at, updated_at: e.updated_at } as HealthItem<T>;
}

/** A stored item's payload: the item without its id and timestamps. */
export function stripMeta(item: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, created_at: _c, updated_at: _u, ...payload } = item;
  return payload;
}

export function createHealthStore(lg: LocusGraph, opts: HealthStoreOptions = {}): HealthStore {
  const now = opts.now ?? Date.now;
  const maxInsightDays = opts.maxInsightDays ?? 366;
  /** Graphs of deleted accounts (this process): writes to them are refused. */
  const forgotten = new Set<string>();
  return { forUser: (userId) => new UserHealthStoreImpl(lg, userId, now, maxInsightDays, forgotten) };
}

/** The event time a payload implies; undefined lets the store use the first write's time. */
function timestampOf(type: EventType, payload: Record<string, unknown>): string | undefined {
  const f = EVENT_TYPES[type].timeField;
  const v = f ? payload[f] : undefined;
  return typeof v === 'string' ? new Date(Date.parse(v)).toISOString() : undefined;
}

/** One user's graph; every operation is bound to it. Made only by createHealthStore(...).forUser. */
class UserHealthStoreImpl implements UserHealthStore {
  readonly graphId: string;
  readonly profileId: string;

  constructor(
    private readonly lg: LocusGraph,
    readonly userId: string,
    private readonly now: () => number,
    private readonly maxInsightDays: number,
    private readonly forgottenGraphs: Set<string>,
  ) {
    if (typeof userId !== 'string' || userId.trim() === '') throw new TypeError('a user id is required');
    this.graphId = graphIdForUser(userId);
    this.profileId = CONTEXT_NAME_RE.test(userId) ? userId : this.graphId.slice('user_'.length);
  }

  async storeEvent<T extends EventType>(type: T, payload: unknown, o: StoreOptions = {}): Promise<HealthItem<T>> {
    checkType(type);
    const id = checkId(o.id ?? (type === 'profile' ? this.profileId : randomUUID()));
    const related = o.related_to;
    if (related !== undefined && (!Array.isArray(related) || related.length > 50)) throw invalid({ related_to: 'must be a list of up to 50 ids' });
    const p = validatePayload(type, this.withTime(type, payload));
    const r = await this.write(type, id, p, { replace: false, related_to: related, source: o.source });
    // A second write of an identical payload is "unchanged" to LocusGraph; to callers a
    // create of an existing id is a conflict either way (reminders rely on it for exactly-once).
    if (r.status !== 'created') throw new AppError('CONFLICT', 'A record with this id already exists', { id });
    return this.readBack(type, id, p);
  }

  async get<T extends EventType>(type: T, id: string): Promise<HealthItem<T> | null> {
    checkType(type);
    checkId(id);
    const e = await this.read(type, id);
    return e ? toItem<T>(e) : null;
  }

  async list<T extends EventType>(type: T, query: ListQuery = {}): Promise<{ items: HealthItem<T>[]; next_cursor: string | null }> {
    checkType(type);
    const q = parseOr(listQuerySchema, query, 'Invalid list query');
    const page = await this.lg.listContextType(this.graphId, type, { limit: q.limit ?? 20, cursor: q.cursor, from: q.from, to: q.to });
    return { items: page.items.map((e) => toItem<T>(e)), next_cursor: page.next_cursor };
  }

  async updateEvent<T extends EventType>(type: T, id: string, payload: unknown): Promise<HealthItem<T>> {
    checkType(type);
    checkId(id);
    const previous = await this.mustRead(type, id);
    const p = validatePayload(type, this.withTime(type, payload, previous.payload));
    await this.write(type, id, p, { replace: true, previous });
    return this.readBack(type, id, p, previous);
  }

  async upsert<T extends EventType>(type: T, id: string, payload: unknown): Promise<{ item: HealthItem<T>; created: boolean }> {
    checkType(type);
    checkId(id);
    const previous = (await this.read(type, id)) ?? undefined;
    const p = validatePayload(type, this.withTime(type, payload, previous?.payload));
    const r = await this.write(type, id, p, { replace: true, previous });
    return { item: await this.readBack(type, id, p, previous), created: r.status === 'created' };
  }

  async patch<T extends EventType>(type: T, id: string, partial: unknown): Promise<HealthItem<T>> {
    checkType(type);
    checkId(id);
    if (typeof partial !== 'object' || partial === null || Array.isArray(partial)) throw invalid({ payload: 'must be a JSON object' });
    const previous = await this.mustRead(type, id);
    const merged = mergePatch(previous.payload, stripMeta(partial as Record<string, unknown>));
    const p = validatePayload(type, this.withTime(type, merged, previous.payload));
    await this.write(type, id, p, { replace: true, previous });
    return this.readBack(type, id, p, previous);
  }

  async deleteEvent(type: EventType, id: string): Promise<boolean> {
    checkType(type);
    checkId(id);
    return (await this.lg.forgetContext(this.graphId, `${type}:${id}`)).forgotten;
  }

  async retrieveContext(query: ContextQuery = {}): Promise<{ items: ContextHit[] }> {
    const q = parseOr(contextQuerySchema, query, 'Invalid context query');
    const types = (q.types as EventType[] | undefined) ?? EVENT_TYPE_NAMES;
    const limit = q.limit ?? 20;
    if (q.text?.trim()) {
      const r = await this.lg.searchMemories({
        graph_id: this.graphId,
        query: q.text,
        limit,
        context_types: Object.fromEntries(types.map((t) => [t, []])),
        from: q.from,
        to: q.to,
      });
      const items: ContextHit[] = [];
      for (const m of r.items) {
        const cid = m.context_ids[0] ?? '';
        const type = cid.slice(0, cid.indexOf(':'));
        if (!isEventType(type)) continue;
        items.push({
          type,
          item: toItem({ context_id: cid, payload: m.value, created_at: m.created, updated_at: m.updated ?? m.created }),
          match_score: m.match_score,
        } as ContextHit);
      }
      return { items };
    }
    const pages = await Promise.all(
      types.map(async (type) => {
        const page = await this.lg.listContextType(this.graphId, type, { limit, from: q.from, to: q.to });
        return page.items.map((e) => ({ type, e }));
      }),
    );
    const merged = pages
      .flat()
      .sort((a, b) => Date.parse(b.e.timestamp) - Date.parse(a.e.timestamp) || a.e.context_id.localeCompare(b.e.context_id))
      .slice(0, limit);
    return { items: merged.map(({ type, e }) => ({ type, item: toItem(e) }) as ContextHit) };
  }

  async generateInsights(query: { from: string; to: string; timezone: string }): Promise<Insights> {
    const q = parseOr(insightQuerySchema, query, 'Invalid insights query');
    const fromMs = Date.parse(q.from);
    const toMs = Date.parse(q.to);
    if (!(toMs > fromMs)) throw invalid({ to: 'must be after from' }, 'Invalid insights query');
    if (toMs - fromMs > this.maxInsightDays * 86_400_000) throw invalid({ to: `period must be at most ${this.maxInsightDays} days` }, 'Invalid insights query');
    const [vitals, food, water, sleep, exercise, mood, meditation_log, medication_log, medication, med_schedule] = await Promise.all([
      this.loadRange('vitals', q.from, q.to),
      this.loadRange('food', q.from, q.to),
      this.loadRange('water', q.from, q.to),
      this.loadRange('sleep', q.from, q.to),
      this.loadRange('exercise', q.from, q.to),
      this.loadRange('mood', q.from, q.to),
      this.loadRange('meditation_log', q.from, q.to),
      this.loadRange('medication_log', new Date(fromMs - DOSE_MARGIN_MS).toISOString(), new Date(toMs + DOSE_MARGIN_MS).toISOString()),
      this.loadRange('medication'),
      this.loadRange('med_schedule'),
    ]);
    return computeInsights({
      fromMs,
      toMs,
      nowMs: this.now(),
      timezone: q.timezone,
      vitals,
      food,
      water,
      sleep,
      exercise,
      mood,
      meditation_log,
      medication_log,
      medication,
      med_schedule,
    });
  }

  async forgetAll(): Promise<{ forgotten: number }> {
    let forgotten = 0;
    for (const type of EVENT_TYPE_NAMES) {
      for (;;) {
        const page = await this.lg.listContextType(this.graphId, type, { limit: 1000 });
        if (page.items.length === 0) break;
        for (const e of page.items) if ((await this.lg.forgetContext(this.graphId, e.context_id)).forgotten) forgotten++;
      }
    }
    return { forgotten };
  }

  forgetGraph(): Promise<{ forgotten: number }> {
    this.forgottenGraphs.add(this.graphId);
    return this.lg.forgetGraph(this.graphId);
  }

  /** Fills an absent time field with now (on create) or the previous value (on replace). */
  private withTime(type: EventType, payload: unknown, previous?: Record<string, unknown>): unknown {
    const spec = EVENT_TYPES[type];
    const f = spec.timeField;
    if (!f || typeof payload !== 'object' || payload === null || Array.isArray(payload)) return payload;
    const p = payload as Record<string, unknown>;
    if (p[f] !== undefined) return p;
    if (previous?.[f] !== undefined) return { ...p, [f]: previous[f] };
    return spec.timeDefaultsToNow ? { ...p, [f]: new Date(this.now()).toISOString() } : p;
  }

  private write<T extends EventType>(
    type: T,
    id: string,
    payload: PayloadOf<T>,
    o: { replace: boolean; previous?: StoredEvent; related_to?: string[]; source?: Source },
  ): Promise<StoreResult> {
    if (this.forgottenGraphs.has(this.graphId)) return Promise.reject(new AppError('TOKEN_INVALID', 'Account no longer exists'));
    const p = payload as Record<string, unknown>;
    return this.lg.storeEvent({
      graph_id: this.graphId,
      event_kind: EVENT_TYPES[type].eventKind,
      context_id: `${type}:${id}`,
      payload: p,
      source: o.source ?? o.previous?.source ?? 'user',
      timestamp: timestampOf(type, p) ?? o.previous?.timestamp,
      replace: o.replace,
      ...(o.related_to?.length ? { related_to: o.related_to } : {}),
    });
  }

  private read(type: EventType, id: string): Promise<StoredEvent | null> {
    return this.lg.getContext(this.graphId, `${type}:${id}`);
  }

  private async mustRead(type: EventType, id: string): Promise<StoredEvent> {
    const e = await this.read(type, id);
    if (!e) throw new AppError('NOT_FOUND', 'Record not found');
    return e;
  }

  /**
   * The stored item after a successful write. If the store cannot be read back just then, the
   * write still happened: answer with the item as written (times from our clock) rather than
   * an error that would invite a duplicate retry.
   */
  private async readBack<T extends EventType>(type: T, id: string, payload: PayloadOf<T>, previous?: StoredEvent): Promise<HealthItem<T>> {
    try {
      const e = await this.read(type, id);
      if (e) return toItem<T>(e);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'UPSTREAM_UNAVAILABLE') throw err;
    }
    const at = new Date(this.now()).toISOString();
    return toItem<T>({ context_id: `${type}:${id}`, payload: payload as Record<string, unknown>, created_at: previous?.created_at ?? at, updated_at: at });
  }

  private async loadRange<T extends EventType>(type: T, from?: string, to?: string, cap = 50_000): Promise<HealthItem<T>[]> {
    const events = await allPages((cursor) => this.lg.listContextType(this.graphId, type, { limit: 1000, cursor, from, to }), cap);
    return events.map((e) => toItem<T>(e));
  }
}
