/**
 * A dose not logged an hour after its time: recorded as an alert (listed by the person and the
 * caregivers with `alerts`), texted once per dose to the primary contact when chosen and to those
 * caregivers in their own language, through Twilio's REST API (a local fake).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { circleAlerts } from '../../src/care/recipients.js';
import { missedDoseAlerter } from '../../src/health/missed-doses.js';
import { TwilioRest } from '../../src/telephony/outbound.js';
import { twilioMessenger } from '../../src/telephony/services.js';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio/server.js';
import { makeTestApp, registerUser, type TestApp } from '../helpers/app.js';

const CREDS = { accountSid: 'AC00000000000000000000000000000013', authToken: 'twilio-missed-dose-token' };
const FROM = '+15005550006';
/** 08:00 in Kolkata. */
const DUE = Date.parse('2026-03-02T02:30:00Z');
const ENV = { ACCESS_TOKEN_TTL: '24h', REGISTER_RATE_LIMIT_PER_MIN: '1000' };

let fake: FakeTwilio;
let t: TestApp;
const clock = { now: DUE };
beforeAll(async () => {
  fake = await startFakeTwilio(CREDS);
  t = await makeTestApp({ now: () => clock.now, env: ENV });
});
afterAll(async () => Promise.all([t?.close(), fake?.close()]));
beforeEach(() => {
  fake.messages.length = 0;
  fake.failNext(0);
  clock.now = DUE;
});

type Json = Record<string, any>;

function alerter(withTwilio = true) {
  const s = t.app.services;
  return missedDoseAlerter({
    health: s.health,
    claim: (u, n) => s.telephony.ledger.claim(u, n),
    log: t.app.log,
    defaultTimezone: 'Asia/Kolkata',
    ...(withTwilio ? { messenger: twilioMessenger(new TwilioRest({ ...CREDS, baseUrl: fake.url }), FROM, '91') } : {}),
    circle: circleAlerts(s.care, s.accounts, s.health),
    now: () => clock.now,
    retryDelaysMs: [10, 10],
  });
}

/** Asha with an 08:00 Metformin reminder that fired; a primary contact Ravi. */
async function asha(profile: Json = {}) {
  const u = await registerUser(t.app, { name: 'Asha Verma' });
  const call = async (method: string, url: string, payload?: unknown) => {
    const res = await t.app.inject({ method: method as 'GET', url, headers: u.auth, ...(payload === undefined ? {} : { payload: payload as object }) });
    return res.statusCode === 204 ? {} : (res.json() as Json);
  };
  await call('PUT', '/api/profile', { name: 'Asha Verma', gender: 'female', timezone: 'Asia/Kolkata', caregiver_alerts: { missed_medication: true }, ...profile });
  await call('POST', '/api/emergency-contacts', { name: 'Ravi', relationship: 'son', phone: '+91-98111 22233', is_primary: true });
  const med = await call('POST', '/api/medications', { name: 'Metformin', dosage: '500 mg' });
  const schedule = await call('POST', '/api/medication-schedules', { medication_id: med.id, time_of_day: '08:00', days_of_week: ['1', '2', '3', '4', '5', '6', '7'] });
  const n = await t.app.services.health.forUser(u.user.id).store.storeEvent(
    'notification',
    { title: 'Take Metformin', message: 'Time to take your Metformin.', type: 'medication', read: false, fire_at: new Date(DUE).toISOString(), reference_id: `med_schedule:${schedule.id}` },
    { id: `fire-${u.user.id}`, source: 'system' },
  );
  return { u, call, n, schedule };
}

describe('a missed dose', () => {
  it('an hour after its time: one alert, one text to the contact with only the name, the time and the medicine', async () => {
    const a = await asha();
    const check = alerter();
    clock.now = DUE + 59 * 60_000;
    expect(await check.check(a.u.user.id, a.n.id)).toBe('not_due');
    clock.now = DUE + 61 * 60_000;
    expect(await check.check(a.u.user.id, a.n.id)).toBe('sent');
    expect(await check.check(a.u.user.id, a.n.id)).toBe('already_sent');
    expect(await alerter().check(a.u.user.id, a.n.id)).toBe('already_sent');
    expect(fake.messages.map((m) => m.form)).toEqual([{ To: '+919811122233', From: FROM, Body: 'Asha has not confirmed her 8:00 Metformin' }]);
    const alerts = (await a.call('GET', '/api/alerts')).items;
    expect(alerts).toEqual([expect.objectContaining({ kind: 'missed_dose', severity: 'warning', message: 'Asha has not confirmed her 8:00 Metformin', reference_id: `notification:${a.n.id}` })]);
    expect(alerts[0].notified).toEqual([expect.objectContaining({ channel: 'sms', to: 'Ravi', status: 'sent', attempts: 1 })]);
  });

  it('goes to the caregivers with the alerts scope too, in their language; without Twilio it is still recorded and listed', async () => {
    const a = await asha({ caregiver_alerts: { missed_medication: false } });
    const priya = await registerUser(t.app, { name: 'Priya Verma' });
    await t.app.inject({ method: 'PUT', url: '/api/profile', headers: priya.auth, payload: { phone: '+919800011122', preferred_language: 'hi-IN' } });
    const inv = await a.call('POST', '/api/care/invitations', { email: priya.email, relationship: 'daughter', scopes: ['alerts'] });
    await t.app.inject({ method: 'POST', url: '/api/care/invitations/accept', headers: priya.auth, payload: { code: inv.code } });
    clock.now = DUE + 61 * 60_000;
    expect(await alerter().check(a.u.user.id, a.n.id)).toBe('sent');
    expect(fake.messages.map((m) => [m.form.To, m.form.Body])).toEqual([['+919800011122', 'Asha ने 8:00 की Metformin लेने की पुष्टि नहीं की है']]);
    const listed = (await t.app.inject({ url: '/api/care/alerts', headers: priya.auth })).json().items;
    expect(listed).toEqual([expect.objectContaining({ user_id: a.u.user.id, kind: 'missed_dose' })]);

    const b = await asha();
    clock.now = DUE + 61 * 60_000;
    expect(await alerter(false).check(b.u.user.id, b.n.id)).toBe('recorded');
    const [alert] = (await b.call('GET', '/api/alerts')).items;
    expect(alert.notified).toEqual([expect.objectContaining({ to: 'Ravi', status: 'skipped', reason: 'no_provider' })]);
  });

  it('stays silent when the dose was logged; records why nobody was texted; retries a 5xx', async () => {
    const a = await asha();
    await a.call('POST', '/api/medication/logs', { schedule_id: a.schedule.id, status: 'taken', taken_at: new Date(DUE + 20 * 60_000).toISOString() });
    clock.now = DUE + 61 * 60_000;
    expect(await alerter().check(a.u.user.id, a.n.id)).toBe('logged');
    expect(await alerter().check(a.u.user.id, 'fire-unknown')).toBe('not_a_dose');
    expect((await a.call('GET', '/api/alerts')).items).toEqual([]);

    const off = await asha({ caregiver_alerts: { missed_medication: false } });
    expect(await alerter().check(off.u.user.id, off.n.id)).toBe('recorded');
    expect((await off.call('GET', '/api/alerts')).items[0].notified).toEqual([expect.objectContaining({ status: 'skipped', reason: 'not_enabled' })]);

    const flaky = await asha();
    fake.failNext(1, 503);
    expect(await alerter().check(flaky.u.user.id, flaky.n.id)).toBe('sent');
    expect((await flaky.call('GET', '/api/alerts')).items[0].notified).toEqual([expect.objectContaining({ status: 'sent', attempts: 2 })]);
    expect(fake.messages).toHaveLength(1);
  });
});
