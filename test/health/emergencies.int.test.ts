/**
 * Emergencies reach people, through POST /api/chat on the real app and Twilio's REST API (a local
 * fake speaking its wire format): symptoms, "call my son" in three language forms, readings that
 * are emergencies on their own, the all-clear, retries, repeats, and every reason nobody could be
 * told — each recorded as an alert the person can list.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio/server.js';
import { makeTestApp, registerUser, type TestApp } from '../helpers/app.js';

const CREDS = { accountSid: 'AC00000000000000000000000000000011', authToken: 'twilio-emergency-token' };
const FROM = '+15005550006';
/** 10:00 in Kolkata. */
const START = Date.parse('2026-03-02T04:30:00Z');
const ENV = { ACCESS_TOKEN_TTL: '24h', REGISTER_RATE_LIMIT_PER_MIN: '1000' };
const RAHUL = { name: 'Rahul Verma', phone: '+91 98123 45678', relationship: 'son', is_primary: true };

let fake: FakeTwilio;
let t: TestApp;
let bare: TestApp;
const clock = { now: START };

beforeAll(async () => {
  fake = await startFakeTwilio(CREDS);
  t = await makeTestApp({
    now: () => clock.now,
    env: { ...ENV, TWILIO_ACCOUNT_SID: CREDS.accountSid, TWILIO_AUTH_TOKEN: CREDS.authToken, TWILIO_FROM: FROM, TWILIO_API_URL: fake.url, LOG_LEVEL: 'debug' },
  });
  bare = await makeTestApp({ now: () => clock.now, env: ENV });
});
afterAll(async () => Promise.all([t?.close(), bare?.close(), fake?.close()]));
beforeEach(() => {
  fake.messages.length = 0;
  fake.calls.length = 0;
  fake.failNext(0);
  fake.delay(0);
  clock.now += 2 * 3_600_000; // each test starts outside the previous one's repeat windows
});

type Json = Record<string, any>;
/** Kolkata's wall clock (UTC+5:30, no DST), as the texts write it. */
const kolkata = (ms: number) => new Date(ms + 5.5 * 3_600_000).toISOString().slice(11, 16);

async function person(app: TestApp, profile: Json = {}, contacts: Json[] = [RAHUL]) {
  const u = await registerUser(app.app);
  const call = async (method: string, url: string, payload?: unknown) => {
    const res = await app.app.inject({ method: method as 'GET', url, headers: u.auth, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: res.statusCode, body: res.statusCode === 204 ? {} : (res.json() as Json) };
  };
  await call('PUT', '/api/profile', { name: 'Asha Verma', gender: 'female', timezone: 'Asia/Kolkata', ...profile });
  for (const c of contacts) expect((await call('POST', '/api/emergency-contacts', c)).status).toBe(201);
  const chat = async (message: string, thread = 'kitchen') => (await call('POST', '/api/chat', { message, thread_id: thread })).body;
  const alerts = async () => {
    await app.app.services.emergencies.settled();
    await app.app.services.careAlerts.settled();
    return (await call('GET', '/api/alerts?limit=100')).body.items as Json[];
  };
  return { u, call, chat, alerts };
}

describe('symptoms', () => {
  it('112 first, then who was told: a text and a spoken call to the primary contact, recorded', async () => {
    const p = await person(t);
    const r = await p.chat('I have chest pain');
    expect(r.route).toBe('emergency');
    expect(r.reply).toBe("This could be an emergency. Call 112 right now. I've sent a message to Rahul Verma and I'm phoning them now.");
    const [alert] = await p.alerts();
    expect(fake.messages.map((m) => m.form)).toEqual([
      { To: '+919812345678', From: FROM, Body: `Podd: Asha may need help now: chest pain, at ${kolkata(clock.now)}. Podd told her to call 112. Please call her right away.` },
    ]);
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]!.form).toMatchObject({ To: '+919812345678', From: FROM });
    const twiml = fake.calls[0]!.form.Twiml!;
    expect(twiml).toContain('<Say language="en-IN">This is Podd, calling for Asha. Asha may need help now: chest pain. Please call her right away.</Say>');
    expect(twiml.match(/<Say /g)).toHaveLength(2);
    expect(alert).toMatchObject({ kind: 'emergency', code: 'chest_pain', severity: 'urgent', message: r.reply });
    expect(alert!.notified).toEqual([
      { channel: 'sms', to: 'Rahul Verma', status: 'sent', attempts: 1, at: expect.any(String) },
      { channel: 'call', to: 'Rahul Verma', status: 'sent', attempts: 1, at: expect.any(String) },
    ]);
  });

  it('in Hindi and Hinglish; the family hears the person’s language', async () => {
    const p = await person(t, { preferred_language: 'hi-IN' });
    const r = await p.chat('seene mein dard ho raha hai');
    expect(r.reply).toBe('यह इमरजेंसी हो सकती है। अभी 112 पर कॉल करें। मैंने Rahul Verma को मैसेज भेज दिया है और अभी फ़ोन भी कर रहा हूं।');
    await p.alerts();
    expect(fake.messages[0]!.form.Body).toBe(`Podd: Asha को अभी मदद चाहिए हो सकती है: सीने में दर्द, ${kolkata(clock.now)} बजे। Podd ने उन्हें 112 पर कॉल करने को कहा है। कृपया तुरंत उन्हें फ़ोन कीजिए।`);
    expect(fake.calls[0]!.form.Twiml).toContain('<Say language="hi-IN">मैं Podd हूं, Asha की ओर से फ़ोन कर रहा हूं।');
  });

  it('a repeat within five minutes is not sent again; the record says so', async () => {
    const p = await person(t);
    await p.chat('I fell down and cannot get up');
    clock.now += 60_000;
    await p.chat('I fell down and cannot get up');
    const alerts = await p.alerts();
    expect(alerts).toHaveLength(2);
    expect(fake.messages).toHaveLength(1);
    expect(fake.calls).toHaveLength(1);
    expect(alerts.map((a) => a.notified[0].status).sort()).toEqual(['sent', 'skipped']);
    expect(alerts.find((a) => a.notified[0].status === 'skipped')!.notified[0].reason).toBe('rate_limited');
  });
});

describe('asking for someone', () => {
  it.each([
    ['call my son', 'en', "I'm phoning Rahul Verma now, and I've sent them a message asking them to call you."],
    ['Rahul ko phone karo', 'hi', 'मैं अभी Rahul Verma को फ़ोन कर रहा हूं, और मैसेज भी भेज दिया है कि वे आपको फ़ोन करें।'],
    ['बेटे को फोन करो', 'hi', 'मैं अभी Rahul Verma को फ़ोन कर रहा हूं, और मैसेज भी भेज दिया है कि वे आपको फ़ोन करें।'],
  ])('%s → the contact is texted and called, no 112', async (text, lang, reply) => {
    const p = await person(t);
    const r = await p.chat(text);
    expect(r.route).toBe('emergency');
    expect(r.language).toBe(lang === 'hi' ? 'hi-IN' : 'en-IN');
    expect(r.reply).toBe(reply);
    expect(r.reply).not.toContain('112');
    const [alert] = await p.alerts();
    expect(alert).toMatchObject({ kind: 'emergency', code: 'call_request' });
    expect(fake.messages[0]!.form).toMatchObject({ To: '+919812345678', Body: expect.stringMatching(/^Podd: Asha asked me to call you, at .+\. Please call her back\.$/) });
    expect(fake.calls[0]!.form.Twiml).toContain('This is Podd, calling for Asha, who asked me to call you. Please call her back.');
  });

  it('reaches the one named when it is not the primary contact', async () => {
    const p = await person(t, {}, [RAHUL, { name: 'Priya', phone: '+91 98000 11122', relationship: 'daughter' }]);
    expect((await p.chat('please call my daughter')).reply).toContain('Priya');
    expect((await p.chat('call Priya')).reply).toContain('Priya');
    await p.alerts();
    expect(fake.messages.map((m) => m.form.To)).toEqual(['+919800011122']);
  });

  it('talk about calls is not an ask', async () => {
    const p = await person(t);
    for (const text of ['remind me to call my son at 5 pm', 'did Rahul call', "what is my son's phone number"]) {
      expect((await p.chat(text)).route, text).not.toBe('emergency');
    }
    await p.alerts();
    expect(fake.messages).toHaveLength(0);
  });
});

describe('the all-clear', () => {
  it('"it was a mistake" in the same conversation tells the same people; another conversation does not', async () => {
    const p = await person(t);
    await p.chat('help me', 'a');
    clock.now += 3 * 60_000;
    expect((await p.chat("I'm okay", 'b')).route).not.toBe('emergency');
    const r = await p.chat('it was a mistake', 'a');
    expect(r.route).toBe('emergency');
    expect(r.reply).toBe("I'm glad you're okay. I've let Rahul Verma know.");
    const [alert] = await p.alerts();
    expect(fake.messages.map((m) => m.form.Body)).toEqual([expect.stringContaining('may need help now: an emergency'), `Podd: Asha says all is okay now, at ${kolkata(clock.now)}. You may still want to call her.`]);
    expect(fake.calls).toHaveLength(1);
    expect(alert!.cleared_at).toBe(new Date(clock.now).toISOString());
    expect(alert!.notified.at(-1)).toMatchObject({ channel: 'sms', to: 'Rahul Verma', status: 'sent', about: 'all_clear' });
    // Cleared once: a second "I'm fine" is ordinary talk.
    expect((await p.chat("I'm fine", 'a')).route).not.toBe('emergency');
  });

  it('galti se, in Hindi', async () => {
    const p = await person(t);
    await p.chat('mujhe chakkar aa raha hai', 'h');
    const r = await p.chat('galti se ho gaya, main theek hoon', 'h');
    expect(r.reply).toBe('अच्छा लगा कि आप ठीक हैं। मैंने Rahul Verma को बता दिया है।');
    await p.alerts();
    expect(fake.messages).toHaveLength(2);
  });

  it('a symptom said again is not an all-clear', async () => {
    const p = await person(t);
    await p.chat('I have chest pain', 'c');
    const r = await p.chat("I'm okay but the chest pain is still there", 'c');
    expect(r.reply).toMatch(/^This could be an emergency/);
  });
});

describe('nobody to tell, or no way to', () => {
  it('no contact: the reply says so; recorded as no_contact', async () => {
    const p = await person(t, {}, []);
    expect((await p.chat('I have chest pain')).reply).toBe(
      "This could be an emergency. Call 112 right now. I have no emergency contact saved for you, so I couldn't tell anyone. Your family can add one in the app.",
    );
    expect((await p.chat('call my son')).reply).toBe("I don't have anyone saved to call for you. If you need help now, call 112.");
    const alerts = await p.alerts();
    expect(alerts.map((a) => a.notified[0])).toEqual([
      { channel: 'sms', status: 'skipped', reason: 'no_contact', at: expect.any(String) },
      { channel: 'sms', status: 'skipped', reason: 'no_contact', at: expect.any(String) },
    ]);
    expect(fake.messages).toHaveLength(0);
  });

  it('no Twilio configured: whom to call instead; recorded as no_provider', async () => {
    const p = await person(bare);
    expect((await p.chat('I have chest pain')).reply).toBe("This could be an emergency. Call 112 right now. I can't send messages from here, so please call Rahul Verma on +91 98123 45678.");
    expect((await p.chat('call my son')).reply).toBe("I can't make calls from here. Rahul Verma's number is +91 98123 45678. If you need help now, call 112.");
    const alerts = await p.alerts();
    expect(alerts.every((a) => a.notified[0].reason === 'no_provider' && a.notified[0].to === 'Rahul Verma')).toBe(true);
  });

  it('the profile turned emergency messages off: 112 and whom to call, nothing sent', async () => {
    const p = await person(t, { caregiver_alerts: { emergency: false } });
    expect((await p.chat('I have chest pain')).reply).toBe('This could be an emergency. Call 112 right now. Then call Rahul Verma on +91 98123 45678.');
    const [alert] = await p.alerts();
    expect(alert!.notified[0]).toMatchObject({ status: 'skipped', reason: 'not_enabled' });
    expect(fake.messages).toHaveLength(0);
  });

  it('an unusable number is recorded as invalid_number and tried once', async () => {
    const p = await person(t, {}, [{ name: 'Old Landline', phone: '1234567', is_primary: true }]);
    await p.chat('I have chest pain');
    const [alert] = await p.alerts();
    expect(alert!.notified.map((n: Json) => [n.channel, n.status, n.reason, n.attempts])).toEqual([
      ['sms', 'failed', 'invalid_number', 1],
      ['call', 'failed', 'invalid_number', 1],
    ]);
  });
});

describe('sending', () => {
  it('a Twilio 5xx is tried again, three tries in all, and recorded; the turn never fails', async () => {
    const p = await person(t);
    fake.failNext(2, 500, 20500); // the text's and the call's first tries
    expect((await p.chat('I have chest pain')).route).toBe('emergency');
    let [alert] = await p.alerts();
    expect(alert!.notified.map((n: Json) => [n.channel, n.status, n.attempts])).toEqual([['sms', 'sent', 2], ['call', 'sent', 2]]);

    clock.now += 3_600_000;
    fake.failNext(6, 503, 20500);
    expect((await p.chat('I have chest pain')).route).toBe('emergency');
    [alert] = (await p.alerts()).filter((a) => a.occurred_at === new Date(clock.now).toISOString());
    expect(alert!.notified.map((n: Json) => [n.channel, n.status, n.reason, n.attempts])).toEqual([
      ['sms', 'failed', 'provider_error', 3],
      ['call', 'failed', 'provider_error', 3],
    ]);
  });

  it('the reply does not wait for the send', async () => {
    const p = await person(t);
    fake.delay(1500);
    const started = performance.now();
    const r = await p.chat('I have chest pain');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(r.reply).toContain("I've sent a message to Rahul Verma");
    expect(fake.messages).toHaveLength(0);
    await p.alerts();
    expect(fake.messages).toHaveLength(1);
  });
});

describe('readings that are emergencies on their own', () => {
  it('a very low sugar: what to do now, who is told, then saved; an alert storm sends once', async () => {
    const p = await person(t);
    const r = await p.chat('my sugar is 45');
    expect(r.route).toBe('log');
    expect(r.reply).toMatch(/^Your blood sugar of 45 is very low\. Take something sweet now.* I've sent a message to Rahul Verma and I'm phoning them now\. Saved your sugar reading of 45\.$/);
    for (let i = 0; i < 9; i++) {
      clock.now += 5_000;
      await p.call('POST', '/api/health/vitals', { blood_sugar: 44, logged_at: new Date(clock.now).toISOString() });
    }
    const alerts = await p.alerts();
    expect(alerts).toHaveLength(10);
    expect(alerts.every((a) => a.kind === 'emergency' && a.code === 'sugar_very_low' && /^vitals:/.test(a.reference_id))).toBe(true);
    expect(fake.messages.map((m) => m.form.Body)).toEqual([expect.stringContaining('Asha may need help now: a very low blood sugar reading')]);
    expect(fake.calls).toHaveLength(1);
  });

  it('oxygen far below 90 takes the emergency path; 88 is urgent but stays a reading alert', async () => {
    const p = await person(t, { caregiver_alerts: { abnormal_vitals: false } });
    await p.call('POST', '/api/health/vitals', { spo2: 82, logged_at: new Date(clock.now).toISOString() });
    await p.call('POST', '/api/health/vitals', { spo2: 88, logged_at: new Date(clock.now).toISOString() });
    const alerts = await p.alerts();
    expect(alerts.map((a) => [a.kind, a.code]).sort()).toEqual([['emergency', 'spo2_very_low'], ['vitals', 'spo2_very_low']]);
    // Emergencies are on by default; the reading texts were not chosen.
    expect(fake.messages).toHaveLength(1);
  });
});

describe('the care circle hears too', () => {
  /** Priya (an account of her own) looks after Asha with the `alerts` scope; her phone and language are in her own profile. */
  async function caregiver(p: Awaited<ReturnType<typeof person>>, profile: Json = { phone: '+919800011122', preferred_language: 'hi-IN' }, scopes = ['alerts']) {
    const priya = await registerUser(t.app, { name: 'Priya Verma' });
    await t.app.inject({ method: 'PUT', url: '/api/profile', headers: priya.auth, payload: { timezone: 'Asia/Kolkata', ...profile } });
    const inv = (await p.call('POST', '/api/care/invitations', { email: priya.email, relationship: 'daughter', scopes })).body;
    expect((await t.app.inject({ method: 'POST', url: '/api/care/invitations/accept', headers: priya.auth, payload: { code: inv.code } })).statusCode).toBe(200);
    return priya;
  }

  it('an emergency: the contact is texted and called, the caregiver texted in her own language, and the reply names both', async () => {
    const p = await person(t);
    const priya = await caregiver(p);
    const r = await p.chat('I have chest pain');
    expect(r.reply).toBe("This could be an emergency. Call 112 right now. I've sent a message to Rahul Verma and I'm phoning them now. I've also let Priya Verma know.");
    const [alert] = await p.alerts();
    expect(fake.messages.map((m) => m.form.To).sort()).toEqual(['+919800011122', '+919812345678']);
    expect(fake.messages.find((m) => m.form.To === '+919800011122')!.form.Body).toMatch(/^Podd: Asha को अभी मदद चाहिए हो सकती है: सीने में दर्द/);
    expect(fake.calls.map((c) => c.form.To)).toEqual(['+919812345678']);
    expect(alert!.notified).toEqual(expect.arrayContaining([expect.objectContaining({ channel: 'sms', to: 'Priya Verma', status: 'sent' })]));
    // And she sees it in her own alert list.
    const hers = (await t.app.inject({ url: '/api/care/alerts', headers: priya.auth })).json();
    expect(hers.items).toEqual([expect.objectContaining({ user_id: p.u.user.id, kind: 'emergency', code: 'chest_pain' })]);
    // The all-clear reaches her too.
    await p.chat("I'm okay, it was a mistake");
    await p.alerts();
    expect(fake.messages.filter((m) => m.form.To === '+919800011122').map((m) => m.form.Body).at(-1)).toMatch(/अब सब ठीक है/);
  });

  it('with no contact saved, the caregivers are the ones told', async () => {
    const p = await person(t, {}, []);
    await caregiver(p);
    expect((await p.chat('call someone')).reply).toBe("I've sent a message to Priya Verma.");
    await p.alerts();
    expect(fake.messages.map((m) => m.form.To)).toEqual(['+919800011122']);
  });

  it('an urgent reading reaches a caregiver with the alerts scope even when the contact was not chosen; one without a phone only sees it listed', async () => {
    const p = await person(t);
    await caregiver(p, { preferred_language: 'en-IN', phone: '+919800011122' });
    await caregiver(p, {});
    await caregiver(p, { phone: '+919800099999' }, ['vitals']);
    await p.call('POST', '/api/health/vitals', { blood_pressure_systolic: 192, blood_pressure_diastolic: 124, logged_at: new Date(clock.now).toISOString() });
    const [alert] = await p.alerts();
    expect(fake.messages.map((m) => [m.form.To, m.form.Body])).toEqual([['+919800011122', expect.stringContaining('Asha had a very high blood pressure reading')]]);
    expect(alert!.notified.map((n: Json) => [n.to ?? null, n.status, n.reason ?? null])).toEqual(
      expect.arrayContaining([[null, 'skipped', 'not_enabled'], ['Priya Verma', 'sent', null], ['Priya Verma', 'skipped', 'no_phone']]),
    );
    expect(alert!.notified).toHaveLength(3);
  });
});

describe('logs', () => {
  it('carry no symptom, reading or message', () => {
    expect(t.logs()).toContain('emergency message sent');
    expect(t.logs()).not.toMatch(/chest|pain|dard|chakkar|sugar|Take something sweet|need help|asked me to call|okay now/i);
  });
});
