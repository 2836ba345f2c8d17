import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, registerUser, type TestApp } from '../../helpers/app.js';

let t: TestApp;
const clock = { now: Date.parse('2026-11-26T10:00:00+05:30') };
beforeAll(async () => {
  t = await makeTestApp({ now: () => clock.now, env: { ACCESS_TOKEN_TTL: '24h', REGISTER_RATE_LIMIT_PER_MIN: '100' } });
});
afterAll(async () => t.close());

async function user() {
  const u = await registerUser(t.app);
  const call = (method: string, url: string, payload?: unknown) =>
    t.app.inject({ method: method as 'GET', url, headers: u.auth, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { ...u, call };
}

describe('GET /api/health/recommendations', () => {
  it('gives urgent advice for a hypertensive crisis and names the reading it came from', async () => {
    const u = await user();
    const v = (await u.call('POST', '/api/health/vitals', { blood_pressure_systolic: 186, blood_pressure_diastolic: 121 })).json();
    const res = await u.call('GET', '/api/health/recommendations');
    expect(res.statusCode).toBe(200);
    const [first] = res.json().items;
    expect(first).toMatchObject({ severity: 'urgent', reading: { type: 'bp', id: v.id, systolic: 186, diastolic: 121 } });
    expect(first.message).toMatch(/112|doctor|care/i);
  });

  it.each([
    [{ blood_sugar: 50, blood_sugar_context: 'fasting' }, 'sugar', 'urgent'],
    [{ blood_sugar: 250, blood_sugar_context: 'post_meal' }, 'sugar', 'caution'],
    [{ temperature: 101.5, temperature_unit: 'F' }, 'temperature', 'caution'],
    [{ blood_pressure_systolic: 142, blood_pressure_diastolic: 92 }, 'bp', 'caution'],
  ])('%o → a %s recommendation of severity %s', async (reading, type, severity) => {
    const u = await user();
    const v = (await u.call('POST', '/api/health/vitals', reading)).json();
    const items = (await u.call('GET', '/api/health/recommendations')).json().items;
    const rec = items.find((r: any) => r.reading.type === type);
    expect(rec).toMatchObject({ severity, reading: { id: v.id } });
  });

  it('says nothing alarming about a normal reading, and speaks Hindi when asked', async () => {
    const u = await user();
    await u.call('POST', '/api/health/vitals', { blood_pressure_systolic: 114, blood_pressure_diastolic: 74 });
    const items = (await u.call('GET', '/api/health/recommendations')).json().items;
    expect(items.filter((r: any) => r.reading.type === 'bp' && r.severity !== 'info')).toEqual([]);
    await u.call('POST', '/api/health/vitals', { blood_pressure_systolic: 190, blood_pressure_diastolic: 100 });
    const hi = (await u.call('GET', '/api/health/recommendations?lang=hi')).json().items;
    expect(hi[0].message).toMatch(/[\u0900-\u097F]/);
  });
});

describe('GET /api/summary/daily', () => {
  it('collects the day, stores the summary, returns the stored one on repeat and recomputes on refresh', async () => {
    const u = await user();
    await u.call('PUT', '/api/profile', { timezone: 'Asia/Kolkata' });
    await u.call('POST', '/api/food-logs', { description: 'Two rotis and dal', calories: 400, protein_g: 14, carbs_g: 60, fat_g: 9, meal_type: 'lunch' });
    await u.call('POST', '/api/tracking/water', { amount_ml: 500 });
    await u.call('POST', '/api/health/vitals', { blood_pressure_systolic: 150, blood_pressure_diastolic: 95 });
    const first = await u.call('GET', '/api/summary/daily?date=2026-11-26');
    expect(first.statusCode).toBe(200);
    const s = first.json();
    expect(s).toMatchObject({ id: 'daily-2026-11-26', date: '2026-11-26', timezone: 'Asia/Kolkata' });
    expect(s.day.water.total_ml).toBe(500);
    expect(s.day.nutrition.per_day[0].calories).toBe(400);
    expect(s.highlights.join(' ')).toContain('500 ml');
    expect(s.recommendations.some((r: any) => r.reading.type === 'bp')).toBe(true);

    clock.now += 60_000;
    await u.call('POST', '/api/tracking/water', { amount_ml: 250 });
    const again = (await u.call('GET', '/api/summary/daily?date=2026-11-26')).json();
    expect(again.generated_at).toBe(s.generated_at);
    expect(again.day.water.total_ml).toBe(500);
    const refreshed = (await u.call('GET', '/api/summary/daily?date=2026-11-26&refresh=true')).json();
    expect(refreshed.generated_at).not.toBe(s.generated_at);
    expect(refreshed.day.water.total_ml).toBe(750);
    expect(refreshed.created_at).toBe(s.created_at);
  });

  it('defaults to today, refuses future and impossible dates, and never shows another user’s summary', async () => {
    const a = await user();
    const b = await user();
    await a.call('POST', '/api/tracking/water', { amount_ml: 300 });
    expect((await a.call('GET', '/api/summary/daily')).json().date).toBe('2026-11-26');
    for (const q of ['date=2026-12-30', 'date=2026-02-30', 'date=26-11-2026', 'refresh=yes']) {
      const r = await a.call('GET', `/api/summary/daily?${q}`);
      expect(r.statusCode, q).toBe(400);
      expect(r.json().error.code).toBe('VALIDATION_ERROR');
    }
    const bs = (await b.call('GET', '/api/summary/daily')).json();
    expect(bs.day.water.total_ml).toBe(0);
    expect(bs.highlights).toEqual(['Nothing was logged on this day.']);
  });
});
