/**
 * The hosted client against a tiny fake LocusGraph that answers from a script, so failures
 * (429, 5xx, hangs, odd bodies) can be injected exactly.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpLocusGraph, parseRetryAfter, type HttpLocusGraphOptions } from '../../src/locusgraph/http-client.js';
import { appError } from './helpers.js';

interface Seen {
  method: string;
  url: string;
  auth?: string;
  body: string;
}
type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | 'hang';

let server: Server;
let base: string;
let script: Reply[] = [];
let seen: Seen[] = [];
const hung: ServerResponse[] = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body });
      const next = script.shift() ?? { status: 500, body: { success: false, error: { code: 'INTERNAL', message: 'script ran out' } } };
      if (next === 'hang') return void hung.push(res);
      res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
      res.end(typeof next.body === 'string' ? next.body : JSON.stringify(next.body ?? {}));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const res of hung) res.destroy();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  script = [];
  seen = [];
});

const okStore = { status: 200, body: { success: true, data: { locus_id: 'L0123456789abcdef', status: 'created', confidence: 1, context_id: 'water:w1' } } };
const event = { graph_id: 'g1', event_kind: 'fact' as const, context_id: 'water:w1', payload: { amount_ml: 250 } };

function client(extra: Partial<HttpLocusGraphOptions> = {}) {
  const sleeps: number[] = [];
  const lg = new HttpLocusGraph({
    baseUrl: base,
    agentSecret: 'sekret',
    timeoutMs: 1000,
    retries: 3,
    backoffBaseMs: 100,
    backoffMaxMs: 1000,
    random: () => 0.5,
    sleep: async (ms) => void sleeps.push(ms),
    ...extra,
  });
  return { lg, sleeps };
}

describe('hosted LocusGraph client', () => {
  it('sends the agent secret as a bearer token and the event as JSON to POST /v1/events', async () => {
    script = [okStore];
    const { lg } = client();
    expect(await lg.storeEvent(event)).toMatchObject({ status: 'created', locus_id: 'L0123456789abcdef' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/v1/events', auth: 'Bearer sekret' });
    expect(JSON.parse(seen[0]!.body)).toEqual(event);
  });

  it('retries 5xx with jittered exponential backoff, then succeeds', async () => {
    script = [{ status: 503 }, { status: 502, body: 'Bad gateway' }, okStore];
    const { lg, sleeps } = client();
    expect((await lg.storeEvent(event)).status).toBe('created');
    expect(seen).toHaveLength(3);
    // cap = base * 2^attempt; delay = cap/2 + random * cap/2 with random fixed at 0.5.
    expect(sleeps).toEqual([75, 150]);
  });

  it('waits as long as Retry-After says on 429 (seconds and HTTP date)', async () => {
    script = [{ status: 429, headers: { 'retry-after': '2' } }, okStore];
    const { lg, sleeps } = client();
    await lg.storeEvent(event);
    expect(sleeps).toEqual([2000]);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('gives up at once when Retry-After is longer than it will wait, passing it on', async () => {
    script = [{ status: 503, headers: { 'retry-after': '120' } }, okStore];
    const { lg, sleeps } = client({ maxRetryAfterMs: 30_000 });
    const err = await appError(lg.storeEvent(event));
    expect(err.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(err.statusCode).toBe(503);
    expect(err.headers['retry-after']).toBe('120');
    expect(seen).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('maps exhausted retries to UPSTREAM_UNAVAILABLE without leaking upstream text', async () => {
    script = Array.from({ length: 4 }, () => ({ status: 500, body: { success: false, error: { code: 'INTERNAL', message: 'db exploded at row 7' } } }));
    const { lg } = client();
    const err = await appError(lg.storeEvent(event));
    expect(err.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(err.message).not.toContain('exploded');
    expect(seen).toHaveLength(4);
  });

  it('does not retry 4xx answers and maps them to our codes', async () => {
    const { lg, sleeps } = client();
    script = [{ status: 400, body: { success: false, error: { code: 'VALIDATION_ERROR', message: 'bad', details: { 'payload.x': 'bad' } } } }];
    const v = await appError(lg.storeEvent(event));
    expect(v.code).toBe('VALIDATION_ERROR');
    expect(v.details).toEqual({ 'payload.x': 'bad' });
    script = [{ status: 409, body: { success: false, error: { code: 'CONFLICT', message: 'exists' } } }];
    expect((await appError(lg.storeEvent(event))).code).toBe('CONFLICT');
    script = [{ status: 413, body: { success: false, error: { code: 'PAYLOAD_TOO_LARGE', message: 'big' } } }];
    expect((await appError(lg.storeEvent(event))).code).toBe('VALIDATION_ERROR');
    script = [{ status: 401, body: { success: false, error: { code: 'UNAUTHORIZED', message: 'no' } } }];
    expect((await appError(lg.storeEvent(event))).code).toBe('UPSTREAM_UNAVAILABLE');
    expect(seen).toHaveLength(4);
    expect(sleeps).toEqual([]);
  });

  it('reads the API’s own 404 as "absent" but a bare 404 as an outage', async () => {
    const { lg } = client();
    script = [{ status: 404, body: { success: false, error: { code: 'NOT_FOUND', message: 'none' } } }];
    expect(await lg.getContext('g1', 'water:w1')).toBeNull();
    script = [{ status: 404, body: { success: false, error: { code: 'NOT_FOUND', message: 'none' } } }];
    expect(await lg.forgetContext('g1', 'water:w1')).toEqual({ forgotten: false });
    expect(seen[1]).toMatchObject({ method: 'DELETE', url: '/v1/contexts/g1/water/w1' });
    script = [{ status: 404, body: '<html>nginx</html>' }];
    expect((await appError(lg.getContext('g1', 'water:w1'))).code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('forgets a graph with DELETE /v1/graphs/{graph}, and reads a 404 there as an outage, never as "nothing to delete"', async () => {
    const { lg } = client();
    script = [{ status: 200, body: { success: true, data: { forgotten: 4 } } }];
    expect(await lg.forgetGraph('g1')).toEqual({ forgotten: 4 });
    expect(seen[0]).toMatchObject({ method: 'DELETE', url: '/v1/graphs/g1' });
    script = [{ status: 404, body: { success: false, error: { code: 'NOT_FOUND', message: 'No such route' } } }];
    expect((await appError(lg.forgetGraph('g1'))).code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('times out a hanging request, retries, then reports UPSTREAM_UNAVAILABLE', async () => {
    script = ['hang', 'hang'];
    const { lg } = client({ timeoutMs: 100, retries: 1 });
    const err = await appError(lg.listContextType('g1', 'water'));
    expect(err.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(seen).toHaveLength(2);
    expect(seen[0]!.url).toBe('/v1/locuses/context/g1/water?limit=20');
  });

  it('recovers when a timed-out request is followed by a healthy one', async () => {
    script = ['hang', { status: 200, body: { success: true, data: { items: [], next_cursor: null } } }];
    const { lg } = client({ timeoutMs: 100, retries: 1 });
    expect(await lg.listContextType('g1', 'water')).toEqual({ items: [], next_cursor: null });
  });

  it('reports a refused connection as UPSTREAM_UNAVAILABLE after its retries', async () => {
    const { lg, sleeps } = client({ baseUrl: 'http://127.0.0.1:1', retries: 2 });
    expect((await appError(lg.getContext('g1', 'water:w1'))).code).toBe('UPSTREAM_UNAVAILABLE');
    expect(sleeps).toHaveLength(2);
  });

  it('treats a 200 without the {success, data} envelope as an outage', async () => {
    script = [{ status: 200, body: { locus_id: 'L1' } }];
    const { lg } = client();
    expect((await appError(lg.storeEvent(event))).code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('refuses invalid input without sending anything', async () => {
    const { lg } = client();
    expect((await appError(lg.storeEvent({ ...event, context_id: 'bad id' }))).code).toBe('VALIDATION_ERROR');
    expect((await appError(lg.storeEvent({ ...event, payload: { big: 'x'.repeat(70_000) } }))).code).toBe('VALIDATION_ERROR');
    expect((await appError(lg.searchMemories({ graph_id: 'g1', query: 'x', limit: 500 }))).code).toBe('VALIDATION_ERROR');
    expect(seen).toHaveLength(0);
  });

  it('posts searches with format json and batches as {events}', async () => {
    script = [
      { status: 200, body: { success: true, data: { items: [] } } },
      { status: 200, body: { success: true, data: { results: [okStore.body.data] } } },
    ];
    const { lg } = client();
    await lg.searchMemories({ graph_id: 'g1', query: 'rice', context_types: { food: [] } });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/v1/memories' });
    expect(JSON.parse(seen[0]!.body)).toEqual({ graph_id: 'g1', query: 'rice', context_types: { food: [] }, format: 'json' });
    expect(await lg.storeBatch([event])).toEqual([okStore.body.data]);
    expect(JSON.parse(seen[1]!.body)).toEqual({ events: [event] });
  });
});
