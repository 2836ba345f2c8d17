/** The health adapter over the hosted client: through the real façade, and through outages. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedLocusGraph } from '../../src/locusgraph/embedded.js';
import { createHealthStore } from '../../src/locusgraph/health.js';
import { HttpLocusGraph } from '../../src/locusgraph/http-client.js';
import { buildLocusGraphServer } from '../../src/locusgraph-server/server.js';
import { tempDataDir } from './helpers.js';

const SECRET = 'hosted-health-secret-123';
const noWait = { retries: 1, sleep: async () => {} };

describe('health store over the hosted client', () => {
  let tmp: ReturnType<typeof tempDataDir>;
  let store: EmbeddedLocusGraph;
  let app: ReturnType<typeof buildLocusGraphServer>;
  let address: string;
  beforeAll(async () => {
    tmp = tempDataDir();
    store = new EmbeddedLocusGraph({ dataDir: tmp.dir, key: tmp.key });
    app = buildLocusGraphServer({ store, agentSecret: SECRET });
    address = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
    await store.close();
    tmp.remove();
  });

  it('stores, lists, updates, searches and deletes through the v1 façade, in the user’s graph', async () => {
    const health = createHealthStore(new HttpLocusGraph({ baseUrl: address, agentSecret: SECRET, ...noWait }));
    const u = health.forUser('hosted-user-1');
    const item = await u.storeEvent('food', { description: 'Masala dosa', calories: 350, logged_at: '2026-02-18T08:30:00+05:30' });
    expect((await store.getContext(u.graphId, `food:${item.id}`))!.payload).toMatchObject({ description: 'Masala dosa' });
    expect((await u.list('food')).items).toEqual([item]);
    const updated = await u.updateEvent('food', item.id, { description: 'Masala dosa with chutney', calories: 400 });
    expect(updated).toMatchObject({ id: item.id, created_at: item.created_at, logged_at: '2026-02-18T08:30:00+05:30' });
    expect((await u.retrieveContext({ text: 'chutney' })).items.map((h) => h.item.id)).toEqual([item.id]);
    expect((await appCode(u.storeEvent('food', { description: 'again' }, { id: item.id })))).toBe('CONFLICT');
    expect(await u.deleteEvent('food', item.id)).toBe(true);
    expect(await u.get('food', item.id)).toBeNull();
  });
});

async function appCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as { code: string }).code;
  }
  return 'no error';
}

describe('health store during a hosted outage', () => {
  let server: Server;
  let base: string;
  let writes = 0;
  let mode: 'down' | 'reads-down' = 'down';
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const send = (status: number, body: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        if (mode === 'down' || req.method === 'GET') return send(503, { success: false, error: { code: 'UNAVAILABLE', message: 'down' } });
        writes++;
        send(200, { success: true, data: { locus_id: 'L00000000000000ab', status: 'created', confidence: 1, context_id: 'x:y' } });
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  it('maps an outage to 503 UPSTREAM_UNAVAILABLE with nothing written', async () => {
    mode = 'down';
    const u = createHealthStore(new HttpLocusGraph({ baseUrl: base, agentSecret: 's', ...noWait })).forUser('u1');
    const err = await u.storeEvent('water', { amount_ml: 250 }).catch((e: unknown) => e as { code: string; statusCode: number });
    expect(err).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', statusCode: 503 });
    expect(writes).toBe(0);
    expect(await appCode(u.list('water'))).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('answers with the written item when only the read-back fails, so a retry cannot duplicate it', async () => {
    mode = 'reads-down';
    const clock = Date.parse('2026-02-18T10:00:00Z');
    const u = createHealthStore(new HttpLocusGraph({ baseUrl: base, agentSecret: 's', ...noWait }), { now: () => clock }).forUser('u1');
    const item = await u.storeEvent('water', { amount_ml: 250 });
    expect(writes).toBe(1);
    expect(item).toMatchObject({ amount_ml: 250, logged_at: '2026-02-18T10:00:00.000Z', created_at: '2026-02-18T10:00:00.000Z' });
  });
});
