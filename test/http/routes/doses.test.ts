/**
 * One dose is one dose (issue 17, point 4) over REST: POST /api/medication/logs links a dose to the
 * scheduled dose time it satisfies and refuses a repeat (409, nothing written, stock untouched)
 * unless it is marked extra; GET /api/medication/today (the talk page's "Medicines due today"),
 * GET /api/health/recommendations and GET /api/insights count the same doses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser, type TestApp } from '../../helpers/app.js';
import { expectError, makeRestApp, type Json, type Res } from './_support.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** An instant given as local time in India. */
const ist = (local: string) => Date.parse(`${local}+05:30`);
const DAILY = ['1', '2', '3', '4', '5', '6', '7'];

let t: TestApp;
// The app's clock, moved by each test (forward only: every test has its own week of March 2026).
const clock = { now: ist('2026-03-02T06:00:00') };
const setClock = (ms: number) => {
  expect(ms).toBeGreaterThanOrEqual(clock.now);
  clock.now = ms;
};

beforeAll(async () => {
  t = await makeRestApp({ now: () => clock.now });
});
afterAll(() => t.close());

/** A signed-in user whose token is renewed when the clock has moved past it. */
async function person(timezone = 'Asia/Kolkata') {
  const u = await registerUser(t.app);
  let headers = u.auth;
  let signedAt = clock.now;
  const req = async (method: string, url: string, payload?: unknown): Promise<Res> => {
    if (clock.now - signedAt > 10 * 60_000) {
      const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: u.email, password: u.password } });
      headers = { authorization: `Bearer ${login.json().access_token}` };
      signedAt = clock.now;
    }
    const res = await t.app.inject({ method: method as 'GET', url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: res.statusCode, body: res.body ? (res.json() as Json) : {} };
  };
  const c = { req, get: (url: string) => req('GET', url), post: (url: string, p: unknown) => req('POST', url, p) };
  expect((await c.req('PUT', '/api/profile', { timezone })).status).toBe(201);
  return {
    ...c,
    async medication(name: string, extra: Json = {}) {
      const r = await c.post('/api/medications', { name, ...extra });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body;
    },
    async schedule(medicationId: string, time: string, days = DAILY) {
      const r = await c.post('/api/medication-schedules', { medication_id: medicationId, time_of_day: time, days_of_week: days });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body;
    },
    async logs(): Promise<Json[]> {
      return (await c.get('/api/medication/logs?limit=100')).body.items;
    },
    async quantity(id: string): Promise<number> {
      return (await c.get(`/api/medications/${id}`)).body.quantity;
    },
    async today(): Promise<Json> {
      const r = await c.get('/api/medication/today');
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body;
    },
  };
}

const LOGS = '/api/medication/logs';

describe('POST /api/medication/logs: one dose is one dose', () => {
  it('links a dose to the dose time it satisfies; a repeat is 409 naming the first and writes nothing; extra: true is logged; stock moves once per dose written', async () => {
    setClock(ist('2026-03-02T07:55:00'));
    const p = await person();
    const med = await p.medication('Metformin', { quantity: 60 });
    const s = await p.schedule(med.id, '08:00');

    setClock(ist('2026-03-02T08:05:00'));
    const first = await p.post(LOGS, { medication_id: med.id, status: 'taken' });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ medication_id: `medication:${med.id}`, schedule_id: `med_schedule:${s.id}`, due_at: '2026-03-02T02:30:00.000Z', status: 'taken' });
    expect(await p.quantity(med.id)).toBe(59);

    setClock(ist('2026-03-02T08:20:00'));
    for (const body of [
      { medication_id: med.id, status: 'taken' },
      { schedule_id: s.id, status: 'taken' },
      { schedule_id: s.id, due_at: '2026-03-02T08:00:00+05:30', status: 'taken' },
      { medication_id: med.id, status: 'skipped' },
    ]) {
      const details = expectError(await p.post(LOGS, body), 409, 'CONFLICT');
      expect(details).toEqual({ dose_id: first.body.id, status: 'taken', taken_at: '2026-03-02T02:35:00.000Z', schedule_id: `med_schedule:${s.id}`, due_at: '2026-03-02T02:30:00.000Z' });
    }
    expect((await p.logs()).map((l) => l.id)).toEqual([first.body.id]);
    expect(await p.quantity(med.id)).toBe(59);

    const extra = await p.post(LOGS, { medication_id: med.id, status: 'taken', extra: true });
    expect(extra.status, JSON.stringify(extra.body)).toBe(201);
    expect(extra.body).toMatchObject({ extra: true, status: 'taken' });
    expect(extra.body).not.toHaveProperty('due_at');
    expect(await p.quantity(med.id)).toBe(58);
    expect(await p.logs()).toHaveLength(2);

    // Tomorrow's dose is a new one.
    setClock(ist('2026-03-03T07:40:00'));
    const tomorrow = await p.post(LOGS, { medication_id: med.id, status: 'taken' });
    expect(tomorrow.body).toMatchObject({ due_at: '2026-03-03T02:30:00.000Z' });
    expect(await p.quantity(med.id)).toBe(57);
  });

  it('three identical doses at once: one is written, two are refused, the stock moves once', async () => {
    setClock(ist('2026-03-09T07:50:00'));
    const p = await person();
    const med = await p.medication('Amlodipine', { quantity: 10 });
    await p.schedule(med.id, '08:00');
    setClock(ist('2026-03-09T08:01:00'));
    const answers = await Promise.all([1, 2, 3].map(() => p.post(LOGS, { medication_id: med.id, status: 'taken' })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409]);
    expect(await p.logs()).toHaveLength(1);
    expect(await p.quantity(med.id)).toBe(9);
  });

  it('a skipped dose can be taken after all; a second skip is refused', async () => {
    setClock(ist('2026-03-16T19:00:00'));
    const p = await person();
    const med = await p.medication('Metformin', { quantity: 5 });
    await p.schedule(med.id, '20:00');
    setClock(ist('2026-03-16T20:10:00'));
    const skipped = await p.post(LOGS, { medication_id: med.id, status: 'skipped' });
    expect(skipped.status).toBe(201);
    expect(expectError(await p.post(LOGS, { medication_id: med.id, status: 'skipped' }), 409, 'CONFLICT')).toMatchObject({ dose_id: skipped.body.id, status: 'skipped' });
    setClock(ist('2026-03-16T21:00:00'));
    const taken = await p.post(LOGS, { medication_id: med.id, status: 'taken' });
    expect(taken.status).toBe(201);
    expect(taken.body.due_at).toBe(skipped.body.due_at);
    expect(await p.quantity(med.id)).toBe(4);
    expect((await p.today()).items).toMatchObject([{ time: '20:00', status: 'taken', dose_id: taken.body.id }]);
  });

  it('refuses malformed dose times and extra doses with a 400, writing nothing', async () => {
    setClock(ist('2026-03-23T07:00:00'));
    const p = await person();
    const med = await p.medication('Metformin', { quantity: 30 });
    const s = await p.schedule(med.id, '08:00', ['1', '3']);
    setClock(ist('2026-03-23T08:00:00'));
    const bad: Array<[Json, string]> = [
      [{ medication_id: med.id, due_at: '2026-03-23T08:00:00+05:30', status: 'taken' }, 'due_at'],
      [{ schedule_id: s.id, due_at: '2026-03-23T08:30:00+05:30', status: 'taken' }, 'due_at'], // not its time
      [{ schedule_id: s.id, due_at: '2026-03-24T08:00:00+05:30', status: 'taken' }, 'due_at'], // a Tuesday
      [{ schedule_id: s.id, due_at: '2026-03-18T08:00:00+05:30', status: 'taken' }, 'due_at'], // days away
      [{ schedule_id: s.id, due_at: 'yesterday', status: 'taken' }, 'due_at'],
      [{ medication_id: med.id, status: 'skipped', extra: true }, 'extra'],
      [{ schedule_id: s.id, due_at: '2026-03-23T08:00:00+05:30', status: 'taken', extra: true }, 'due_at'],
      [{ medication_id: med.id, status: 'taken', extra: 'yes' }, 'extra'],
    ];
    for (const [body, field] of bad) {
      expect(expectError(await p.post(LOGS, body), 400, 'VALIDATION_ERROR'), JSON.stringify(body)).toHaveProperty(field);
    }
    expect(await p.logs()).toEqual([]);
    expect(await p.quantity(med.id)).toBe(30);
    // The same dose time, named properly, is accepted.
    const ok = await p.post(LOGS, { schedule_id: s.id, due_at: '2026-03-23T02:30:00Z', status: 'taken' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.due_at).toBe('2026-03-23T02:30:00.000Z');
  });

  it('documents the rule in the OpenAPI description', async () => {
    const doc = (await t.app.inject({ url: '/docs/json' })).json();
    expect(doc.paths['/api/medication/logs'].post.description).toMatch(/409/);
    expect(doc.paths['/api/medication/today'].get.summary).toMatch(/today/i);
  });
});

describe('GET /api/medication/today (the talk page\u2019s "Medicines due today")', () => {
  it('lists today\u2019s dose times in the person\u2019s zone since each schedule existed, with the dose behind each status, then as-needed medicines', async () => {
    setClock(ist('2026-03-30T06:00:00'));
    const p = await person();
    const metformin = await p.medication('Metformin', { dosage: '500 mg' });
    const morning = await p.schedule(metformin.id, '08:00');
    const evening = await p.schedule(metformin.id, '20:00');
    await p.medication('Paracetamol');
    const old = await p.medication('Old pill');
    await p.schedule(old.id, '09:00');
    expect((await p.req('PATCH', `/api/medications/${old.id}`, { active: false })).status).toBe(200);

    setClock(ist('2026-03-30T08:05:00'));
    const dose = (await p.post(LOGS, { medication_id: metformin.id, status: 'taken' })).body;
    // A schedule made after its time today has no dose today.
    setClock(ist('2026-03-30T10:00:00'));
    const amlodipine = await p.medication('Amlodipine');
    await p.schedule(amlodipine.id, '09:00');

    const today = await p.today();
    expect(today).toMatchObject({ date: '2026-03-30', timezone: 'Asia/Kolkata' });
    expect(today.items).toEqual([
      { medication_id: `medication:${metformin.id}`, name: 'Metformin', dosage: '500 mg', schedule_id: `med_schedule:${morning.id}`, time: '08:00', due_at: '2026-03-30T02:30:00.000Z', status: 'taken', dose_id: dose.id, taken_at: '2026-03-30T02:35:00.000Z' },
      { medication_id: `medication:${metformin.id}`, name: 'Metformin', dosage: '500 mg', schedule_id: `med_schedule:${evening.id}`, time: '20:00', due_at: '2026-03-30T14:30:00.000Z', status: 'due' },
      { medication_id: expect.any(String), name: 'Paracetamol', schedule_id: null, time: null, due_at: null, status: 'due' },
    ]);

    // The page's "Taken" names the listed dose time: hours early, it is still that dose.
    const listed = today.items[1];
    const taken = await p.post(LOGS, { medication_id: listed.medication_id, schedule_id: listed.schedule_id, due_at: listed.due_at, status: 'taken' });
    expect(taken.status, JSON.stringify(taken.body)).toBe(201);
    expect((await p.today()).items.map((i: Json) => i.status)).toEqual(['taken', 'taken', 'due']);
  });

  it('is the day of the person\u2019s own time zone', async () => {
    setClock(ist('2026-04-06T04:00:00'));
    const p = await person('Europe/London');
    const med = await p.medication('Metformin');
    await p.schedule(med.id, '22:00');
    // 04:00 on the 7th in India is 23:30 on the 6th in London (BST): the 6th's 22:00 dose, not yet logged.
    setClock(Date.parse('2026-04-06T22:30:00Z'));
    expect(await p.today()).toMatchObject({ date: '2026-04-06', timezone: 'Europe/London', items: [{ time: '22:00', due_at: '2026-04-06T21:00:00.000Z', status: 'due' }] });
  });
});

describe('recommendations, insights and the talk page count the same doses', () => {
  it('nothing is scheduled for schedules made seconds ago; days later all three agree', async () => {
    setClock(ist('2026-04-13T10:00:00'));
    const p = await person();
    const med = await p.medication('Metformin', { quantity: 60 });
    await p.schedule(med.id, '08:00');
    await p.schedule(med.id, '20:00');
    setClock(clock.now + 5_000);
    const recs0 = (await p.get('/api/health/recommendations')).body.items as Json[];
    expect(recs0.find((r) => r.id === 'adherence_low')).toBeUndefined();
    expect((await p.get('/api/insights')).body.medication).toMatchObject({ scheduled: 0, taken: 0, adherence: null });

    // Three days: 13th 20:00 taken; 14th 08:00 taken twice (the second refused, then an extra);
    // 14th 20:00 missed; 15th 08:00 skipped; now the 16th, 09:00 (its 08:00 dose missed so far).
    const log = async (local: string, body: Json) => {
      setClock(ist(local));
      return p.post(LOGS, { medication_id: med.id, ...body });
    };
    expect((await log('2026-04-13T20:10:00', { status: 'taken' })).status).toBe(201);
    expect((await log('2026-04-14T08:05:00', { status: 'taken' })).status).toBe(201);
    expect((await log('2026-04-14T08:30:00', { status: 'taken' })).status).toBe(409);
    expect((await log('2026-04-14T08:31:00', { status: 'taken', extra: true })).status).toBe(201);
    expect((await log('2026-04-15T08:00:00', { status: 'skipped' })).status).toBe(201);
    setClock(ist('2026-04-16T09:00:00'));

    const insights = (await p.get('/api/insights')).body.medication;
    expect(insights).toMatchObject({ scheduled: 6, taken: 2, skipped: 1, extra: 1, adherence: 0.333 });
    const rec = ((await p.get('/api/health/recommendations')).body.items as Json[]).find((r) => r.id === 'adherence_low');
    expect(rec?.reading).toMatchObject({ taken: insights.taken, expected: insights.scheduled, percent: 33 });
    expect(rec?.message).toContain('2 of 6');

    // Today so far: the talk page's list and the insights for today agree.
    const today = (await p.today()).items as Json[];
    const dueSoFar = today.filter((i) => Date.parse(i.due_at) <= clock.now || i.status !== 'due');
    const dayInsights = (await p.get(`/api/insights?from=${encodeURIComponent('2026-04-16T00:00:00+05:30')}&to=${encodeURIComponent(new Date(clock.now).toISOString())}`)).body.medication;
    expect(dayInsights).toMatchObject({ scheduled: dueSoFar.length, taken: dueSoFar.filter((i) => i.status === 'taken').length });
    expect(dayInsights.scheduled).toBe(1);
    // The stock moved once per dose written: three taken doses.
    expect(await p.quantity(med.id)).toBe(57);
  });
});
