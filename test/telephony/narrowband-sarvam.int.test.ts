/**
 * Narrowband calls (8 kHz: Twilio μ-law, Exotel PCM16, Plivo μ-law), which the local wideband
 * recogniser cannot read, with Sarvam as the speech recogniser against the local fake that speaks
 * Sarvam's wire protocol: the caller's words reach the assistant, the reading is stored in their
 * own graph, and the reply comes back in the provider's narrowband packets.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeSarvam, type FakeSarvam } from '../fakes/sarvam/index.js';
import { makeTelephonyApp, PUBLIC_URL, SECRETS, callerWithProfile, type TelephonyHarness } from './harness.js';
import { connect, DEFAULT_FORMAT, isMark, utterance, type Provider } from './streams.js';
import { callToken } from './webhooks.js';
import { twilioSignature } from '../../src/telephony/signatures.js';

const KEY = 'sk_test_twilio_sarvam';
let fake: FakeSarvam;
let h: TelephonyHarness;

beforeAll(async () => {
  fake = await startFakeSarvam({ apiKey: KEY, script: { defaultUtterance: { transcript: 'my BP is 150 over 95', languageCode: 'en-IN' } } });
  h = await makeTelephonyApp({ env: { STT_PROVIDER: 'sarvam', SARVAM_API_KEY: KEY, SARVAM_BASE_URL: fake.url } });
}, 30_000);
afterAll(async () => {
  await h?.close();
  await fake?.close();
});

it('a caller’s spoken reading on a Twilio call is understood and stored', { timeout: 60_000 }, async () => {
  const asha = await callerWithProfile(h, { name: 'Asha Devi', phone: '+919876500101', preferred_language: 'en-IN' });
  const params = { AccountSid: SECRETS.TWILIO_ACCOUNT_SID, CallSid: 'CA00000000000000000000000000000101', From: '+919876500101', To: SECRETS.TWILIO_FROM };
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/telephony/twilio/voice',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(SECRETS.TWILIO_AUTH_TOKEN, `${PUBLIC_URL}/api/telephony/twilio/voice`, params) },
    payload: new URLSearchParams(params).toString(),
  });
  const token = /<Parameter name="token" value="([0-9a-f]{32})"\/>/.exec(res.body)![1]!;
  const peer = await connect(h.port, 'twilio');
  peer.start(token);
  await peer.waitFor(isMark('twilio'));
  peer.played('announce-1');
  peer.sendAudio(await utterance('vitals-bp.wav', DEFAULT_FORMAT.twilio));
  await peer.waitFor(isMark('twilio', (n) => !n.startsWith('announce-')));
  const vitals = (await h.app.services.health.forUser(asha.user.id).list('vitals')).items;
  expect(vitals).toMatchObject([{ blood_pressure_systolic: 150, blood_pressure_diastolic: 95 }]);
  expect(fake.requests.some((r) => r.path === '/speech-to-text/ws')).toBe(true);
  peer.stop();
  await peer.closed;
});

it.each([
  ['exotel', { encoding: 'pcm', rate: 8000 }, '+919876500102'],
  ['plivo', { encoding: 'mulaw', rate: 8000 }, '+919876500103'],
] as const)('%s at 8 kHz (%o): speech becomes stored data and the reply comes in 8 kHz packets', { timeout: 60_000 }, async (provider, format, phone) => {
  const user = await callerWithProfile(h, { name: 'Ravi', phone, preferred_language: 'en-IN' });
  const peer = await connect(h.port, provider as Provider, { format: { ...format } });
  peer.start(await callToken(h, provider as Provider, phone));
  await peer.waitFor(isMark(provider as Provider, (n) => n === 'announce-1'));
  peer.played('announce-1');
  const before = peer.media().length;
  peer.sendAudio(await utterance('vitals-bp.wav', { ...format }));
  await peer.waitFor(isMark(provider as Provider, (n) => /^[0-9a-f]{8}-\d+$/.test(n)));
  const vitals = (await h.app.services.health.forUser(user.user.id).list('vitals')).items;
  expect(vitals).toMatchObject([{ blood_pressure_systolic: 150, blood_pressure_diastolic: 95 }]);
  const packets = peer.media().slice(before);
  expect(packets.length).toBeGreaterThan(0);
  for (const p of packets) {
    // Exotel: multiples of 320 bytes, at least 3,200 (100 ms of 8 kHz PCM16); Plivo: 20 ms of μ-law.
    if (provider === 'exotel') expect(p.length % 320 === 0 && p.length >= 3200).toBe(true);
    else expect(p.length).toBe(160);
  }
  if (provider === 'plivo') {
    for (const m of peer.received.filter((m) => m.event === 'playAudio')) expect(m.media).toMatchObject({ contentType: 'audio/x-mulaw', sampleRate: 8000 });
  }
  peer.stop();
  await peer.closed;
});
