/**
 * One dose is one dose through POST /api/chat (issue 17, point 4): "I took my Metformin" is linked
 * to the dose time it satisfies; said again it answers when the dose was taken (in the person's
 * zone and language) and writes nothing; "an extra one" / "ek aur" is logged as extra; the talk
 * page's list (GET /api/medication/today) shows what was said.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, registerUser, type TestApp } from '../../helpers/app.js';

type Json = Record<string, any>;
const ist = (local: string) => Date.parse(`${local}+05:30`);
const DAILY = ['1', '2', '3', '4', '5', '6', '7'];

let t: TestApp;
// Each test has its own day of March 2026; the clock only moves forward.
const clock = { now: ist('2026-03-02T06:00:00') };
const at = (local: string) => {
  expect(ist(local)).toBeGreaterThanOrEqual(clock.now);
  clock.now = ist(local);
};

beforeAll(async () => {
  t = await makeTestApp({ now: () => clock.now, env: { ACCESS_TOKEN_TTL: '24h', REGISTER_RATE_LIMIT_PER_MIN: '100', API_RATE_LIMIT_PER_MIN: '100000' } });
});
afterAll(() => t.close());

async function person(profile: Json = { timezone: 'Asia/Kolkata' }) {
  const u = await registerUser(t.app);
  const call = async (method: string, url: string, payload?: unknown) => {
    const res = await t.app.inject({ method: method as 'GET', url, headers: u.auth, ...(payload === undefined ? {} : { payload: payload as object }) });
    return res.json() as Json;
  };
  await call('PUT', '/api/profile', profile);
  return {
    call,
    chat: (message: string, locale?: string) => call('POST', '/api/chat', { message, ...(locale ? { locale } : {}) }),
    async scheduled(name: string, times: string[], quantity = 60) {
      const med = await call('POST', '/api/medications', { name, quantity });
      const schedules = [];
      for (const time of times) schedules.push(await call('POST', '/api/medication-schedules', { medication_id: med.id, time_of_day: time, days_of_week: DAILY }));
      return { med, schedules };
    },
    logs: async () => (await call('GET', '/api/medication/logs?limit=100')).items as Json[],
    quantity: async (id: string) => (await call('GET', `/api/medications/${id}`)).quantity as number,
    today: async () => (await call('GET', '/api/medication/today')).items as Json[],
  };
}

describe('"I took my Metformin" said twice', () => {
  it('logs one dose linked to its dose time, then answers when it was taken and writes nothing; an extra one is logged as extra', async () => {
    at('2026-03-02T07:00:00');
    const p = await person();
    const { med, schedules: [morning] } = await p.scheduled('Metformin', ['08:00']);

    at('2026-03-02T08:05:00');
    const first = await p.chat('I took my Metformin');
    expect(first).toMatchObject({ route: 'medication', reply: 'Marked Metformin as taken.', actions: [{ type: 'medication_log', id: expect.any(String) }] });
    expect(await p.logs()).toEqual([expect.objectContaining({ id: first.actions[0].id, schedule_id: `med_schedule:${morning.id}`, due_at: '2026-03-02T02:30:00.000Z', status: 'taken' })]);

    at('2026-03-02T08:20:00');
    const again = await p.chat('I took my Metformin');
    expect(again).toMatchObject({ route: 'medication', actions: [] });
    expect(again.reply).toBe('You already took Metformin at 8:05 am. If you took one more, say “I took an extra Metformin”.');
    expect(await p.logs()).toHaveLength(1);
    expect(await p.quantity(med.id)).toBe(59);

    const extra = await p.chat('I took an extra Metformin');
    expect(extra).toMatchObject({ reply: 'Noted one more dose of Metformin.', actions: [{ type: 'medication_log' }] });
    const oneMore = await p.chat('I took one more Metformin');
    expect(oneMore.actions).toHaveLength(1);
    const logs = await p.logs();
    expect(logs.filter((l) => l.extra === true).map((l) => l.id).sort()).toEqual([extra.actions[0].id, oneMore.actions[0].id].sort());
    expect(logs.filter((l) => l.extra === true).every((l) => l.due_at === undefined)).toBe(true);
    expect(await p.quantity(med.id)).toBe(57);
    // The talk page shows the morning dose taken, by the first dose.
    expect(await p.today()).toEqual([expect.objectContaining({ time: '08:00', status: 'taken', dose_id: first.actions[0].id })]);
  });

  it('in Hindi: the earlier dose\u2019s local time in Hindi; "ek aur" is an extra dose', async () => {
    at('2026-03-03T19:00:00');
    const p = await person({ timezone: 'Asia/Kolkata', preferred_language: 'hi-IN' });
    const { med } = await p.scheduled('Metformin', ['20:00']);
    at('2026-03-03T20:05:00');
    const first = await p.chat('मैंने मेटफॉर्मिन ले ली', 'hi-IN');
    expect(first.reply).toBe('Metformin ली हुई दर्ज कर दी।');
    at('2026-03-03T20:40:00');
    const again = await p.chat('मैंने मेटफॉर्मिन ले ली', 'hi-IN');
    expect(again).toMatchObject({ language: 'hi-IN', actions: [] });
    expect(again.reply).toBe('आपने Metformin रात 8:05 बजे ले ली थी। अगर एक और ली है, तो कहिए “Metformin एक और ली”।');
    expect(await p.logs()).toHaveLength(1);

    const extra = await p.chat('Metformin ek aur li', 'hi-IN');
    expect(extra.reply).toBe('Metformin की एक और खुराक दर्ज कर दी।');
    expect(await p.logs()).toEqual([expect.objectContaining({ extra: true }), expect.objectContaining({ due_at: '2026-03-03T14:30:00.000Z' })]);
    expect(await p.quantity(med.id)).toBe(58);
  });

  it('keeps the zone: the earlier dose is said in the person\u2019s own local time', async () => {
    at('2026-03-04T12:00:00'); // 06:30 in London
    const p = await person({ timezone: 'Europe/London' });
    await p.scheduled('Metformin', ['07:00']);
    at('2026-03-04T12:40:00'); // 07:10 in London
    expect((await p.chat('I took my Metformin')).actions).toHaveLength(1);
    at('2026-03-04T13:00:00');
    expect((await p.chat('I took my Metformin')).reply).toMatch(/^You already took Metformin at 7:10 am\./);
  });
});

describe('"I took it" and the talk page', () => {
  it('a dose said without a name is the one due now and shows as taken on the talk page; said again, it is answered', async () => {
    at('2026-03-05T07:00:00');
    const p = await person();
    await p.scheduled('Metformin', ['08:00', '20:00']);
    await p.scheduled('Amlodipine', ['08:30']);
    at('2026-03-05T08:10:00');
    const said = await p.chat('I took it');
    expect(said.actions).toHaveLength(2);
    expect((await p.today()).map((d) => [d.name, d.time, d.status])).toEqual([
      ['Metformin', '08:00', 'taken'],
      ['Amlodipine', '08:30', 'taken'],
      ['Metformin', '20:00', 'due'],
    ]);
    at('2026-03-05T08:40:00');
    const again = await p.chat('I took it');
    expect(again.actions).toEqual([]);
    expect(again.reply).toContain('You already took Metformin at 8:10 am.');
    expect(again.reply).toContain('You already took Amlodipine at 8:10 am.');
    expect(await p.logs()).toHaveLength(2);
  });

  it('a dose marked "Taken" on the talk page is the one "I took my Metformin" then finds', async () => {
    at('2026-03-06T07:30:00');
    const p = await person();
    const { med } = await p.scheduled('Metformin', ['08:00']);
    at('2026-03-06T07:45:00');
    const [listed] = await p.today();
    const taken = await p.call('POST', '/api/medication/logs', { medication_id: listed.medication_id, schedule_id: listed.schedule_id, due_at: listed.due_at, status: 'taken' });
    expect(taken.due_at).toBe(listed.due_at);
    at('2026-03-06T08:15:00');
    expect((await p.chat('I took my Metformin')).reply).toMatch(/^You already took Metformin at 7:45 am\./);
    expect(await p.quantity(med.id)).toBe(59);
  });
});
