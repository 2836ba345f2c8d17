/**
 * The same call, scripted over a real socket in each provider's dialect: greeting by name,
 * an utterance → data written and a spoken reply in the provider's packets, DTMF 0 and 9,
 * barge-in → the provider's clear, and `stop`. Exotel and Plivo stream 16 kHz PCM (what we ask
 * them for); Twilio is 8 kHz μ-law only, which the local recogniser cannot transcribe, so its
 * speech-to-data path is covered by the other two.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyItem } from '../../src/health/service.js';
import { callerWithProfile, makeTelephonyApp, type TelephonyHarness } from './harness.js';
import { connect, isMark, utterance, type Peer, type Provider } from './streams.js';
import { callToken } from './webhooks.js';

let h: TelephonyHarness;
beforeAll(async () => {
  h = await makeTelephonyApp();
}, 30_000);
afterAll(async () => h?.close());

const NUMBERS: Record<Provider, string> = { twilio: '+919811100001', exotel: '+919811100002', plivo: '+919811100003' };
const BAD_INPUT: Record<Provider, [string, string]> = { twilio: ['+919811100011', '+919811100021'], exotel: ['+919811100012', '+919811100022'], plivo: ['+919811100013', '+919811100023'] };

function checkPackets(peer: Peer, from = 0) {
  const packets = peer.media().slice(from);
  expect(packets.length).toBeGreaterThan(0);
  for (const p of packets) {
    if (peer.provider === 'twilio') expect(p.length).toBe(160);
    else if (peer.provider === 'exotel') expect(p.length % 320 === 0 && p.length >= 3200 && p.length <= 100_000).toBe(true);
    else expect(p.length).toBe(640); // 20 ms of 16 kHz PCM16
  }
  if (peer.provider === 'plivo') {
    for (const m of peer.received.filter((m) => m.event === 'playAudio')) expect(m.media).toMatchObject({ contentType: 'audio/x-l16', sampleRate: 16000 });
  }
  if (peer.provider === 'exotel') {
    for (const m of peer.received.filter((m) => m.event === 'media')) expect(m).toMatchObject({ stream_sid: peer.streamId, streamSid: peer.streamId });
  }
}

const marksAfter = (peer: Peer, n: number) => peer.marks().slice(n);

describe.each(['exotel', 'plivo', 'twilio'] as const)('%s call', (provider) => {
  it('greets by name, turns speech into data and a reply, repeats on 0, reads reminders on 9, clears on barge-in, ends on stop', { timeout: 120_000 }, async () => {
    const user = await callerWithProfile(h, { name: 'Asha Devi', phone: NUMBERS[provider], preferred_language: 'en-IN' });
    const health = h.app.services.health.forUser(user.user.id);
    const peer = await connect(h.port, provider);
    peer.start(await callToken(h, provider, NUMBERS[provider]));

    // Greeting, then its mark; echoing the mark tells the call it was heard.
    const greetingMark = await peer.waitFor(isMark(provider, (n) => n === 'announce-1'));
    checkPackets(peer);
    peer.played('announce-1');

    // An utterance → a turn → (16 kHz providers) the reading is stored.
    let seen = peer.marks().length;
    peer.sendAudio(await utterance('vitals-bp.wav', peer.format));
    const reply = await peer.waitFor(isMark(provider, (n) => /^[0-9a-f]{8}-\d+$/.test(n)));
    const replyName = provider === 'plivo' ? reply.name : reply.mark.name;
    checkPackets(peer);
    if (provider !== 'twilio') {
      const vitals = await health.list('vitals');
      expect(vitals.items).toMatchObject([{ blood_pressure_systolic: 140, blood_pressure_diastolic: 90 }]);
    }
    peer.played(replyName);

    // 0: the last reply again — the same words, so the same number of packets.
    const isAudio = (m: Record<string, any>) => m.event === 'media' || m.event === 'playAudio';
    const bytes = (ms: Array<Record<string, any>>) => ms.filter(isAudio).reduce((n, m) => n + Buffer.from(m.media.payload, 'base64').length, 0);
    const replyBytes = bytes(peer.received.slice(peer.received.indexOf(greetingMark) + 1, peer.received.indexOf(reply)));
    seen = peer.marks().length;
    const before = peer.received.length;
    peer.dtmf('0');
    await peer.waitFor(() => marksAfter(peer, seen).some((n) => n.startsWith('announce-')));
    const repeated = bytes(peer.received.slice(before));
    expect(replyBytes).toBeGreaterThan(8000); // seconds of speech
    // Padding of the last packet is the only difference (Exotel packets are ≥ 3,200 bytes).
    expect(Math.abs(repeated - replyBytes)).toBeLessThanOrEqual(3200);

    // 9: unread reminders are read out, and marked read once their audio has played.
    const n = (await health.store.storeEvent('notification', { title: 'Take Metformin', message: 'Time to take your Metformin.', type: 'medication', read: false, fire_at: new Date(h.app.services.health.now()).toISOString() }, { source: 'system' })) as AnyItem;
    seen = peer.marks().length;
    peer.dtmf('9');
    await peer.waitFor(() => marksAfter(peer, seen).some((m) => m.startsWith('announce-')));
    const readMark = marksAfter(peer, seen).find((m) => m.startsWith('announce-'))!;
    expect((await health.get('notification', n.id))?.read).toBe(false);
    peer.played(readMark);
    await expect.poll(async () => (await health.get('notification', n.id))?.read, { timeout: 5000 }).toBe(true);

    // Barge-in: speech while a reply is playing → the provider's clear, and that reply gets no mark.
    const clears = peer.clears();
    seen = peer.marks().length;
    const mediaBefore = peer.media().length;
    peer.sendAudio(await utterance('chat-what-can-you-do.wav', peer.format));
    await peer.waitFor(() => peer.media().length > mediaBefore + 5);
    peer.sendAudio(await utterance('chat-thank-you.wav', peer.format));
    await peer.waitFor(() => peer.clears() > clears);
    expect(peer.received.filter((m) => m.event === (provider === 'plivo' ? 'clearAudio' : 'clear')).at(-1)).toEqual(
      provider === 'twilio' ? { event: 'clear', streamSid: peer.streamId } : provider === 'exotel' ? { event: 'clear', stream_sid: peer.streamId, streamSid: peer.streamId } : { event: 'clearAudio', streamId: peer.streamId },
    );

    peer.stop();
    expect((await peer.closed).code).toBe(1000);
    expect(h.sessions.count(user.user.id)).toBe(0);
  });

  it('ignores malformed JSON, unknown events, early media, bad base64, wrong sizes and foreign stream ids, and keeps the call going', { timeout: 60_000 }, async () => {
    const [number, otherNumber] = BAD_INPUT[provider];
    await callerWithProfile(h, { name: 'Ravi', phone: number });
    const other = await callerWithProfile(h, { name: 'Meena', phone: otherNumber });
    const bystander = await connect(h.port, provider);
    bystander.start(await callToken(h, provider, otherNumber));

    const peer = await connect(h.port, provider);
    peer.ws.send('{not json');
    peer.send({ event: 'bogus', whatever: 1 });
    peer.send([1, 2, 3]);
    peer.sendAudio(Buffer.alloc(peer.provider === 'exotel' ? 3200 : 320, 0xff)); // media before start
    peer.start(await callToken(h, provider, number));
    await peer.waitFor(isMark(provider, (n) => n === 'announce-1'));
    const sid = provider === 'twilio' ? { streamSid: peer.streamId } : provider === 'exotel' ? { stream_sid: peer.streamId } : { streamId: peer.streamId };
    peer.send({ event: 'media', ...sid, media: { payload: '!!!not base64!!!' } });
    peer.send({ event: 'media', ...sid, media: { payload: Buffer.alloc(40_000).toString('base64') } });
    if (provider !== 'twilio' ) peer.send({ event: 'media', ...sid, media: { payload: Buffer.alloc(321).toString('base64') } });
    peer.send({ event: 'media', ...(provider === 'exotel' ? { stream_sid: 'MZforeign' } : provider === 'twilio' ? { streamSid: 'MZforeign' } : { streamId: 'foreign' }), media: { payload: Buffer.alloc(160).toString('base64') } });
    peer.send({ event: 'media', ...sid });
    peer.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    peer.send({ event: 'mark', ...sid, mark: { name: 'never-sent' } });

    const seen = peer.marks().length;
    peer.dtmf('0');
    await peer.waitFor(() => marksAfter(peer, seen).some((n) => n.startsWith('announce-')));
    const call = h.calls.find((c) => c.sessionId && c.state === 'live' && c.stats.ignored >= 6);
    expect(call).toBeDefined();
    expect(call!.stats.media).toBe(0);

    // The other call is untouched.
    await bystander.waitFor(isMark(provider, (n) => n === 'announce-1'));
    expect(bystander.ws.readyState).toBe(bystander.ws.OPEN);
    peer.stop();
    bystander.stop();
    await Promise.all([peer.closed, bystander.closed]);
    expect(h.sessions.count(other.user.id)).toBe(0);
  });
});
