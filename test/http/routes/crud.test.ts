import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { createOne, RESOURCES, type ResourceCase } from './_resources.js';
import { expectError, istHoursBefore, makeRestApp, signIn, sleep, type Client, type Json } from './_support.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeRestApp();
});
afterAll(async () => t.close());

const BASE = Date.parse('2026-03-10T12:00:00Z');

/** What a stored item must hold for a body: the same fields, references in `type:<id>` form. */
function expected(body: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(body)) {
    out[k] = k.endsWith('_id') && typeof v === 'string' && !v.includes(':') ? expect.stringMatching(new RegExp(`^[a-z_]+:${v}$`)) : v;
  }
  return out;
}

/** Creates n records, oldest first, whose time fields (or write times) are strictly increasing. */
async function createSeries(c: Client, rc: ResourceCase, n: number): Promise<Json[]> {
  const refs = rc.setup ? await rc.setup(c) : {};
  const out: Json[] = [];
  for (let i = n; i >= 1; i--) {
    const at = rc.timeField ? istHoursBefore(BASE, i * 24) : undefined;
    const r = await c.post(rc.path, rc.body(refs, at));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    out.push(r.body);
    // Records without a time field order by write time: keep those writes apart.
    if (!rc.timeField) await sleep(3);
  }
  return out;
}

describe.each(RESOURCES)('$name', (rc) => {
  it('creates a record and returns it with id and timestamps; GET by that id returns the same record', async () => {
    const c = await signIn(t.app);
    const refs = rc.setup ? await rc.setup(c) : {};
    const body = rc.body(refs);
    const created = await c.post(rc.path, body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ ...expected(body), id: expect.any(String), created_at: expect.any(String), updated_at: expect.any(String) });
    expect(created.body.id).not.toContain(':');
    expect(Date.parse(created.body.created_at)).not.toBeNaN();

    const got = await c.get(`${rc.path}/${created.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);

    const listed = await c.all(rc.path);
    expect(listed.filter((i) => i.id === created.body.id)).toEqual([created.body]);
  });

  it('lists newest first across pages with next_cursor, each record exactly once', async () => {
    const c = await signIn(t.app);
    const series = await createSeries(c, rc, 5);
    const newestFirst = series.map((i) => i.id).reverse();
    const ids: string[] = [];
    const pageSizes: number[] = [];
    let cursor: string | null = null;
    do {
      const r = await c.get(`${rc.path}?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(Object.keys(r.body).sort()).toEqual(['items', 'next_cursor']);
      pageSizes.push(r.body.items.length);
      ids.push(...r.body.items.map((i: Json) => i.id));
      cursor = r.body.next_cursor;
    } while (cursor);
    expect(pageSizes).toEqual([2, 2, 1]);
    expect(ids).toEqual(newestFirst);

    const dflt = await c.get(rc.path);
    expect(dflt.body.items.map((i: Json) => i.id)).toEqual(newestFirst);
    expect(dflt.body.next_cursor).toBeNull();
  });

  it('filters a list by from (inclusive) and to (exclusive)', async () => {
    const c = await signIn(t.app);
    if (rc.timeField) {
      const series = await createSeries(c, rc, 4); // 4, 3, 2 and 1 days before BASE
      const at = (i: number) => series[i]![rc.timeField!] as string;
      // The same instants written in UTC: the filter compares instants, not strings.
      const utc = (iso: string) => new Date(Date.parse(iso)).toISOString();
      const r = await c.get(`${rc.path}?from=${encodeURIComponent(utc(at(1)))}&to=${encodeURIComponent(utc(at(3)))}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.items.map((i: Json) => i.id)).toEqual([series[2]!.id, series[1]!.id]);
      const onlyFrom = await c.get(`${rc.path}?from=${encodeURIComponent(at(3))}`);
      expect(onlyFrom.body.items.map((i: Json) => i.id)).toEqual([series[3]!.id]);
      const onlyTo = await c.get(`${rc.path}?to=${encodeURIComponent(at(1))}`);
      expect(onlyTo.body.items.map((i: Json) => i.id)).toEqual([series[0]!.id]);
    } else {
      const refs = rc.setup ? await rc.setup(c) : {};
      const first = (await c.post(rc.path, rc.body(refs))).body;
      await sleep(10);
      const secondItem = (await c.post(rc.path, rc.body(refs))).body;
      // Without a time field the filter applies to the write time: split between the two writes.
      const mid = new Date((Date.parse(first.created_at) + Date.parse(secondItem.created_at)) / 2).toISOString();
      expect(Date.parse(secondItem.created_at) - Date.parse(first.created_at)).toBeGreaterThanOrEqual(2);
      const after = await c.get(`${rc.path}?from=${encodeURIComponent(mid)}`);
      expect(after.body.items.map((i: Json) => i.id)).toEqual([secondItem.id]);
      const before = await c.get(`${rc.path}?to=${encodeURIComponent(mid)}`);
      expect(before.body.items.map((i: Json) => i.id)).toEqual([first.id]);
    }
  });

  it('deletes: 204, then 404 by id, gone from the list, and a second delete is 404', async () => {
    const c = await signIn(t.app);
    const series = await createSeries(c, rc, 2);
    const [keep, gone] = series as [Json, Json];
    const del = await c.del(`${rc.path}/${gone.id}`);
    expect(del.status, JSON.stringify(del.body)).toBe(204);
    expectError(await c.get(`${rc.path}/${gone.id}`), 404, 'NOT_FOUND');
    expect((await c.all(rc.path)).map((i) => i.id)).toEqual([keep.id]);
    expectError(await c.del(`${rc.path}/${gone.id}`), 404, 'NOT_FOUND');
  });

  it('answers 404 for an id that was never issued', async () => {
    const c = await signIn(t.app);
    expectError(await c.get(`${rc.path}/00000000-0000-4000-8000-000000000000`), 404, 'NOT_FOUND');
    expectError(await c.del(`${rc.path}/00000000-0000-4000-8000-000000000000`), 404, 'NOT_FOUND');
  });

  if (rc.updatable) {
    it('PUT replaces: given fields change, fields not given are gone (not null), id and created_at stay', async () => {
      const c = await signIn(t.app);
      const { refs, item } = await createOne(c, rc);
      await sleep(2);
      const body = rc.replacement!(refs);
      const put = await c.put(`${rc.path}/${item.id}`, body);
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      expect(put.body).toMatchObject({ ...expected(body), id: item.id, created_at: item.created_at });
      expect(put.body[rc.changed![0]]).toEqual(rc.changed![1]);
      if (rc.dropped) {
        expect(item[rc.dropped]).toBeDefined();
        expect(put.body).not.toHaveProperty(rc.dropped);
      }
      expect(Date.parse(put.body.updated_at)).toBeGreaterThan(Date.parse(item.updated_at));
      // Only payload fields, id and timestamps: nothing was nulled or left over from the old record.
      for (const [k, v] of Object.entries(put.body)) expect(v, k).not.toBeNull();
      expect(await c.get(`${rc.path}/${item.id}`)).toEqual({ status: 200, body: put.body });
      expect((await c.all(rc.path)).map((i) => i.id)).toEqual([item.id]);
    });

    it('PATCH merges: the given field changes, every other field is kept; null removes an optional field', async () => {
      const c = await signIn(t.app);
      const { item } = await createOne(c, rc);
      const [field, value] = rc.partial!;
      const patched = await c.patch(`${rc.path}/${item.id}`, { [field]: value });
      expect(patched.status, JSON.stringify(patched.body)).toBe(200);
      const { updated_at: _u, ...rest } = item;
      expect(patched.body).toEqual({ ...rest, [field]: value, updated_at: expect.any(String) });
      expect(await c.get(`${rc.path}/${item.id}`)).toEqual({ status: 200, body: patched.body });

      if (rc.dropped) {
        const cleared = await c.patch(`${rc.path}/${item.id}`, { [rc.dropped]: null });
        expect(cleared.status, JSON.stringify(cleared.body)).toBe(200);
        expect(cleared.body).not.toHaveProperty(rc.dropped);
        expect(cleared.body[field]).toEqual(value);
      }
    });

    it('PUT and PATCH on an unknown id are 404 and create nothing', async () => {
      const c = await signIn(t.app);
      const refs = rc.setup ? await rc.setup(c) : {};
      expectError(await c.put(`${rc.path}/never-issued`, rc.body(refs)), 404, 'NOT_FOUND');
      expectError(await c.patch(`${rc.path}/never-issued`, { [rc.partial![0]]: rc.partial![1] }), 404, 'NOT_FOUND');
      expect(await c.all(rc.path)).toEqual([]);
    });
  } else {
    it('has no PUT or PATCH (logs are immutable): 404 and the record is unchanged', async () => {
      const c = await signIn(t.app);
      const { refs, item } = await createOne(c, rc);
      expectError(await c.put(`${rc.path}/${item.id}`, rc.body(refs)), 404, 'NOT_FOUND');
      expectError(await c.patch(`${rc.path}/${item.id}`, {}), 404, 'NOT_FOUND');
      expect((await c.get(`${rc.path}/${item.id}`)).body).toEqual(item);
    });
  }

  if (rc.timeField) {
    it(`keeps ${rc.timeField} as given${rc.timeRequired ? '' : ' and lets a PUT without it keep the old one'}`, async () => {
      const c = await signIn(t.app);
      const at = '2026-06-05T21:10:00+05:30';
      const { refs, item } = await createOne(c, rc, at);
      expect(item[rc.timeField!]).toBe(at);
      if (!rc.updatable || rc.timeRequired) return;
      const { [rc.timeField!]: _drop, ...body } = rc.replacement!(refs);
      const put = await c.put(`${rc.path}/${item.id}`, body);
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      expect(put.body[rc.timeField!]).toBe(at);
    });
  }
});
