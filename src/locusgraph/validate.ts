/**
 * Input rules shared by every LocusGraph implementation, so the embedded store and the hosted
 * client reject the same things before anything is written or sent.
 */
import { z } from 'zod';
import { AppError, zodIssuesToDetails } from '../errors.js';
import {
  EVENT_KINDS,
  MAX_BATCH,
  MAX_LIST_LIMIT,
  MAX_PAYLOAD_BYTES,
  MAX_SEARCH_LIMIT,
  SOURCES,
  type EventInput,
  type JsonObject,
  type ListOptions,
  type SearchQuery,
  type SinceOptions,
} from './port.js';

export const GRAPH_ID_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
export const CONTEXT_TYPE_RE = /^[a-z][a-z0-9_]{0,63}$/;
export const CONTEXT_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
const CONTEXT_ID_RE = /^([a-z][a-z0-9_]{0,63}):([A-Za-z0-9][A-Za-z0-9._-]{0,199})$/;

export const isoWithOffset = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time with offset' });

const graphId = z.string().regex(GRAPH_ID_RE, 'must be 1-128 letters, digits, _ or -');
export const contextIdSchema = z.string().regex(CONTEXT_ID_RE, 'must look like <type>:<name>');
const links = z.array(contextIdSchema).max(50).optional();

function payloadBytes(payload: unknown): number {
  return Buffer.byteLength(JSON.stringify(payload) ?? '', 'utf8');
}

const payloadSchema = z
  .custom<JsonObject>(
    (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype,
    { message: 'must be a JSON object' },
  )
  .refine((p) => payloadBytes(p) <= MAX_PAYLOAD_BYTES, { message: `must be at most ${MAX_PAYLOAD_BYTES} bytes as JSON` });

export const eventInputSchema = z
  .object({
    graph_id: graphId,
    event_kind: z.enum(EVENT_KINDS),
    context_id: contextIdSchema,
    source: z.enum(SOURCES).optional(),
    payload: payloadSchema,
    timestamp: isoWithOffset.optional(),
    replace: z.boolean().optional(),
    related_to: links,
    extends: links,
    reinforces: links,
    contradicts: links,
  })
  .strict()
  .refine(
    (e) =>
      (e.related_to?.length ?? 0) + (e.extends?.length ?? 0) + (e.reinforces?.length ?? 0) + (e.contradicts?.length ?? 0) <=
      100,
    { message: 'at most 100 links in total', path: ['related_to'] },
  );

export function validationFailed(issues: z.core.$ZodIssue[], prefix = '', message = 'Invalid LocusGraph request'): AppError {
  return new AppError('VALIDATION_ERROR', message, zodIssuesToDetails(issues, prefix));
}

export function checkEvent(input: unknown, prefix = ''): EventInput {
  const r = eventInputSchema.safeParse(input);
  if (!r.success) throw validationFailed(r.error.issues, prefix);
  return r.data as EventInput;
}

export function checkBatch(inputs: unknown): EventInput[] {
  if (!Array.isArray(inputs)) throw new AppError('VALIDATION_ERROR', 'Invalid LocusGraph request', { events: 'must be an array' });
  if (inputs.length > MAX_BATCH) {
    throw new AppError('VALIDATION_ERROR', 'Invalid LocusGraph request', { events: `at most ${MAX_BATCH} events` });
  }
  return inputs.map((e, i) => {
    try {
      return checkEvent(e, `events.${i}`);
    } catch (err) {
      if (err instanceof AppError) err.details.index = i;
      throw err;
    }
  });
}

export function checkGraphId(id: unknown): string {
  if (typeof id !== 'string' || !GRAPH_ID_RE.test(id)) {
    throw new AppError('VALIDATION_ERROR', 'Invalid LocusGraph request', { graph_id: 'must be 1-128 letters, digits, _ or -' });
  }
  return id;
}

export function parseContextId(id: unknown, field = 'context_id'): { type: string; name: string } {
  const m = typeof id === 'string' ? CONTEXT_ID_RE.exec(id) : null;
  if (!m) throw new AppError('VALIDATION_ERROR', 'Invalid LocusGraph request', { [field]: 'must look like <type>:<name>' });
  return { type: m[1]!, name: m[2]! };
}

export function checkContextType(type: unknown): string {
  if (typeof type !== 'string' || !CONTEXT_TYPE_RE.test(type)) {
    throw new AppError('VALIDATION_ERROR', 'Invalid LocusGraph request', { context_type: 'must be lower-case letters, digits or _' });
  }
  return type;
}

/** Parses an ISO-8601 date-time with offset into epoch ms, or throws VALIDATION_ERROR naming the field. */
export function parseTime(value: string, field: string): number {
  const ok = isoWithOffset.safeParse(value).success;
  const ms = ok ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) throw new AppError('VALIDATION_ERROR', 'Invalid LocusGraph request', { [field]: 'must be an ISO-8601 date-time with offset' });
  return ms;
}

function checkLimit(limit: unknown, def: number, max: number): number {
  if (limit === undefined) return def;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new AppError('VALIDATION_ERROR', 'Invalid LocusGraph request', { limit: `must be an integer from 1 to ${max}` });
  }
  return limit;
}

export interface CheckedList {
  limit: number;
  cursor?: string;
  fromMs?: number;
  toMs?: number;
}

export function checkListOptions(o: ListOptions = {}): CheckedList {
  const fromMs = o.from === undefined ? undefined : parseTime(o.from, 'from');
  const toMs = o.to === undefined ? undefined : parseTime(o.to, 'to');
  if (fromMs !== undefined && toMs !== undefined && fromMs > toMs) {
    throw new AppError('VALIDATION_ERROR', 'Invalid LocusGraph request', { from: 'must not be after to' });
  }
  return { limit: checkLimit(o.limit, 20, MAX_LIST_LIMIT), cursor: o.cursor, fromMs, toMs };
}

export function checkSinceOptions(since: string, o: SinceOptions = {}): { sinceMs: number; limit: number; cursor?: string } {
  return { sinceMs: parseTime(since, 'since'), limit: checkLimit(o.limit, 100, MAX_LIST_LIMIT), cursor: o.cursor };
}

const searchSchema = z
  .object({
    graph_id: graphId,
    query: z.string().max(1000),
    limit: z.number().int().min(1).max(MAX_SEARCH_LIMIT).optional(),
    offset: z.number().int().min(0).max(10_000).optional(),
    context_ids: z.array(contextIdSchema).max(100).optional(),
    context_types: z
      .record(z.string().regex(CONTEXT_TYPE_RE, 'must be a context type'), z.array(z.string().regex(CONTEXT_NAME_RE)).max(100))
      .optional(),
    event_kinds: z.array(z.enum(EVENT_KINDS)).optional(),
    sources: z.array(z.enum(SOURCES)).optional(),
    from: isoWithOffset.optional(),
    to: isoWithOffset.optional(),
    format: z.enum(['json']).optional(),
  })
  .strict();

export function checkSearch(q: unknown): SearchQuery {
  const r = searchSchema.safeParse(q);
  if (!r.success) throw validationFailed(r.error.issues);
  const out = r.data;
  if (out.from && out.to && Date.parse(out.from) > Date.parse(out.to)) {
    throw new AppError('VALIDATION_ERROR', 'Invalid LocusGraph request', { from: 'must not be after to' });
  }
  delete out.format;
  return out as SearchQuery;
}

/** JSON with object keys sorted, so equal payloads compare equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}
