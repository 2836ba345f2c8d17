/**
 * One factory for the CRUD shape every health resource shares: ids round-trip, lists are
 * `{items, next_cursor}` newest first with `limit`/`cursor`/`from`/`to`, PUT replaces, PATCH
 * merges, DELETE forgets. Every call is scoped to the authenticated user's graph.
 */
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EVENT_TYPES, type EventType } from '../../locusgraph/schemas.js';
import type { HealthService, UserHealth } from '../../health/service.js';
import { userOf } from '../plugins/auth.js';
import { errorResponses, IdParams } from '../schemas.js';

export type Op = 'create' | 'list' | 'get' | 'put' | 'patch' | 'delete';
export const ALL_OPS: Op[] = ['create', 'list', 'get', 'put', 'patch', 'delete'];

const isoWithOffset = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time with offset' });

export const ListQuery = z.strictObject({
  limit: z.coerce.number().int('must be a whole number').min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
  from: isoWithOffset.optional(),
  to: isoWithOffset.optional(),
});

/** Items are the payload plus id and timestamps; the OpenAPI doc shows the payload fields. */
export const itemSchema = (type: EventType) =>
  z.looseObject({ id: z.string(), created_at: z.string(), updated_at: z.string() }).describe(`A ${type} record`);

export const listSchema = (type: EventType) => z.object({ items: z.array(itemSchema(type)), next_cursor: z.string().nullable() });

export const PatchBody = z.record(z.string(), z.unknown()).describe('Fields to change; null removes an optional field');

export function healthOf(req: FastifyRequest, service: HealthService): UserHealth {
  return service.forUser(userOf(req).id);
}

export interface ResourceOptions {
  service: HealthService;
  path: string;
  type: EventType;
  tag: string;
  ops?: Op[];
  /** Extra query parameters DELETE accepts (e.g. force for the last emergency contact). */
  deleteQuery?: z.ZodObject;
  /**
   * What a write answers besides the item (vitals: the alerts of the reading just written), with
   * its schema for the OpenAPI document.
   */
  written?: { schema: z.ZodRawShape; extra: (health: UserHealth, item: Record<string, unknown>) => Promise<Record<string, unknown>> };
  /** What the OpenAPI document says about an operation beyond its summary (rules it applies). */
  descriptions?: Partial<Record<Op, string>>;
}

export const resourceRoutes: FastifyPluginAsyncZod<ResourceOptions> = async (app, opts) => {
  const { service, path, type, tag } = opts;
  const ops = new Set(opts.ops ?? ALL_OPS);
  const body = EVENT_TYPES[type].schema as z.ZodType;
  const item = itemSchema(type);
  const withId = `${path}/:id`;
  // Writes answer with the item, plus what `written` adds.
  const writtenItem = opts.written ? item.extend(opts.written.schema) : item;
  const answer = async <I extends Record<string, unknown>>(health: UserHealth, saved: I) =>
    opts.written ? { ...saved, ...(await opts.written.extra(health, saved)) } : saved;

  if (ops.has('create')) {
    const description = opts.descriptions?.create;
    app.post(path, { schema: { tags: [tag], summary: `Create a ${type} record`, ...(description ? { description } : {}), body, response: { 201: writtenItem, ...errorResponses } } }, async (req, reply) => {
      const health = healthOf(req, service);
      const saved = await health.create(type, req.body as Record<string, unknown>);
      reply.status(201);
      return answer(health, saved);
    });
  }
  if (ops.has('list')) {
    app.get(path, { schema: { tags: [tag], summary: `List ${type} records, newest first`, querystring: ListQuery, response: { 200: listSchema(type), ...errorResponses } } }, async (req) =>
      healthOf(req, service).list(type, req.query),
    );
  }
  if (ops.has('get')) {
    app.get(withId, { schema: { tags: [tag], summary: `Get a ${type} record`, params: IdParams, response: { 200: item, ...errorResponses } } }, async (req) =>
      healthOf(req, service).mustGet(type, req.params.id),
    );
  }
  if (ops.has('put')) {
    app.put(withId, { schema: { tags: [tag], summary: `Replace a ${type} record`, params: IdParams, body, response: { 200: writtenItem, ...errorResponses } } }, async (req) => {
      const health = healthOf(req, service);
      return answer(health, await health.replace(type, req.params.id, req.body as Record<string, unknown>));
    });
  }
  if (ops.has('patch')) {
    app.patch(withId, { schema: { tags: [tag], summary: `Change fields of a ${type} record`, params: IdParams, body: PatchBody, response: { 200: writtenItem, ...errorResponses } } }, async (req) => {
      const health = healthOf(req, service);
      return answer(health, await health.patch(type, req.params.id, req.body));
    });
  }
  if (ops.has('delete')) {
    const querystring = opts.deleteQuery ?? z.strictObject({});
    app.delete(withId, { schema: { tags: [tag], summary: `Delete a ${type} record`, params: IdParams, querystring, response: { 204: z.null(), ...errorResponses } } }, async (req, reply) => {
      const force = (req.query as { force?: boolean }).force === true;
      await healthOf(req, service).remove(type, req.params.id, { force });
      return reply.status(204).send(null);
    });
  }
};
