/**
 * The isolation sweep: user B — A's caregiver with every scope — calls every route with user A's
 * ids and gets 404, B's lists and insights never include A's data, and A's data is untouched
 * afterwards: a care link grants reads through /api/care only, never a write. Driven by the resource
 * table, so a new resource is swept by adding its row there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { createOne, RESOURCES } from './_resources.js';
import { expectError, makeRestApp, signIn, type Client, type Json } from './_support.js';

let t: TestApp;
let a: Client;
let b: Client;
const mine: Record<'a' | 'b', Record<string, { refs: Json; item: Json }>> = { a: {}, b: {} };
const notes: Record<'a' | 'b', Json> = { a: {}, b: {} };
let aBefore: Json[][];

const PROFILE = { name: 'Asha', timezone: 'Asia/Kolkata', medical_conditions: ['hypertension'] };
const NOTIFICATIONS = '/api/notifications';
const PERIOD = `from=${encodeURIComponent('2026-03-01T00:00:00+05:30')}&to=${encodeURIComponent('2026-04-01T00:00:00+05:30')}`;

/** Everything A can see: every list plus the profile, for the before/after comparison. */
const everythingOf = async (c: Client) => [
  ...(await Promise.all(RESOURCES.map((rc) => c.all(rc.path)))),
  await c.all(NOTIFICATIONS),
  [(await c.get('/api/profile')).body],
];

beforeAll(async () => {
  t = await makeRestApp();
  a = await signIn(t.app);
  b = await signIn(t.app);
  // B looks after A with every scope: a caregiver is still a stranger to every route of A's data.
  const invitation = await a.post('/api/care/invitations', { email: t.app.services.accounts.userById(b.userId)!.email, relationship: 'son', scopes: ['summary', 'vitals', 'medications', 'food', 'activity', 'alerts'] });
  expect((await b.post('/api/care/invitations/accept', { code: invitation.body.code })).status).toBe(200);
  for (const [who, c] of [['a', a], ['b', b]] as const) {
    for (const rc of RESOURCES) mine[who][rc.name] = await createOne(c, rc);
    notes[who] = await t.app.services.health.forUser(c.userId).create('notification', {
      title: `For ${who}`,
      message: 'Take your tablet',
      type: 'medication',
      fire_at: '2026-03-10T02:30:00Z',
    });
    expect((await c.put('/api/profile', { ...PROFILE, name: who })).status).toBe(201);
  }
  // Readings only A has, so A's insights differ from B's.
  for (const sys of [150, 152, 155]) {
    const r = await a.post('/api/health/vitals', { blood_pressure_systolic: sys, blood_pressure_diastolic: 95, logged_at: '2026-03-12T08:00:00+05:30' });
    expect(r.status).toBe(201);
  }
  aBefore = await everythingOf(a);
});
afterAll(async () => t.close());

describe.each(RESOURCES)('$name', (rc) => {
  it("B gets 404 for A's record on every by-id route", async () => {
    const aItem = mine.a[rc.name]!.item;
    const bRefs = mine.b[rc.name]!.refs;
    const url = `${rc.path}/${aItem.id}`;
    expectError(await b.get(url), 404, 'NOT_FOUND');
    if (rc.updatable) {
      // A valid body (with B's own references), so only ownership can make these fail.
      expectError(await b.put(url, rc.replacement!(bRefs)), 404, 'NOT_FOUND');
      expectError(await b.patch(url, { [rc.partial![0]]: rc.partial![1] }), 404, 'NOT_FOUND');
    }
    expectError(await b.del(url), 404, 'NOT_FOUND');
    if (rc.name === 'emergency-contacts') expectError(await b.del(`${url}?force=true`), 404, 'NOT_FOUND');
  });

  it("B's list (and B's list paged with A's cursor) holds only B's records", async () => {
    const aIds = new Set((await a.all(rc.path)).map((x) => x.id));
    const bList = await b.all(rc.path);
    expect(bList.map((x) => x.id)).toContain(mine.b[rc.name]!.item.id);
    expect(bList.filter((x) => aIds.has(x.id))).toEqual([]);
    // A cursor is only a position: on B's list it must still yield B's records.
    const aCursor = (await a.get(`${rc.path}?limit=1`)).body.next_cursor;
    if (aCursor) {
      const paged = await b.get(`${rc.path}?cursor=${encodeURIComponent(aCursor)}`);
      if (paged.status === 200) expect(paged.body.items.filter((x: Json) => aIds.has(x.id))).toEqual([]);
      else expectError(paged, 400, 'VALIDATION_ERROR');
    }
  });
});

describe('notifications', () => {
  it("B gets 404 reading or marking A's notification, and never lists it", async () => {
    expectError(await b.get(`${NOTIFICATIONS}/${notes.a.id}`), 404, 'NOT_FOUND');
    expectError(await b.post(`${NOTIFICATIONS}/${notes.a.id}/read`, {}), 404, 'NOT_FOUND');
    for (const q of ['', '?unread=true']) {
      const ids = (await b.all(`${NOTIFICATIONS}${q}`)).map((n) => n.id);
      expect(ids).toEqual([notes.b.id]);
    }
  });
});

describe('references across accounts', () => {
  it("B cannot reference A's medication, schedule or meditation session (400, nothing written)", async () => {
    const aMed = mine.a['medication-schedules']!.refs;
    const aDose = mine.a['medication-logs']!.refs;
    const aSession = mine.a['meditation-logs']!.refs.session;
    const before = await everythingOf(b);
    expectError(await b.post('/api/medication-schedules', { medication_id: aMed.id, time_of_day: '08:00', days_of_week: ['1'] }), 400, 'VALIDATION_ERROR');
    expectError(await b.post('/api/medication/logs', { schedule_id: aDose.schedule.id, status: 'taken' }), 400, 'VALIDATION_ERROR');
    expectError(await b.post('/api/medication/logs', { medication_id: aDose.medication.id, status: 'taken' }), 400, 'VALIDATION_ERROR');
    expectError(await b.post('/api/meditation/logs', { session_id: aSession.id, duration_minutes: 5, completed: true }), 400, 'VALIDATION_ERROR');
    const bSchedule = mine.b['medication-schedules']!.item;
    expectError(await b.patch(`/api/medication-schedules/${bSchedule.id}`, { medication_id: aMed.id }), 400, 'VALIDATION_ERROR');
    expect(await everythingOf(b)).toEqual(before);
  });
});

describe('insights', () => {
  it("B's insights count only B's readings; A's count A's", async () => {
    const ai = await a.get(`/api/insights?${PERIOD}`);
    const bi = await b.get(`/api/insights?${PERIOD}`);
    expect(ai.status, JSON.stringify(ai.body)).toBe(200);
    expect(bi.status).toBe(200);
    expect(ai.body.vitals.blood_pressure_systolic).toMatchObject({ count: 4, max: 155 });
    expect(bi.body.vitals.blood_pressure_systolic).toMatchObject({ count: 1, max: 128 });
    expect(bi.body.water.total_ml).toBe(250);
    expect(bi.body.medication.taken).toBe(1);
  });
});

describe('profile', () => {
  it("B's profile routes only ever touch B's profile", async () => {
    expect((await b.get('/api/profile')).body.name).toBe('b');
    expect((await b.patch('/api/profile', { name: 'b2' })).body.name).toBe('b2');
    expect((await b.put('/api/profile', { name: 'b3' })).status).toBe(200);
  });

  it("B deleting all of B's data leaves every record of A's in place", async () => {
    const r = await b.del('/api/profile', { confirm: true });
    expect(r.status).toBe(200);
    expect(r.body.forgotten).toBeGreaterThan(RESOURCES.length);
    expect((await everythingOf(b)).slice(0, -1).every((l) => l.length === 0)).toBe(true);
  });
});

// Runs last: nothing B did above changed anything of A's (stock, primaries, read flags included).
it("A's data is exactly as it was before the sweep", async () => {
  expect(await everythingOf(a)).toEqual(aBefore);
  for (const rc of RESOURCES) {
    const { item } = mine.a[rc.name]!;
    const now = await a.get(`${rc.path}/${item.id}`);
    expect(now.status, rc.name).toBe(200);
  }
  expect((await a.get(`${NOTIFICATIONS}/${notes.a.id}`)).body.read).toBe(false);
});
