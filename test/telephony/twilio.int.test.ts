import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignature } from '../../src/telephony/signatures.js';
import { makeTelephonyApp, PUBLIC_URL, SECRETS, callerWithProfile, type TelephonyHarness } from './harness.js';
import { connect, DEFAULT_FORMAT, isMark, utterance } from './streams.js';

const MULAW = DEFAULT_FORMAT.twilio;

const WEBHOOK = '/api/telephony/twilio/voice';
const ASHA = '+919876543210';

let h: TelephonyHarness;
let asha: Awaited<ReturnType<typeof callerWithProfile>>;

beforeAll(async () => {
  h = await makeTelephonyApp();
  asha = await callerWithProfile(h, { name: 'Asha Devi', phone: ASHA, preferred_language: 'en-IN', gender: 'female' });
}, 30_000);
afterAll(async () => h?.close());

function webhook(params: Record<string, string>, o: { signUrl?: string; signParams?: Record<string, string>; signature?: string } = {}) {
  const signature = o.signature ?? twilioSignature(SECRETS.TWILIO_AUTH_TOKEN, o.signUrl ?? PUBLIC_URL + WEBHOOK, o.signParams ?? params);
  return h.app.inject({
    method: 'POST',
    url: WEBHOOK,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    payload: new URLSearchParams(params).toString(),
  });
}

const callParams = (from: string) => ({ AccountSid: SECRETS.TWILIO_ACCOUNT_SID, CallSid: 'CA0123456789abcdef0123456789abcdef', From: from, To: '+15005550006', CallStatus: 'ringing', Direction: 'inbound' });

async function tokenFor(from = ASHA): Promise<string> {
  const res = await webhook(callParams(from));
  const m = /<Parameter name="token" value="([0-9a-f]{32})"\/>/.exec(res.body);
  if (!m) throw new Error(`no token in ${res.body}`);
  return m[1]!;
}

describe('Twilio call webhook', () => {
  it('answers a known caller with a <Connect><Stream> to our wss URL carrying a call token', async () => {
    const res = await webhook(callParams(ASHA));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/xml/);
    expect(res.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Response><Connect><Stream url="wss:\/\/podd\.example\.com\/api\/telephony\/twilio"><Parameter name="token" value="[0-9a-f]{32}"\/><\/Stream><\/Connect><\/Response>$/);
  });

  it('tells an unknown number politely that it is not registered, then hangs up', async () => {
    const res = await webhook(callParams('+14155550199'));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<Say language="en-IN">Sorry, this number is not registered with Podd.');
    expect(res.body).toContain('<Hangup/>');
    expect(res.body).not.toContain('<Stream');
  });

  it('refuses a tampered parameter, a signature over another URL, and a missing signature with 403', async () => {
    const tampered = await webhook({ ...callParams(ASHA), From: '+919876543211' }, { signParams: callParams(ASHA) });
    const wrongUrl = await webhook(callParams(ASHA), { signUrl: 'https://evil.example.com' + WEBHOOK });
    const none = await webhook(callParams(ASHA), { signature: '' });
    for (const res of [tampered, wrongUrl, none]) {
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ status: 'error', error: { code: 'FORBIDDEN' } });
      expect(res.body).not.toContain('<Stream');
    }
  });
});

describe('Twilio media stream', () => {
  it('refuses an upgrade without a valid X-Twilio-Signature over the wss URL', async () => {
    await expect(connect(h.port, 'twilio', { headers: {} })).rejects.toMatchObject({ statusCode: 403 });
    const overOtherUrl = twilioSignature(SECRETS.TWILIO_AUTH_TOKEN, 'wss://evil.example.com/api/telephony/twilio', {});
    await expect(connect(h.port, 'twilio', { headers: { 'x-twilio-signature': overOtherUrl } })).rejects.toMatchObject({ statusCode: 403 });
  });

  it('closes a stream whose start has no valid token before processing any audio', async () => {
    for (const token of [undefined, 'f'.repeat(32)]) {
      const peer = await connect(h.port, 'twilio');
      peer.sendAudio((await utterance('vitals-bp.wav', MULAW, 0)).subarray(0, 800)); // media before start: ignored
      peer.start(token);
      peer.sendAudio(await utterance('vitals-bp.wav', MULAW, 0));
      expect(await peer.closed).toEqual({ code: 1008, reason: 'call token refused' });
      expect(peer.media()).toHaveLength(0);
    }
    expect(h.calls.filter((c) => c.sessionId !== undefined)).toHaveLength(0);
    expect(h.sessions.count()).toBe(0);
  });

  it('a token is single-use: a second stream presenting it is refused', async () => {
    const token = await tokenFor();
    const first = await connect(h.port, 'twilio');
    first.start(token);
    await first.waitFor((m) => m.event === 'media');
    const second = await connect(h.port, 'twilio');
    second.start(token);
    expect((await second.closed).code).toBe(1008);
    first.stop();
    await first.closed;
  });

  it('greets by name, takes a turn on the caller\'s speech, replies in 20 ms μ-law frames with marks, and ends on stop', { timeout: 60_000 }, async () => {
    const peer = await connect(h.port, 'twilio');
    peer.start(await tokenFor());
    const greetingMark = await peer.waitFor(isMark('twilio'));
    expect(greetingMark).toEqual({ event: 'mark', streamSid: peer.streamId, mark: { name: 'announce-1' } });
    const greetingFrames = peer.media().length;
    expect(greetingFrames).toBeGreaterThan(50); // "Hello Asha, this is Podd…" is seconds of audio
    peer.played('announce-1');

    peer.sendAudio(await utterance('vitals-bp.wav', MULAW));
    const replyMark = await peer.waitFor(isMark('twilio', (n) => !n.startsWith('announce-')));
    const frames = peer.media();
    expect(frames.length).toBeGreaterThan(greetingFrames);
    // Every packet we send Twilio is one 20 ms μ-law frame.
    for (const f of frames) expect(f.length).toBe(160);
    for (const m of peer.received.filter((m) => m.event === 'media')) expect(m.streamSid).toBe(peer.streamId);
    expect(replyMark.mark.name).toMatch(/^[0-9a-f]{8}-\d+$/);

    // What was said is not checked here: 8 kHz telephone audio is beyond the local recogniser
    // (see the Exotel and Plivo tests, which stream 16 kHz, for data written from speech).
    const chat = await h.app.services.health.forUser(asha.user.id).list('chat');
    expect(chat.items.length).toBeGreaterThan(0);

    peer.stop();
    expect((await peer.closed).code).toBe(1000);
    expect(h.sessions.count(asha.user.id)).toBe(0);
  });
});
