import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { expectError, makeRestApp, signIn, type Client } from './_support.js';

const NOW = Date.parse('2026-03-20T06:00:00Z');
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const q = (s: string) => encodeURIComponent(s);

let t: TestApp;
beforeAll(async () => {
  t = await makeRestApp({ now: () => NOW });
});
afterAll(async () => t.close());

async function vitals(c: Client, atMs: number, systolic: number) {
  const r = await c.post('/api/health/vitals', { blood_pressure_systolic: systolic, blood_pressure_diastolic: 80, logged_at: iso(atMs) });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
}

describe('GET /api/insights', () => {
  it('defaults to the 7 days up to now, in DEFAULT_TIMEZONE when the profile has none', async () => {
    const c = await signIn(t.app);
    await vitals(c, NOW - 1 * DAY, 120);
    await vitals(c, NOW - 6 * DAY, 130);
    await vitals(c, NOW - 8 * DAY, 190); // outside the default window
    const r = await c.get('/api/insights');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.period).toMatchObject({ from: iso(NOW - 7 * DAY), to: iso(NOW), timezone: 'Asia/Kolkata' });
    expect(r.body.vitals.blood_pressure_systolic).toMatchObject({ count: 2, min: 120, max: 130 });
    for (const k of ['nutrition', 'water', 'sleep', 'exercise', 'mood', 'meditation', 'medication']) expect(r.body, k).toHaveProperty(k);
  });

  it('takes from and to with offsets; from inclusive, to exclusive', async () => {
    const c = await signIn(t.app);
    await vitals(c, Date.parse('2026-03-10T08:00:00+05:30'), 140);
    await vitals(c, Date.parse('2026-03-12T08:00:00+05:30'), 150);
    const r = await c.get(`/api/insights?from=${q('2026-03-10T08:00:00+05:30')}&to=${q('2026-03-12T02:30:00Z')}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.vitals.blood_pressure_systolic).toMatchObject({ count: 1, max: 140 });
    expect(r.body.period).toMatchObject({ from: '2026-03-10T02:30:00.000Z', to: '2026-03-12T02:30:00.000Z' });
  });

  it('with only one end given, covers the 7 days next to it', async () => {
    const c = await signIn(t.app);
    const from = Date.parse('2026-02-01T00:00:00Z');
    await vitals(c, from + 6 * DAY, 125);
    await vitals(c, from + 8 * DAY, 135);
    const r1 = await c.get(`/api/insights?from=${q(iso(from))}`);
    expect(r1.body.period).toMatchObject({ from: iso(from), to: iso(from + 7 * DAY) });
    expect(r1.body.vitals.blood_pressure_systolic.count).toBe(1);
    const r2 = await c.get(`/api/insights?to=${q(iso(from + 9 * DAY))}`);
    expect(r2.body.period).toMatchObject({ from: iso(from + 2 * DAY), to: iso(from + 9 * DAY) });
    expect(r2.body.vitals.blood_pressure_systolic.count).toBe(2);
  });

  it("buckets days in the profile's time zone", async () => {
    const c = await signIn(t.app);
    // 20:00 UTC on 9 March is 01:30 on 10 March in Kolkata and still 9 March in London.
    expect((await c.post('/api/tracking/water', { amount_ml: 300, logged_at: '2026-03-09T20:00:00Z' })).status).toBe(201);
    const period = `from=${q('2026-03-08T00:00:00Z')}&to=${q('2026-03-12T00:00:00Z')}`;
    const kolkata = await c.get(`/api/insights?${period}`);
    expect(kolkata.body.period.timezone).toBe('Asia/Kolkata');
    expect(kolkata.body.water.per_day).toEqual([{ date: '2026-03-10', ml: 300 }]);
    expect((await c.put('/api/profile', { timezone: 'Europe/London' })).status).toBe(201);
    const london = await c.get(`/api/insights?${period}`);
    expect(london.body.period.timezone).toBe('Europe/London');
    expect(london.body.water.per_day).toEqual([{ date: '2026-03-09', ml: 300 }]);
  });

  it('is empty, not an error, for a user with no data', async () => {
    const c = await signIn(t.app);
    const r = await c.get('/api/insights');
    expect(r.status).toBe(200);
    expect(r.body.vitals).toEqual({});
    expect(r.body.water.total_ml).toBe(0);
  });

  it.each([
    ['a date in words', 'from=yesterday'],
    ['a date-time without offset', `from=${q('2026-03-10T08:00:00')}`],
    ['a date only', 'to=2026-03-10'],
    ['to before from', `from=${q('2026-03-10T00:00:00Z')}&to=${q('2026-03-09T00:00:00Z')}`],
    ['to equal to from', `from=${q('2026-03-10T00:00:00Z')}&to=${q('2026-03-10T00:00:00Z')}`],
    ['a period over a year', `from=${q('2024-01-01T00:00:00Z')}&to=${q('2026-01-01T00:00:00Z')}`],
    ['an unknown parameter', 'days=7'],
  ])('refuses %s with 400', async (_why, query) => {
    const c = await signIn(t.app);
    expectError(await c.get(`/api/insights?${query}`), 400, 'VALIDATION_ERROR');
  });
});
