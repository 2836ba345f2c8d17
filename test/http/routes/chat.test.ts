/** POST /api/chat and GET /api/chat/history as the app registers them, over its own assistant and store. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TYPE_NAMES } from '../../../src/locusgraph/index.js';
import { makeTestApp, registerUser, type TestApp } from '../../helpers/app.js';

let t: TestApp;

beforeAll(async () => {
  t = await makeTestApp({
    // Each test registers its own users, so each starts with an empty history.
    env: { REGISTER_RATE_LIMIT_PER_MIN: '100' },
  });
});
afterAll(() => t.close());

const post = (auth: Record<string, string>, payload: unknown) => t.app.inject({ method: 'POST', url: '/api/chat', headers: auth, payload: payload as object });

describe('POST /api/chat', () => {
  it('answers, reports the route and the records written, and stores the turn', async () => {
    const u = await registerUser(t.app);
    const res = await post(u.auth, { message: 'my BP is 140 over 90' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ reply: 'Saved your blood pressure, 140 over 90.', route: 'log', language: 'en-IN' });
    expect(body.thread_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.actions).toEqual([{ type: 'vitals', id: expect.any(String) }]);
    const vitals = await t.app.inject({ method: 'GET', url: `/api/health/vitals/${body.actions[0].id}`, headers: u.auth });
    expect(vitals.json()).toMatchObject({ blood_pressure_systolic: 140, blood_pressure_diastolic: 90 });
  });

  it('answers a question about a value from the ranges and stores nothing', async () => {
    const u = await registerUser(t.app);
    const vitalsCount = async () => (await t.app.inject({ url: '/api/health/vitals', headers: u.auth })).json().items.length;
    const en = (await post(u.auth, { message: 'Is 140 over 90 high?' })).json();
    expect(en).toMatchObject({ route: 'recommendation', actions: [] });
    expect(en.reply).toContain('Your blood pressure of 140/90 is in the high (stage 2) range.');
    expect(en.reply).toContain('I have not saved it as a reading.');
    const hi = (await post(u.auth, { message: 'क्या शुगर 45 ठीक है', locale: 'hi-IN' })).json();
    expect(hi.reply).toContain('आपकी शुगर 45 बहुत कम है');
    const hinglish = (await post(u.auth, { message: 'kya 190 over 120 zyada hai' })).json();
    expect(hinglish.route).toBe('recommendation');
    expect(await vitalsCount()).toBe(0);
    // The same numbers reported are a reading.
    expect((await post(u.auth, { message: 'my BP is 140 over 90' })).json().route).toBe('log');
    expect(await vitalsCount()).toBe(1);
    expect((await t.app.inject({ url: '/api/alerts', headers: u.auth })).json().items).toEqual([]);
  });

  it('answers a diet question from the diet rules and stores nothing; a profile condition shapes the answer', async () => {
    const u = await registerUser(t.app);
    const health = t.app.services.health.forUser(u.user.id);
    /** Every kind of record but the chat turns themselves, with how many there are. */
    const records = async () => {
      const out: Record<string, number> = {};
      for (const type of EVENT_TYPE_NAMES.filter((x) => x !== 'chat')) {
        const n = (await health.list(type, { limit: 100 })).items.length;
        if (n) out[type] = n;
      }
      return out;
    };
    expect(await records()).toEqual({});

    const en = (await post(u.auth, { message: 'Is rice good for diabetes?' })).json();
    expect(en).toMatchObject({ route: 'recommendation', actions: [], language: 'en-IN' });
    expect(en.reply).toBe(
      'With diabetes, rice raises sugar quickly: keep it to a small katori, with dal and vegetables, and have roti or millets more often. ' +
      'I have not logged it as a meal. Your doctor or dietitian can tell you the right amount for you.',
    );
    // No condition known: the general rule, and "ask your doctor" what suits them.
    const hi = (await post(u.auth, { message: 'क्या मैं आम खा सकता हूँ' })).json();
    expect(hi).toMatchObject({ route: 'recommendation', actions: [], language: 'hi-IN' });
    expect(hi.reply).toBe(
      'आम और केले जैसे मीठे फल सामान्य मात्रा में सेहतमंद हैं, जैसे एक छोटा आम। मैंने इसे आपके खाने में दर्ज नहीं किया है। ' +
      'अगर आपको डायबिटीज़, हाई बीपी, दिल या किडनी की बीमारी है, तो अपने डॉक्टर से पूछें कि आपके लिए क्या ठीक है।',
    );
    const hinglish = (await post(u.auth, { message: 'kya main chawal kha sakta hoon' })).json();
    expect(hinglish).toMatchObject({ route: 'recommendation', actions: [] });
    expect(await records()).toEqual({});

    // The profile says diabetes: the same questions are answered for it, still without a record.
    expect((await t.app.inject({ method: 'PUT', url: '/api/profile', headers: u.auth, payload: { name: 'Asha', medical_conditions: ['Type 2 diabetes'] } })).statusCode).toBe(201);
    const mango = (await post(u.auth, { message: 'can I eat mangoes' })).json();
    expect(mango).toMatchObject({ route: 'recommendation', actions: [] });
    expect(mango.reply).toBe(
      'With diabetes, mango, banana and grapes are okay in a small portion, like a few slices of mango, with a meal. ' +
      'I have not logged it as a meal. Your doctor or dietitian can tell you the right amount for you.',
    );
    const aam = (await post(u.auth, { message: 'क्या मैं आम खा सकता हूँ' })).json();
    expect(aam.reply).toMatch(/^डायबिटीज़ में आम, केला और अंगूर थोड़ी मात्रा में ठीक हैं/);
    expect(await records()).toEqual({ profile: 1 });

    // Said as eaten, the same food is a meal.
    const ate = (await post(u.auth, { message: 'I ate rice' })).json();
    expect(ate).toMatchObject({ route: 'food', actions: [{ type: 'food', id: expect.any(String) }] });
    expect(await records()).toEqual({ profile: 1, food: 1 });
  });

  it('continues a thread: a question, then its answer', async () => {
    const u = await registerUser(t.app);
    const q = (await post(u.auth, { message: 'remind me to take my medicine', thread_id: 'web-1' })).json();
    expect(q.reply).toBe('At what time?');
    const a = (await post(u.auth, { message: 'at 9 pm', thread_id: 'web-1' })).json();
    expect(a.route).toBe('reminder');
    expect(a.actions).toEqual([{ type: 'alarm', id: expect.any(String) }]);
  });

  it('replies in Hindi for a Hindi locale or message', async () => {
    const u = await registerUser(t.app);
    const body = (await post(u.auth, { message: 'dawai kab leni hai', locale: 'hi-IN' })).json();
    expect(body.language).toBe('hi-IN');
    expect(body.reply).toMatch(/[\u0900-\u097F]/);
  });

  it('answers empty and over-long input politely and stores nothing', async () => {
    const u = await registerUser(t.app);
    for (const message of ['', 'x'.repeat(10_000), '🙂🙂']) {
      const res = await post(u.auth, { message });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ route: 'chat', actions: [] });
    }
    const history = await t.app.inject({ method: 'GET', url: '/api/chat/history', headers: u.auth });
    expect(history.json().items).toEqual([]);
  });

  it('refuses a malformed body in the public error format', async () => {
    const u = await registerUser(t.app);
    for (const payload of [{}, { message: 'x'.repeat(10_001) }, { message: 'hi', thread_id: '../etc' }, { message: 'hi', locale: 'english' }, { message: 'hi', user_id: 'x' }]) {
      const res = await post(u.auth, payload);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ status: 'error', error: { code: 'VALIDATION_ERROR' } });
    }
  });

  it('requires authentication', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/chat', payload: { message: 'hello' } });
    expect(res.statusCode).toBe(401);
  });
});

describe('GET /api/chat/history', () => {
  it('pages the user’s own turns, newest first, and never another user’s', async () => {
    const u = await registerUser(t.app);
    const other = await registerUser(t.app);
    await post(other.auth, { message: 'hello' });
    for (const message of ['hello', 'drank 2 glasses of water', 'what can you do']) await post(u.auth, { message, thread_id: 'h-1' });
    const first = (await t.app.inject({ method: 'GET', url: '/api/chat/history?limit=2', headers: u.auth })).json();
    expect(first.items).toHaveLength(2);
    expect(first.items[0]).toMatchObject({ user_message: 'what can you do', route: 'chat', thread_id: 'h-1', locale: 'en-IN' });
    expect(first.items[1]).toMatchObject({ user_message: 'drank 2 glasses of water', route: 'log' });
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = (await t.app.inject({ method: 'GET', url: `/api/chat/history?limit=2&cursor=${encodeURIComponent(first.next_cursor)}`, headers: u.auth })).json();
    expect(second.items.map((i: { user_message: string }) => i.user_message)).toEqual(['hello']);
    expect(second.next_cursor).toBeNull();
  });
});
