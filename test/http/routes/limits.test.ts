import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { expectError, makeRestApp, signIn, TEST_NOW, type Client, type Json } from './_support.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeRestApp();
});
afterAll(async () => t.close());

const appointment = (i: number): Json => ({
  title: `Visit ${i}`,
  scheduled_at: new Date(TEST_NOW + (i + 1) * 86_400_000).toISOString(),
  reminder_minutes_before: 30,
});

describe('appointments/batch', () => {
  it('creates up to 50 in one call, each with its own id, all listed', async () => {
    const c = await signIn(t.app);
    const items = Array.from({ length: 50 }, (_, i) => appointment(i));
    const r = await c.post('/api/appointments/batch', { items });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.items).toHaveLength(50);
    r.body.items.forEach((a: Json, i: number) => expect(a).toMatchObject({ ...items[i], id: expect.any(String) }));
    const listed = await c.all('/api/appointments');
    expect(listed.map((a) => a.id).sort()).toEqual(r.body.items.map((a: Json) => a.id).sort());
  });

  it('refuses 51 items and an empty batch with 400, writing nothing', async () => {
    const c = await signIn(t.app);
    const details = expectError(await c.post('/api/appointments/batch', { items: Array.from({ length: 51 }, (_, i) => appointment(i)) }), 400, 'VALIDATION_ERROR');
    expect(Object.keys(details).join()).toContain('items');
    expectError(await c.post('/api/appointments/batch', { items: [] }), 400, 'VALIDATION_ERROR');
    expectError(await c.post('/api/appointments/batch', [appointment(0)]), 400, 'VALIDATION_ERROR');
    expect(await c.all('/api/appointments')).toEqual([]);
  });

  it('refuses the whole batch when one item is bad, naming it, and writes none', async () => {
    const c = await signIn(t.app);
    const items = [appointment(0), appointment(1), { ...appointment(2), scheduled_at: 'next tuesday' }, appointment(3)];
    const details = expectError(await c.post('/api/appointments/batch', { items }), 400, 'VALIDATION_ERROR');
    expect(Object.keys(details)).toContain('items.2.scheduled_at');
    const unknown = [appointment(0), { ...appointment(1), colour: 'red' }];
    expectError(await c.post('/api/appointments/batch', { items: unknown }), 400, 'VALIDATION_ERROR');
    expect(await c.all('/api/appointments')).toEqual([]);
  });

  it('refuses the whole batch when one item breaks a business rule (an appointment in the past), writing none', async () => {
    const c = await signIn(t.app);
    const items = [appointment(0), { ...appointment(1), scheduled_at: new Date(TEST_NOW - 86_400_000).toISOString() }];
    const details = expectError(await c.post('/api/appointments/batch', { items }), 400, 'VALIDATION_ERROR');
    expect(Object.keys(details)).toEqual(['items.1.scheduled_at']);
    expect(await c.all('/api/appointments')).toEqual([]);
  });
});

describe('appointments in the past', () => {
  it('are refused on create and when moved; an unmoved one can still be edited', async () => {
    const c = await signIn(t.app);
    const past = new Date(TEST_NOW - 3_600_000).toISOString();
    expect(expectError(await c.post('/api/appointments', { ...appointment(0), scheduled_at: past }), 400, 'VALIDATION_ERROR')).toHaveProperty('scheduled_at');
    const a = (await c.post('/api/appointments', appointment(0))).body;
    expectError(await c.patch(`/api/appointments/${a.id}`, { scheduled_at: past }), 400, 'VALIDATION_ERROR');
    expect((await c.patch(`/api/appointments/${a.id}`, { notes: 'bring reports' })).status).toBe(200);
    expect(await c.all('/api/appointments')).toHaveLength(1);
  });
});

describe('huge and odd bodies', () => {
  const huge = (n: number) => 'x'.repeat(n);
  let c: Client;
  beforeAll(async () => {
    c = await signIn(t.app);
  });

  it.each([
    ['POST food-logs', 'POST', '/api/food-logs', { description: huge(70_000) }],
    ['POST vitals', 'POST', '/api/health/vitals', { heart_rate: 70, notes: huge(70_000) }],
    ['PUT profile', 'PUT', '/api/profile', { name: 'A', dietary_preferences: huge(70_000) }],
    ['POST appointments/batch', 'POST', '/api/appointments/batch', { items: Array.from({ length: 50 }, (_, i) => ({ ...appointment(i), notes: huge(999), location: huge(300), doctor_name: huge(200) })) }],
  ])('%s over 64 KiB is 413 PAYLOAD_TOO_LARGE and writes nothing', async (_n, method, url, payload) => {
    expectError(await c.req(method, url, payload), 413, 'PAYLOAD_TOO_LARGE');
    expect(await c.all('/api/food-logs')).toEqual([]);
    expect(await c.all('/api/health/vitals')).toEqual([]);
    expect(await c.all('/api/appointments')).toEqual([]);
    expectError(await c.get('/api/profile'), 404, 'NOT_FOUND');
  });

  it('a field over its own limit is 400 with the field named, not a 500', async () => {
    const details = expectError(await c.post('/api/food-logs', { description: huge(501) }), 400, 'VALIDATION_ERROR');
    expect(details).toHaveProperty('description');
    const many = await c.put('/api/profile', { allergies: Array.from({ length: 51 }, (_, i) => `a${i}`) });
    expect(expectError(many, 400, 'VALIDATION_ERROR')).toHaveProperty('allergies');
  });

  it('malformed JSON is 400 and a non-JSON content type is 415', async () => {
    const user = await signIn(t.app);
    const raw = (payload: string, type: string) =>
      t.app.inject({ method: 'POST', url: '/api/health/vitals', payload, headers: { 'content-type': type, ...user.headers } });
    const bad = await raw('{"heart_rate": 70,', 'application/json');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('BAD_REQUEST');
    const text = await raw('heart_rate=70', 'text/plain');
    expect(text.statusCode).toBe(415);
    expect(text.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(await user.all('/api/health/vitals')).toEqual([]);
  });

  it('every health route needs a bearer token', async () => {
    for (const url of ['/api/health/vitals', '/api/profile', '/api/notifications', '/api/insights', '/api/alarms']) {
      const r = await t.app.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(401);
      expect(r.json().status).toBe('error');
    }
    const forged = await t.app.inject({ method: 'POST', url: '/api/health/vitals', payload: { heart_rate: 70 }, headers: { authorization: 'Bearer a.b.c' } });
    expect(forged.statusCode).toBe(401);
  });
});
