/**
 * A Twilio call (8 kHz μ-law, which the local wideband recogniser cannot read) with Sarvam as the
 * speech recogniser, against the local fake that speaks Sarvam's wire protocol: the caller's
 * words reach the assistant and the reading is stored in their own graph.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeSarvam, type FakeSarvam } from '../fakes/sarvam/index.js';
import { makeTelephonyApp, PUBLIC_URL, SECRETS, callerWithProfile, type TelephonyHarness } from './harness.js';
import { connect, DEFAULT_FORMAT, isMark, utterance } from './streams.js';
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
