/**
 * Care safety by voice: fixture audio (fixtures/audio/care/) over a real voice socket, through the
 * real VAD, local STT, the assistant on the embedded store and local TTS, with Twilio's REST API
 * as a local fake. A spoken crisis BP is warned about and texted to the family; a spoken "call my
 * son" reaches him by text and call; a spoken question about a BP value is answered and not stored.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio/server.js';
import { makeTestApp, registerUser, type TestApp } from '../helpers/app.js';
import { fixturePcm, VoiceClient } from './helpers.js';

const CREDS = { accountSid: 'AC00000000000000000000000000000012', authToken: 'twilio-voice-care-token' };
let fake: FakeTwilio;
let t: TestApp;
let wsUrl: string;
let user: Awaited<ReturnType<typeof registerUser>>;

beforeAll(async () => {
  fake = await startFakeTwilio(CREDS);
  t = await makeTestApp({ env: { TWILIO_ACCOUNT_SID: CREDS.accountSid, TWILIO_AUTH_TOKEN: CREDS.authToken, TWILIO_FROM: '+15005550006', TWILIO_API_URL: fake.url } });
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  wsUrl = address.replace('http', 'ws') + '/api/voice/ws';
  user = await registerUser(t.app);
  const put = (method: 'PUT' | 'POST', url: string, payload: object) => t.app.inject({ method, url, headers: user.auth, payload });
  expect((await put('PUT', '/api/profile', { name: 'Asha Verma', gender: 'female', timezone: 'Asia/Kolkata', caregiver_alerts: { abnormal_vitals: true } })).statusCode).toBeLessThan(300);
  expect((await put('POST', '/api/emergency-contacts', { name: 'Rahul', phone: '+91 98123 45678', relationship: 'son', is_primary: true })).statusCode).toBe(201);
}, 60_000);
afterAll(async () => Promise.all([t?.close(), fake?.close()]));
beforeEach(() => {
  fake.messages.length = 0;
  fake.calls.length = 0;
});

async function speak(file: string) {
  const c = await VoiceClient.open(wsUrl, { headers: user.auth });
  await c.start();
  await c.stream(fixturePcm(`care/${file}`));
  await c.waitForRunEnd();
  c.close();
  await t.app.services.careAlerts.settled();
  const intent = c.events().find((e) => e.event === 'intent-end')!;
  return { route: intent.data!.route as string, text: intent.data!.text as string, heard: c.events().find((e) => e.event === 'stt-end')!.data!.text as string, audio: c.audio.reduce((n, b) => n + b.length, 0) };
}

const get = async (url: string) => (await t.app.inject({ url, headers: user.auth })).json();

describe('spoken', () => {
  it('a crisis BP: the warning is said first, the reading saved, the family texted', async () => {
    const r = await speak('care-bp-crisis.wav');
    expect(r.route).toBe('log');
    expect(r.text).toMatch(/^Your blood pressure of 190\/120 is in the crisis range\. Please seek medical care now\..*Saved your blood pressure, 190 over 120\.$/);
    expect(r.audio).toBeGreaterThan(32000);
    const alerts = (await get('/api/alerts')).items;
    expect(alerts[0]).toMatchObject({ kind: 'vitals', code: 'bp_crisis', notified: [{ channel: 'sms', status: 'sent' }] });
    expect(fake.messages.map((m) => m.form.Body)).toEqual([expect.stringContaining('Asha had a very high blood pressure reading')]);
  });

  it('"call my son": Rahul is texted and called, and the reply says so', async () => {
    const r = await speak('care-call-my-son.wav');
    expect(r.route).toBe('emergency');
    expect(r.text).toBe("I'm phoning Rahul now, and I've sent them a message asking them to call you.");
    expect(fake.messages.map((m) => [m.form.To, m.form.Body])).toEqual([['+919812345678', expect.stringMatching(/^Podd: Asha asked me to call you/)]]);
    expect(fake.calls.map((c) => c.form.To)).toEqual(['+919812345678']);
    expect((await get('/api/alerts')).items[0]).toMatchObject({ kind: 'emergency', code: 'call_request' });
  });

  it('a question about a BP value is answered from the ranges and not stored', async () => {
    const before = (await get('/api/health/vitals?limit=100')).items.length;
    const r = await speak('care-question-bp.wav');
    expect(r.route).toBe('recommendation');
    expect(r.text).toMatch(/140\/90/);
    expect((await get('/api/health/vitals?limit=100')).items.length).toBe(before);
    expect(fake.messages).toHaveLength(0);
  });
});
