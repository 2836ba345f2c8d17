/**
 * A LocusGraph v1 HTTP façade over any LocusGraph implementation (normally the embedded store),
 * so several Podd instances can share one store and the hosted client is tested against the
 * real wire format. Every request needs `Authorization: Bearer <agent secret>`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import { z } from 'zod';
import { AppError, isAppError } from '../errors.js';
import type { LocusGraph } from '../locusgraph/port.js';
import { validationFailed } from '../locusgraph/validate.js';

export interface LocusGraphServerOptions {
  store: LocusGraph;
  agentSecret: string;
  /** A pino logger; none by default. */
  logger?: FastifyBaseLogger;
  /** Batches of up to 1000 events need room; default 16 MiB. */
  bodyLimit?: number;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time check of a bearer header against the secret (hashing first equalises lengths). */
export function bearerMatches(header: string | undefined, secretDigest: Buffer): boolean {
  const m = header ? /^Bearer (.+)$/.exec(header) : null;
  return timingSafeEqual(digest(m?.[1] ?? ''), secretDigest) && m !== null;
}

const limit = z.coerce.number().int().min(1).max(1000).optional();
const listQuery = z.object({ limit, cursor: z.string().max(200).optional(), from: z.string().optional(), to: z.string().optional() });
const sinceQuery = z.object({ since: z.string(), limit, cursor: z.string().max(200).optional() });
const contextQuery = z.object({ context_id: z.string() });
const batchBody = z.object({ events: z.array(z.unknown()) });

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw validationFailed(r.error.issues);
  return r.data;
}

function fail(reply: FastifyReply, status: number, code: string, message: string, details: Record<string, unknown> = {}) {
  return reply.code(status).send({ success: false, error: { code, message, details } });
}

export function buildLocusGraphServer(opts: LocusGraphServerOptions): FastifyInstance {
  if (!opts.agentSecret) throw new Error('agentSecret is required');
  const secretDigest = digest(opts.agentSecret);
  const store = opts.store;
  const app = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: false }),
    bodyLimit: opts.bodyLimit ?? 16 * 1024 * 1024,
    // Ids only in logs: never echo query strings (they carry context ids and time ranges) or bodies.
    logController: new LogController({ disableRequestLogging: true }),
  });

  // An empty JSON body (a DELETE sent with a JSON content type) is no body, not a 400.
  const jsonParser = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (body === '') return done(null, undefined);
    jsonParser(req, body as string, done);
  });

  app.addHook('onRequest', async (req, reply) => {
    if (!bearerMatches(req.headers.authorization, secretDigest)) {
      return fail(reply, 401, 'UNAUTHORIZED', 'A valid agent secret is required');
    }
  });

  app.addHook('onResponse', async (req, reply) => {
    req.log.info({ method: req.method, route: req.routeOptions.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  app.setErrorHandler((err, req, reply) => {
    if (isAppError(err)) {
      reply.headers(err.headers);
      return fail(reply, err.statusCode, err.code, err.message, err.details);
    }
    const e = err as { statusCode?: number; code?: string };
    if (e.statusCode === 413) return fail(reply, 413, 'PAYLOAD_TOO_LARGE', 'Request body is too large');
    if (e.statusCode === 415) return fail(reply, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send application/json');
    if (e.statusCode === 400) return fail(reply, 400, 'VALIDATION_ERROR', 'Malformed request');
    req.log.error({ code: e.code, name: (err as Error).name }, 'locusgraph request failed');
    return fail(reply, 500, 'INTERNAL', 'Internal error');
  });

  app.setNotFoundHandler((_req, reply) => fail(reply, 404, 'NOT_FOUND', 'No such route'));

  const ok = (data: unknown) => ({ success: true, data });

  app.post('/v1/events', async (req) => ok(await store.storeEvent(req.body as never)));

  app.post('/v1/events/batch', async (req) => {
    const { events } = parse(batchBody, req.body);
    return ok({ results: await store.storeBatch(events as never) });
  });

  app.get<{ Params: { graph: string } }>('/v1/context/:graph', async (req) => {
    const { context_id } = parse(contextQuery, req.query);
    const event = await store.getContext(req.params.graph, context_id);
    if (!event) throw new AppError('NOT_FOUND', 'Context not found');
    return ok(event);
  });

  app.get<{ Params: { graph: string; type: string } }>('/v1/locuses/context/:graph/:type', async (req) => {
    const q = parse(listQuery, req.query);
    return ok(await store.listContextType(req.params.graph, req.params.type, q));
  });

  app.post('/v1/memories', async (req) => {
    const body = { ...(req.body as Record<string, unknown>) };
    if (body.format !== undefined && body.format !== 'json') {
      throw new AppError('VALIDATION_ERROR', 'Invalid LocusGraph request', { format: 'only json is supported' });
    }
    delete body.format;
    return ok(await store.searchMemories(body as never));
  });

  app.get<{ Params: { graph: string } }>('/v1/events/:graph', async (req) => {
    const q = parse(sinceQuery, req.query);
    return ok(await store.eventsSince(req.params.graph, q.since, { limit: q.limit, cursor: q.cursor }));
  });

  app.delete<{ Params: { graph: string; type: string; name: string } }>('/v1/contexts/:graph/:type/:name', async (req) => {
    const { graph, type, name } = req.params;
    const r = await store.forgetContext(graph, `${type}:${name}`);
    if (!r.forgotten) throw new AppError('NOT_FOUND', 'Context not found');
    return ok(r);
  });

  // Idempotent: a graph that does not exist is forgotten already ({forgotten: 0}), not a 404.
  app.delete<{ Params: { graph: string } }>('/v1/graphs/:graph', async (req) => ok(await store.forgetGraph(req.params.graph)));

  return app;
}
