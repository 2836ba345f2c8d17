import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedLocusGraph } from '../../src/locusgraph/embedded.js';
import { HttpLocusGraph } from '../../src/locusgraph/http-client.js';
import { buildLocusGraphServer } from '../../src/locusgraph-server/server.js';
import { locusGraphContract } from './contract.js';
import { tempDataDir } from './helpers.js';

const SECRET = 'test-agent-secret-0123456789';

async function startFacade() {
  const tmp = tempDataDir();
  const store = new EmbeddedLocusGraph({ dataDir: tmp.dir, key: tmp.key });
  const app = buildLocusGraphServer({ store, agentSecret: SECRET });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    store,
    app,
    address,
    stop: async () => {
      await app.close();
      await store.close();
      tmp.remove();
    },
  };
}

locusGraphContract('hosted client → v1 façade → embedded (loopback HTTP)', async () => {
  const f = await startFacade();
  const lg = new HttpLocusGraph({ baseUrl: f.address, agentSecret: SECRET, retries: 0 });
  return { lg, cleanup: f.stop };
});

describe('v1 façade', () => {
  let f: Awaited<ReturnType<typeof startFacade>>;
  beforeAll(async () => {
    f = await startFacade();
  });
  afterAll(async () => {
    await f.stop();
  });

  it('refuses requests without the agent secret, before touching the store', async () => {
    for (const auth of [undefined, 'Bearer wrong-secret', `Basic ${SECRET}`, `Bearer ${SECRET}x`, 'Bearer ']) {
      const res = await fetch(`${f.address}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
        body: JSON.stringify({ graph_id: 'g1', event_kind: 'fact', context_id: 'water:w', payload: { amount_ml: 1 } }),
      });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ success: false, error: { code: 'UNAUTHORIZED' } });
    }
    expect(await f.store.getContext('g1', 'water:w')).toBeNull();
  });

  it('speaks the {success, data} envelope and the v1 paths', async () => {
    const h = { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' };
    const created = await fetch(`${f.address}/v1/events`, {
      method: 'POST',
      headers: h,
      body: JSON.stringify({ graph_id: 'g2', event_kind: 'fact', context_id: 'water:w1', payload: { amount_ml: 250 } }),
    });
    expect(created.status).toBe(200);
    const body = (await created.json()) as { success: boolean; data: { status: string; locus_id: string } };
    expect(body).toMatchObject({ success: true, data: { status: 'created', context_id: 'water:w1' } });

    const conflict = await fetch(`${f.address}/v1/events`, {
      method: 'POST',
      headers: h,
      body: JSON.stringify({ graph_id: 'g2', event_kind: 'fact', context_id: 'water:w1', payload: { amount_ml: 300 } }),
    });
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ success: false, error: { code: 'CONFLICT' } });

    const ctx = await fetch(`${f.address}/v1/context/g2?context_id=water:w1`, { headers: h });
    expect(((await ctx.json()) as { data: { payload: unknown } }).data.payload).toEqual({ amount_ml: 250 });
    const list = await fetch(`${f.address}/v1/locuses/context/g2/water?limit=5`, { headers: h });
    expect(((await list.json()) as { data: { items: unknown[] } }).data.items).toHaveLength(1);
    const missing = await fetch(`${f.address}/v1/context/g2?context_id=water:none`, { headers: h });
    expect(missing.status).toBe(404);
    const del = await fetch(`${f.address}/v1/contexts/g2/water/w1`, { method: 'DELETE', headers: h });
    expect(await del.json()).toEqual({ success: true, data: { forgotten: true } });
  });

  it('maps malformed JSON and bad query strings to 400 VALIDATION_ERROR', async () => {
    const h = { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' };
    const bad = await fetch(`${f.address}/v1/events`, { method: 'POST', headers: h, body: '{"graph_id":' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR' } });
    const badLimit = await fetch(`${f.address}/v1/locuses/context/g2/water?limit=abc`, { headers: h });
    expect(badLimit.status).toBe(400);
    const noSince = await fetch(`${f.address}/v1/events/g2`, { headers: h });
    expect(noSince.status).toBe(400);
  });

  it('turns a wrong agent secret into UPSTREAM_UNAVAILABLE for the client, without retrying', async () => {
    const lg = new HttpLocusGraph({ baseUrl: f.address, agentSecret: 'not-the-secret', retries: 2, sleep: async () => {} });
    await expect(lg.getContext('g1', 'water:w')).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', statusCode: 503 });
  });
});
