/**
 * Urgent readings are warned about and reach the family: REST and chat writes answer with the
 * ranges' findings, each urgent reading is an alert the person can list, and the primary contact
 * gets one SMS per kind per hour through Twilio's REST API (a local fake speaking its wire format).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio/server.js';
import { makeTestApp, registerUser, type TestApp } from '../helpers/app.js';

const CREDS = { accountSid: 'AC00000000000000000000000000000009', authToken: 'twilio-care-token' };
/** 10:00 in Kolkata. */
const START = Date.parse('2026-03-02T04:30:00Z');

/** The clock jumps hours between tests: tokens outlive it; many accounts register from one address. */
const ENV = { ACCESS_TOKEN_TTL: '24h', REGISTER_RATE_LIMIT_PER_MIN: '1000' };

let fake: FakeTwilio;
let t: TestApp;
let bare: TestApp;
const clock = { now: START };

beforeAll(async () => {
  fake = await startFakeTwilio(CREDS);
  t = await makeTestApp({
    now: () => clock.now,
    env: { ...ENV, TWILIO_ACCOUNT_SID: CREDS.accountSid, TWILIO_AUTH_TOKEN: CREDS.authToken, TWILIO_FROM: '+15005550006', TWILIO_API_URL: fake.url, LOG_LEVEL: 'debug' },
  });
  bare = await makeTestApp({ now: () => clock.now, env: ENV });
});
afterAll(async () => Promise.all([t?.close(), bare?.close(), fake?.close()]));
beforeEach(() => {
  fake.messages.length = 0;
  clock.now += 2 * 3_600_000; // each test starts outside the previous one's SMS hour
});

type Json = Record<string, any>;

async function person(app: TestApp, profile: Json = {}, contact: Json | null = { name: 'Rahul Verma', phone: '+919812345678', relationship: 'son' }) {
  const u = await registerUser(app.app);
  const call = async (method: string, url: string, payload?: unknown) => {
    const res = await app.app.inject({ method: method as 'GET', url, headers: u.auth, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: res.statusCode, body: res.statusCode === 204 ? {} : (res.json() as Json) };
  };
  await call('PUT', '/api/profile', { name: 'Asha Verma', gender: 'female', timezone: 'Asia/Kolkata', caregiver_alerts: { abnormal_vitals: true }, ...profile });
  if (contact) expect((await call('POST', '/api/emergency-contacts', contact)).status).toBe(201);
  const alerts = async () => {
    await app.app.services.careAlerts.settled();
    return (await call('GET', '/api/alerts?limit=100')).body.items as Json[];
  };
  const reading = (body: Json) => call('POST', '/api/health/vitals', { logged_at: new Date(clock.now).toISOString(), ...body });
  return { u, call, alerts, reading };
}

describe('a reading written through REST', () => {
  it('answers with the ranges’ findings: urgent, warning, or none', async () => {
    const p = await person(t);
    const crisis = await p.reading({ blood_pressure_systolic: 190, blood_pressure_diastolic: 120 });
    expect(crisis.status).toBe(201);
    expect(crisis.body.alerts).toEqual([{ code: 'bp_crisis', severity: 'urgent', message: expect.stringContaining('Please seek medical care now') }]);
    const high = await p.reading({ blood_pressure_systolic: 150, blood_pressure_diastolic: 95 });
    expect(high.body.alerts).toEqual([{ code: 'bp_stage_2', severity: 'warning', message: expect.stringContaining('stage 2') }]);
    const normal = await p.reading({ blood_pressure_systolic: 115, blood_pressure_diastolic: 75 });
    expect(normal.status).toBe(201);
    expect(normal.body).not.toHaveProperty('alerts');
    const low = await p.reading({ blood_sugar: 45 });
    expect(low.body.alerts[0]).toMatchObject({ code: 'sugar_very_low', severity: 'urgent', message: expect.stringContaining('Take something sweet now') });
    // The same words as GET /api/health/recommendations gives for that reading.
    const recs = (await p.call('GET', '/api/health/recommendations')).body.items as Json[];
    expect(recs.find((r) => r.id === 'sugar_very_low')!.message).toBe(low.body.alerts[0].message);
  });

  it('speaks the person’s language, and PUT and PATCH answer the same way', async () => {
    const p = await person(t, { preferred_language: 'hi-IN' });
    const created = await p.reading({ blood_pressure_systolic: 150, blood_pressure_diastolic: 95 });
    expect(created.body.alerts[0].message).toContain('ब्लड प्रेशर');
    const put = await p.call('PUT', `/api/health/vitals/${created.body.id}`, { blood_pressure_systolic: 192, blood_pressure_diastolic: 118, logged_at: new Date(clock.now).toISOString() });
    expect(put.body.alerts).toEqual([expect.objectContaining({ code: 'bp_crisis', severity: 'urgent' })]);
    const patched = await p.call('PATCH', `/api/health/vitals/${created.body.id}`, { blood_pressure_systolic: 118, blood_pressure_diastolic: 76 });
    expect(patched.status).toBe(200);
    expect(patched.body).not.toHaveProperty('alerts');
  });

  it('records each urgent reading as an alert and texts the primary contact: name, kind, local time, nothing else', async () => {
    const p = await person(t);
    const r = await p.reading({ blood_pressure_systolic: 190, blood_pressure_diastolic: 120 });
    const [alert] = await p.alerts();
    expect(alert).toMatchObject({
      kind: 'vitals', code: 'bp_crisis', severity: 'urgent', reference_id: `vitals:${r.body.id}`,
      message: r.body.alerts[0].message,
      notified: [{ channel: 'sms', to: 'Rahul Verma', status: 'sent', attempts: 1, at: expect.any(String) }],
    });
    expect(fake.messages).toHaveLength(1);
    const sms = fake.messages[0]!.form;
    expect(sms.To).toBe('+919812345678');
    expect(sms.From).toBe('+15005550006');
    const at = new Date(clock.now).toLocaleTimeString('en-GB', { timeZone: 'Asia/Kolkata', hour: '2-digit', minute: '2-digit' });
    expect(sms.Body).toBe(`Podd: Asha had a very high blood pressure reading at ${at}. Please check on her.`);
    expect(sms.Body).not.toMatch(/190|120/);
    // A warning is not an alert, and is not texted.
    await p.reading({ blood_pressure_systolic: 150, blood_pressure_diastolic: 95 });
    expect(await p.alerts()).toHaveLength(1);
    expect(fake.messages).toHaveLength(1);
    // Nothing of the reading reaches the logs.
    expect(t.logs()).not.toMatch(/190\/120|190 over|crisis range/);
  });

  it('an alert storm sends one SMS per kind per hour; every reading is still recorded', async () => {
    const p = await person(t);
    for (let i = 0; i < 10; i++) {
      clock.now += 5_000;
      expect((await p.reading({ blood_pressure_systolic: 185 + i, blood_pressure_diastolic: 110 })).status).toBe(201);
    }
    await p.reading({ blood_sugar: 40 });
    const alerts = await p.alerts();
    expect(alerts).toHaveLength(11);
    expect(alerts.filter((a) => a.notified[0].status === 'sent').map((a) => a.code).sort()).toEqual(['bp_crisis', 'sugar_very_low']);
    expect(alerts.filter((a) => a.notified[0].reason === 'rate_limited')).toHaveLength(9);
    expect(fake.messages).toHaveLength(2);
    // An hour later the same kind is texted again.
    clock.now += 3_600_000 + 1000;
    await p.reading({ blood_pressure_systolic: 200, blood_pressure_diastolic: 115 });
    await p.alerts();
    expect(fake.messages).toHaveLength(3);
  });

  it('a Twilio 5xx is tried again (three tries in all); a 4xx is not; neither fails the write', async () => {
    const p = await person(t);
    fake.failNext(1, 500, 20500);
    await p.reading({ spo2: 88 });
    let [alert] = await p.alerts();
    expect(alert!.notified[0]).toMatchObject({ status: 'sent', attempts: 2 });
    expect(fake.messages).toHaveLength(1);

    clock.now += 2 * 3_600_000;
    fake.failNext(3, 503, 20500);
    const r = await p.reading({ spo2: 87 });
    expect(r.status).toBe(201);
    [alert] = await p.alerts();
    expect(alert!.notified[0]).toMatchObject({ status: 'failed', reason: 'provider_error', attempts: 3 });

    clock.now += 2 * 3_600_000;
    fake.failNext(1, 400, 21211);
    await p.reading({ spo2: 86 });
    [alert] = await p.alerts();
    expect(alert!.notified[0]).toMatchObject({ status: 'failed', reason: 'provider_error', attempts: 1 });
    fake.failNext(0);
  });

  it('says why nobody was texted: not chosen, no contact, no usable number, no SMS provider', async () => {
    const off = await person(t, { caregiver_alerts: { abnormal_vitals: false } });
    await off.reading({ blood_pressure_systolic: 190, blood_pressure_diastolic: 121 });
    expect((await off.alerts())[0]!.notified).toEqual([{ channel: 'sms', status: 'skipped', reason: 'not_enabled', at: expect.any(String) }]);

    const alone = await person(t, {}, null);
    await alone.reading({ blood_pressure_systolic: 190, blood_pressure_diastolic: 121 });
    expect((await alone.alerts())[0]!.notified[0]).toMatchObject({ status: 'skipped', reason: 'no_contact' });

    const badNumber = await person(t, {}, { name: 'Rahul', phone: '0000000' });
    await badNumber.reading({ blood_pressure_systolic: 190, blood_pressure_diastolic: 121 });
    expect((await badNumber.alerts())[0]!.notified[0]).toMatchObject({ status: 'failed', reason: 'invalid_number', attempts: 1 });

    const keyless = await person(bare);
    const r = await keyless.reading({ blood_pressure_systolic: 190, blood_pressure_diastolic: 121 });
    expect(r.body.alerts[0].code).toBe('bp_crisis');
    expect((await keyless.alerts())[0]!.notified[0]).toMatchObject({ to: 'Rahul Verma', status: 'skipped', reason: 'no_provider' });
    expect(fake.messages).toHaveLength(0);
  });

  it('a rewrite that changes no measurement raises nothing new', async () => {
    const p = await person(t);
    const r = await p.reading({ blood_pressure_systolic: 190, blood_pressure_diastolic: 120 });
    await p.call('PATCH', `/api/health/vitals/${r.body.id}`, { notes: 'after climbing stairs' });
    expect(await p.alerts()).toHaveLength(1);
  });

  it('alerts are the person’s own: another account sees none of them', async () => {
    const p = await person(t);
    const r = await p.reading({ blood_pressure_systolic: 190, blood_pressure_diastolic: 120 });
    const [alert] = await p.alerts();
    const other = await person(t, {}, null);
    expect(await other.alerts()).toEqual([]);
    expect((await other.call('GET', `/api/alerts/${alert!.id}`)).status).toBe(404);
    expect((await other.call('POST', '/api/alerts', { kind: 'vitals' })).status).toBe(404);
    expect(r.status).toBe(201);
  });
});

describe('a reading said to the assistant', () => {
  it('leads with the warning and what to do now, then confirms it was saved, and alerts like REST', async () => {
    const p = await person(t);
    const res = await t.app.inject({ method: 'POST', url: '/api/chat', headers: p.u.auth, payload: { message: 'my BP is 190 over 120' } });
    const body = res.json();
    expect(body.route).toBe('log');
    expect(body.reply).toMatch(/^Your blood pressure of 190\/120 is in the crisis range\. Please seek medical care now\..*Saved your blood pressure, 190 over 120\.$/);
    const [alert] = await p.alerts();
    expect(alert).toMatchObject({ code: 'bp_crisis', reference_id: `vitals:${body.actions[0].id}`, notified: [{ status: 'sent' }] });
    expect(fake.messages).toHaveLength(1);

    const normal = (await t.app.inject({ method: 'POST', url: '/api/chat', headers: p.u.auth, payload: { message: 'my BP is 118 over 76' } })).json();
    expect(normal.reply).toBe('Saved your blood pressure, 118 over 76.');
  });

  it('in Hindi too', async () => {
    const p = await person(t, { preferred_language: 'hi-IN' });
    const body = (await t.app.inject({ method: 'POST', url: '/api/chat', headers: p.u.auth, payload: { message: 'meri sugar 45 hai' } })).json();
    expect(body.reply).toMatch(/^आपकी शुगर 45 बहुत कम है।/);
  });
});

describe('logs', () => {
  it('carry no reading, value or advice from any of the above', () => {
    expect(t.logs()).toContain('family alert sent');
    expect(t.logs()).not.toMatch(/crisis|Take something sweet|blood pressure|190\/12|190 over|blood_pressure_systolic|"spo2"/i);
  });
});
