/**
 * The voice socket end to end over a real port: fixture audio through the real VAD, local STT,
 * the LangGraph assistant on the embedded store and local TTS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulawEncode } from '../../src/voice/audio/mulaw.js';
import { encodeOggOpus } from '../../src/voice/audio/ogg-opus-writer.js';
import { resampleAll } from '../../src/voice/audio/resampler.js';
import { makeTestApp, registerUser, type TestApp } from '../helpers/app.js';
import { expectedRoute, fixturePcm, MANIFEST, VoiceClient } from './helpers.js';

let t: TestApp;
let wsUrl: string;
let user: Awaited<ReturnType<typeof registerUser>>;

beforeAll(async () => {
  t = await makeTestApp();
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  wsUrl = address.replace('http', 'ws') + '/api/voice/ws';
  user = await registerUser(t.app);
}, 60_000);
afterAll(async () => t?.close());

const connect = (headers = user.auth) => VoiceClient.open(wsUrl, { headers });
const FULL_TURN = ['run-start', 'vad-start', 'stt-partial', 'vad-end', 'stt-end', 'intent-start', 'intent-end', 'tts-start', 'audio', 'tts-end', 'run-end'];

describe('authentication before the upgrade', () => {
  it('refuses no credentials, a bad token and an expired token with 401', async () => {
    await expect(VoiceClient.open(wsUrl)).rejects.toMatchObject({ status: 401 });
    await expect(connect({ authorization: 'Bearer not-a-token' })).rejects.toMatchObject({ status: 401 });
    const { SignJWT } = await import('jose');
    const expired = await new SignJWT({ typ: 'access' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.user.id)
      .setJti('x')
      .setIssuedAt(Math.floor(t.app.services.health.now() / 1000) - 3600)
      .setExpirationTime(Math.floor(t.app.services.health.now() / 1000) - 60)
      .sign(t.config.auth.jwtSecret);
    await expect(connect({ authorization: `Bearer ${expired}` })).rejects.toMatchObject({ status: 401 });
  });

  it('accepts the bearer.<jwt> subprotocol and answers podd.v1', async () => {
    const c = await VoiceClient.open(wsUrl, { protocols: ['podd.v1', `bearer.${user.access_token}`] });
    expect(c.ws.protocol).toBe('podd.v1');
    const ready = await c.start();
    expect(ready).toMatchObject({ type: 'ready', session_id: expect.any(String), audio: { input: { encoding: 'pcm_s16le', sample_rate: 16000 } } });
    c.close();
  });
});

describe('fixture utterances, streamed in 20 ms chunks', () => {
  const byRoute = new Map<string, (typeof MANIFEST.utterances)[number]>();
  for (const u of MANIFEST.utterances) if (!byRoute.has(expectedRoute(u))) byRoute.set(expectedRoute(u), u);

  it.each([...byRoute.values()].map((u) => [u.file, u] as const))('%s → events, route, data and audio', async (_f, u) => {
    const before = (await t.app.inject({ url: '/api/chat/history?limit=100', headers: user.auth })).json().items.length;
    const c = await connect();
    await c.start();
    await c.stream(fixturePcm(u.file));
    const end = await c.waitForRunEnd();
    const turnId = end.turn_id!;
    const seq = c.turnSequence(turnId);
    expect(seq.filter((e) => e !== 'stt-partial')).toEqual(FULL_TURN.filter((e) => e !== 'stt-partial'));
    const sttEnd = c.events().find((e) => e.event === 'stt-end')!;
    for (const k of u.keywords.slice(0, 1)) expect(sttEnd.data!.text).toContain(k);
    const intent = c.events().find((e) => e.event === 'intent-end')!;
    expect(intent.data!.route).toBe(expectedRoute(u));
    const audioBytes = c.audio.reduce((n, b) => n + b.length, 0);
    expect(audioBytes).toBeGreaterThan(16000); // at least half a second of reply
    expect(audioBytes % 2).toBe(0);
    expect(end.data!.timings).toMatchObject({ stt_ms: expect.any(Number), graph_ms: expect.any(Number), tts_first_byte_ms: expect.any(Number), total_ms: expect.any(Number) });
    c.close();
    // Every answered turn is kept as a chat event of this user.
    const after = (await t.app.inject({ url: '/api/chat/history?limit=100', headers: user.auth })).json().items.length;
    expect(after).toBe(before + 1);
  }, 40_000); // the turn ends when its reply has played, in real time: advice takes ten seconds or more

  it('a spoken blood pressure is stored and visible through REST', async () => {
    const c = await connect();
    await c.start();
    await c.stream(fixturePcm('vitals-bp.wav'));
    await c.waitForRunEnd();
    c.close();
    const vitals = (await t.app.inject({ url: '/api/health/vitals', headers: user.auth })).json().items;
    expect(vitals.some((v: any) => v.blood_pressure_systolic === 140 && v.blood_pressure_diastolic === 90)).toBe(true);
  });

  it('a spoken diet question ("is rice good for diabetes") is answered from the diet rules and logs no meal', { timeout: 40_000 }, async () => {
    const meals = async () => (await t.app.inject({ url: '/api/food-logs', headers: user.auth })).json().items.length;
    const before = await meals();
    const c = await connect();
    await c.start();
    await c.stream(fixturePcm('recommendation-rice.wav'));
    await c.waitForRunEnd();
    c.close();
    expect(c.events().find((e) => e.event === 'stt-end')!.data!.text).toBe('is rice good for diabetes');
    const intent = c.events().find((e) => e.event === 'intent-end')!.data!;
    expect(intent).toMatchObject({ route: 'recommendation', actions: [] });
    expect(intent.text).toContain('With diabetes, rice raises sugar quickly');
    expect(intent.text).toContain('I have not logged it as a meal.');
    expect(c.audio.reduce((n, b) => n + b.length, 0)).toBeGreaterThan(16000);
    expect(await meals()).toBe(before);
  });
});

describe('turn control', () => {
  it('push-to-talk: `end` ends the turn at once without waiting for silence', async () => {
    const c = await connect();
    await c.start({ vad: false });
    const pcm = fixturePcm('chat-what-can-you-do.wav');
    await c.stream(pcm.subarray(0, pcm.length - 16 * 700)); // cut the trailing silence
    c.send({ type: 'end' });
    const end = await c.waitForRunEnd();
    expect(c.events().find((e) => e.event === 'intent-end')!.data!.route).toBe('chat');
    expect(end.data!.interrupted).toBe(false);
    c.close();
  });

  it('barge-in: interrupt stops the audio, tts-end says interrupted, and no audio follows it', async () => {
    const c = await connect();
    await c.start();
    c.send({ type: 'text', text: 'what can you do' });
    await c.waitFor((m) => m.event === 'tts-start');
    await c.waitFor(() => c.audio.length > 0);
    c.send({ type: 'interrupt' });
    const ttsEnd = await c.waitFor((m) => m.event === 'tts-end');
    expect(ttsEnd.data).toEqual({ interrupted: true });
    await c.waitForRunEnd();
    const idx = c.messages.indexOf(ttsEnd);
    await new Promise((r) => setTimeout(r, 300));
    expect(c.messages.slice(idx).some((m) => m.type === 'audio')).toBe(false);
    c.close();
  });

  it('a typed turn runs the same graph', async () => {
    const c = await connect();
    await c.start();
    c.send({ type: 'text', text: 'I drank 2 glasses of water' });
    const end = await c.waitForRunEnd();
    expect(c.turnSequence(end.turn_id!)).toEqual(['run-start', 'intent-start', 'intent-end', 'tts-start', 'audio', 'tts-end', 'run-end']);
    expect(c.events().find((e) => e.event === 'intent-end')!.data!.route).toBe('log');
    c.close();
  });

  it('answers ping with pong', async () => {
    const c = await connect();
    c.send({ type: 'ping' });
    await c.waitFor((m) => m.type === 'pong');
    c.close();
  });
});

describe('input formats', () => {
  it('decodes Ogg Opus input', async () => {
    const c = await connect();
    await c.start({ audio: { encoding: 'opus', sample_rate: 48000, channels: 1 } });
    const pcm48 = await resampleAll(fixturePcm('emergency-chest-pain.wav'), 16000, 48000);
    const ogg = encodeOggOpus(pcm48, { sampleRate: 48000 });
    for (let i = 0; i < ogg.length; i += 4000) c.ws.send(ogg.subarray(i, i + 4000));
    await c.waitForRunEnd();
    expect(c.events().find((e) => e.event === 'intent-end')!.data!.route).toBe('emergency');
    c.close();
  });

  it('decodes 8 kHz μ-law input and answers in 8 kHz μ-law', async () => {
    const c = await connect();
    const ready = await c.start({ audio: { encoding: 'mulaw', sample_rate: 8000 }, output: { encoding: 'mulaw', sample_rate: 8000 } });
    expect(ready.audio).toMatchObject({ output: { encoding: 'mulaw', sample_rate: 8000 } });
    const pcm8 = await resampleAll(fixturePcm('chat-good-morning.wav'), 16000, 8000);
    const chunk = 160;
    for (let i = 0; i < pcm8.length; i += chunk) c.ws.send(Buffer.from(mulawEncode(pcm8.subarray(i, i + chunk))));
    await c.waitForRunEnd();
    expect(c.events().find((e) => e.event === 'intent-end')!.data!.route).toBe('chat');
    const bytes = c.audio.reduce((n, b) => n + b.length, 0);
    expect(bytes).toBeGreaterThan(4000); // ≥ 0.5 s at one byte per sample
    c.close();
  });
});

describe('isolation and robustness', () => {
  it('two users talking at once each get their own data', async () => {
    const other = await registerUser(t.app);
    const [a, b] = await Promise.all([connect(), connect(other.auth)]);
    await Promise.all([a.start(), b.start()]);
    a.send({ type: 'text', text: 'my BP is 150 over 95' });
    b.send({ type: 'text', text: 'my sugar is 180 fasting' });
    await Promise.all([a.waitForRunEnd(), b.waitForRunEnd()]);
    a.close();
    b.close();
    const va = (await t.app.inject({ url: '/api/health/vitals?limit=100', headers: user.auth })).json().items;
    const vb = (await t.app.inject({ url: '/api/health/vitals?limit=100', headers: other.auth })).json().items;
    expect(va.some((v: any) => v.blood_pressure_systolic === 150)).toBe(true);
    expect(va.some((v: any) => v.blood_sugar === 180)).toBe(false);
    expect(vb.map((v: any) => v.blood_sugar)).toEqual([180]);
  });

  it('reports non-JSON text, unknown messages and odd byte counts without closing', async () => {
    const c = await connect();
    c.ws.send('hello');
    c.send({ type: 'dance' });
    await c.waitFor((m) => m.event === 'error' && /JSON/.test(m.data!.message));
    await c.waitFor((m) => m.event === 'error' && /Unknown/.test(m.data!.message));
    c.ws.send(Buffer.from([1, 2, 3])); // audio before start: defaults apply; odd bytes are carried
    c.send({ type: 'ping' });
    await c.waitFor((m) => m.type === 'pong');
    expect(c.closeCode).toBeUndefined();
    c.close();
  });

  it('closes a 10 MB frame with 1009 and keeps serving others', async () => {
    const c = await connect();
    await c.start();
    c.ws.send(Buffer.alloc(10 * 1024 * 1024));
    await c.waitFor(() => false, 5000).catch(() => undefined);
    expect(c.closeCode).toBe(1009);
    const d = await connect();
    d.send({ type: 'ping' });
    await d.waitFor((m) => m.type === 'pong');
    d.close();
  });

  it('reports garbage Opus as an error event', async () => {
    const c = await connect();
    await c.start({ audio: { encoding: 'opus', sample_rate: 48000 } });
    c.ws.send(Buffer.from('OggS' + 'x'.repeat(400)));
    c.ws.send(Buffer.alloc(2000, 7));
    await c.waitFor((m) => m.event === 'error' && m.data!.code === 'bad_audio');
    c.close();
  });
});

describe('reminders on the socket', () => {
  it('a due reminder is pushed to the live session as a reminder message followed by its audio', async () => {
    const c = await connect();
    await c.start();
    const store = t.app.services.health.forUser(user.user.id).store;
    const item = await t.app.services.reminders.notify(
      store,
      { title: 'Take Metformin', message: 'Time to take your Metformin, 500 mg.', type: 'medication', read: false, fire_at: new Date(t.app.services.health.now()).toISOString() },
      `live-${Date.now()}`,
    );
    const msg = await c.waitFor((m) => m.type === 'reminder');
    expect(msg).toMatchObject({ notification_id: item!.id, title: 'Take Metformin', message: 'Time to take your Metformin, 500 mg.' });
    const at = c.messages.indexOf(msg);
    await c.waitFor(() => c.messages.slice(at).some((m) => m.type === 'audio'));
    await c.waitFor((m) => m.event === 'tts-end' && c.messages.indexOf(m) > at);
    expect((await t.app.inject({ url: `/api/notifications/${item!.id}`, headers: user.auth })).json().delivered_at).toEqual(expect.any(String));
    c.close();
  });

  it('an unread reminder that reached no device is spoken when a device next connects', async () => {
    const other = await registerUser(t.app);
    const store = t.app.services.health.forUser(other.user.id).store;
    const item = await t.app.services.reminders.notify(
      store,
      { title: 'Drink water', message: 'Time for a glass of water.', type: 'water', read: false, fire_at: new Date(t.app.services.health.now()).toISOString() },
      `offline-${Date.now()}`,
    );
    expect((await t.app.inject({ url: `/api/notifications/${item!.id}`, headers: other.auth })).json().delivered_at).toBeUndefined();
    const c = await connect(other.auth);
    await c.start();
    const msg = await c.waitFor((m) => m.type === 'reminder');
    expect(msg.notification_id).toBe(item!.id);
    await c.waitFor(() => c.messages.slice(c.messages.indexOf(msg)).some((m) => m.type === 'audio'));
    c.close();
    expect((await t.app.inject({ url: `/api/notifications/${item!.id}`, headers: other.auth })).json().delivered_at).toEqual(expect.any(String));
    // A second connection does not repeat it.
    const d = await connect(other.auth);
    await d.start();
    await new Promise((r) => setTimeout(r, 500));
    expect(d.messages.some((m) => m.type === 'reminder')).toBe(false);
    d.close();
  });

  it('after a medication reminder is spoken, "yes I took it" logs the dose for its schedule', async () => {
    const other = await registerUser(t.app);
    const health = t.app.services.health.forUser(other.user.id);
    const med = await health.create('medication', { name: 'Metformin' });
    const schedule = await health.create('med_schedule', { medication_id: med.id, time_of_day: '08:00', days_of_week: ['1', '2', '3', '4', '5', '6', '7'] });
    const c = await connect(other.auth);
    await c.start();
    await t.app.services.reminders.notify(
      health.store,
      { title: 'Take Metformin', message: 'Time to take your Metformin.', type: 'medication', read: false, fire_at: new Date(t.app.services.health.now()).toISOString(), reference_id: `med_schedule:${schedule.id}` },
      `dose-${Date.now()}`,
    );
    await c.waitFor((m) => m.type === 'reminder');
    await c.waitFor((m) => m.event === 'tts-end');
    c.send({ type: 'text', text: 'yes I took it' });
    const end = await c.waitForRunEnd();
    expect(c.events().find((e) => e.event === 'intent-end' && e.turn_id === end.turn_id)!.data!.route).toBe('medication');
    c.close();
    const logs = (await health.list('medication_log')).items;
    expect(logs).toMatchObject([{ schedule_id: `med_schedule:${schedule.id}`, status: 'taken' }]);
  });
});
