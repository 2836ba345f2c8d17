/** Call set-up as each provider performs it, signed the way the provider signs it. */
import { plivoSignatureV3, twilioSignature } from '../../src/telephony/signatures.js';
import { PUBLIC_URL, SECRETS, type TelephonyHarness } from './harness.js';
import type { Provider } from './streams.js';

export const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export function twilioVoice(h: TelephonyHarness, params: Record<string, string>, signUrl = PUBLIC_URL + '/api/telephony/twilio/voice') {
  return h.app.inject({
    method: 'POST',
    url: '/api/telephony/twilio/voice',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(SECRETS.TWILIO_AUTH_TOKEN, signUrl, params) },
    payload: new URLSearchParams(params).toString(),
  });
}

export function plivoAnswer(h: TelephonyHarness, params: Record<string, string>, o: { signUrl?: string; signParams?: Record<string, string> } = {}) {
  const nonce = '83726152637485910293';
  const sig = plivoSignatureV3(SECRETS.PLIVO_AUTH_TOKEN, 'POST', o.signUrl ?? PUBLIC_URL + '/api/telephony/plivo/answer', o.signParams ?? params, nonce);
  return h.app.inject({
    method: 'POST',
    url: '/api/telephony/plivo/answer',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-plivo-signature-v3': sig, 'x-plivo-signature-v3-nonce': nonce },
    payload: new URLSearchParams(params).toString(),
  });
}

export function exotelStreamUrl(h: TelephonyHarness, from: string, auth = basic(SECRETS.EXOTEL_STREAM_USER, SECRETS.EXOTEL_STREAM_PASSWORD)) {
  const q = new URLSearchParams({ CallSid: 'a1b2c3d4e5f6', CallFrom: from, CallTo: '08047491899', Direction: 'incoming' });
  return h.app.inject({ method: 'GET', url: `/api/telephony/exotel/stream-url?${q}`, headers: { authorization: auth } });
}

/** A fresh call token for a call from `from`, obtained through the provider's own set-up. */
export async function callToken(h: TelephonyHarness, provider: Provider, from: string): Promise<string> {
  let token: string | undefined;
  if (provider === 'twilio') token = /<Parameter name="token" value="([0-9a-f]{32})"\/>/.exec((await twilioVoice(h, { From: from, CallSid: 'CA1', To: '+15005550006' })).body)?.[1];
  else if (provider === 'plivo') token = /extraHeaders="token=([0-9a-f]{32})"/.exec((await plivoAnswer(h, { From: from.replace('+', ''), CallUUID: 'c-1', To: '918000000000' })).body)?.[1];
  else token = new URL((await exotelStreamUrl(h, from)).json<{ url: string }>().url).searchParams.get('token') ?? undefined;
  if (!token) throw new Error(`no ${provider} token for this caller`);
  return token;
}
