import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { createOne, RESOURCES } from './_resources.js';
import { expectError, makeRestApp, signIn, type Client, type Json } from './_support.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeRestApp();
});
afterAll(async () => t.close());

/** The details name the field: the key itself or a path below it. Unknown fields are reported on the body. */
function expectField(details: Json, field: string) {
  const keys = Object.keys(details);
  if (field === '') expect(keys.length, JSON.stringify(details)).toBeGreaterThan(0);
  else expect(keys.some((k) => k === field || k.startsWith(`${field}.`)), `${field} in ${JSON.stringify(details)}`).toBe(true);
}

const snapshot = async (c: Client, path: string) => c.all(path);

describe.each(RESOURCES)('$name refuses bad input with 400 and writes nothing', (rc) => {
  // One account per resource: every check compares the lists before and after.
  let c: Client;
  let refs: Json;
  beforeAll(async () => {
    c = await signIn(t.app);
    refs = rc.setup ? await rc.setup(c) : {};
  });

  it.each(rc.invalid)('POST with $why', async ({ body, field }) => {
    const before = await snapshot(c, rc.path);
    const details = expectError(await c.post(rc.path, body(refs)), 400, 'VALIDATION_ERROR');
    expectField(details, field);
    expect(await snapshot(c, rc.path)).toEqual(before);
  });

  if (rc.updatable) {
    it.each(rc.invalid)('PUT with $why leaves the record as it was', async ({ body, field }) => {
      const { item } = await createOne(c, rc);
      const before = await snapshot(c, rc.path);
      const details = expectError(await c.put(`${rc.path}/${item.id}`, body(refs)), 400, 'VALIDATION_ERROR');
      expectField(details, field);
      expect((await c.get(`${rc.path}/${item.id}`)).body).toEqual(item);
      expect(await snapshot(c, rc.path)).toEqual(before);
    });

    it('PATCH with an unknown field, a wrongly typed value or a non-object body leaves the record as it was', async () => {
      const { item } = await createOne(c, rc);
      const [field] = rc.partial!;
      expectError(await c.patch(`${rc.path}/${item.id}`, { is_admin: true }), 400, 'VALIDATION_ERROR');
      expectField(expectError(await c.patch(`${rc.path}/${item.id}`, { [field]: { $gt: 1 } }), 400, 'VALIDATION_ERROR'), field);
      expectError(await c.patch(`${rc.path}/${item.id}`, [1, 2]), 400, 'VALIDATION_ERROR');
      // id and timestamps are not payload fields: a PATCH cannot move or re-date a record.
      expectError(await c.patch(`${rc.path}/${item.id}`, { id: 'someone-elses' }), 400, 'VALIDATION_ERROR');
      expect((await c.get(`${rc.path}/${item.id}`)).body).toEqual(item);
    });
  }
});

describe.each(RESOURCES)('$name list query', (rc) => {
  let c: Client;
  beforeAll(async () => {
    c = await signIn(t.app);
  });
  const bad: Array<[string, string]> = [
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=2.5', 'limit'],
    ['limit=ten', 'limit'],
    ['cursor=not-a-cursor', 'cursor'],
    ['cursor=' + Buffer.from('{"x":1}').toString('base64url'), 'cursor'],
    ['from=yesterday', 'from'],
    ['from=2026-03-10T08:00:00', 'from'],
    ['to=2026-13-01T00:00:00Z', 'to'],
    ['sort=asc', ''],
  ];
  it.each(bad)('refuses ?%s with 400 naming the parameter', async (query, param) => {
    const details = expectError(await c.get(`${rc.path}?${query}`), 400, 'VALIDATION_ERROR');
    if (param) expect(Object.keys(details).some((k) => k.replace(/^query\./, '') === param), JSON.stringify(details)).toBe(true);
  });

  it('accepts limit=1 and limit=100', async () => {
    await createOne(c, rc);
    await createOne(c, rc);
    const one = await c.get(`${rc.path}?limit=1`);
    expect(one.status).toBe(200);
    expect(one.body.items).toHaveLength(1);
    expect(one.body.next_cursor).toEqual(expect.any(String));
    const hundred = await c.get(`${rc.path}?limit=100`);
    expect(hundred.body.items).toHaveLength(2);
    expect(hundred.body.next_cursor).toBeNull();
  });

  it('answers a well-formed unknown id with 404 and a malformed one with 400, both in the error format', async () => {
    expectError(await c.get(`${rc.path}/${'a'.repeat(100)}`), 404, 'NOT_FOUND');
    expectError(await c.get(`${rc.path}/${encodeURIComponent('a b')}`), 400, 'VALIDATION_ERROR');
    expectError(await c.get(`${rc.path}/${encodeURIComponent('.hidden')}`), 400, 'VALIDATION_ERROR');
  });
});

describe('limits the router and schemas enforce', () => {
  it('answers an id longer than the store allows in the error format', async () => {
    const c = await signIn(t.app);
    expectError(await c.get(`/api/health/vitals/${'a'.repeat(150)}`), 400, 'VALIDATION_ERROR');
    const res = await c.get(`/api/health/vitals/${'a'.repeat(300)}`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body).toEqual({ status: 'error', error: { code: expect.any(String), message: expect.any(String), details: expect.any(Object) } });
  });

  it("accepts meal_type 'other' on food logs and alarm type 'meal'", async () => {
    const c = await signIn(t.app);
    expect((await c.post('/api/food-logs', { description: 'Prasad', meal_type: 'other' })).status).toBe(201);
    expect((await c.post('/api/alarms', { type: 'meal', title: 'Lunch time', time: '13:00', days_of_week: ['1'] })).status).toBe(201);
    expectError(await c.post('/api/food-logs', { description: 'x', meal_type: 'brunch' }), 400, 'VALIDATION_ERROR');
  });
});
