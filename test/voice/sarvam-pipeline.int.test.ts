/**
 * The voice socket with STT_PROVIDER=sarvam and TTS_PROVIDER=sarvam against the fake Sarvam
 * server: the same events as with the local providers, Hindi heard → Hindi answered, and a turn
 * still completed (by the local providers) while Sarvam is failing.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeSarvam, type FakeSarvam } from '../fakes/sarvam/index.js';
import { makeTestApp, registerUser, type TestApp } from '../helpers/app.js';
import { fixturePcm, VoiceClient } from './helpers.js';

const KEY = 'sk_pipeline_key_9090';
const FIXTURE = 'health-query-bp.wav'; // "What was my BP yesterday"

let fake: FakeSarvam;
let local: TestApp;
let cloud: TestApp;
const urls: Record<'local' | 'cloud', string> = { local: '', cloud: '' };
const auth: Record<'local' | 'cloud', Record<string, string>> = { local: {}, cloud: {} };

async function serve(name: 'local' | 'cloud', t: TestApp) {
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  urls[name] = address.replace('http', 'ws') + '/api/voice/ws';
  auth[name] = (await registerUser(t.app)).auth;
}

beforeAll(async () => {
  fake = await startFakeSarvam({ apiKey: KEY, script: { defaultUtterance: { transcript: 'What was my BP yesterday', languageCode: 'en-IN' } } });
  [local, cloud] = await Promise.all([
    makeTestApp(),
    makeTestApp({ env: { STT_PROVIDER: 'sarvam', TTS_PROVIDER: 'sarvam', SARVAM_API_KEY: KEY, SARVAM_BASE_URL: fake.url } }),
  ]);
  await Promise.all([serve('local', local), serve('cloud', cloud)]);
}, 60_000);
afterAll(async () => {
  await Promise.all([local?.close(), cloud?.close()]);
  await fake?.close();
});
beforeEach(() => {
  fake.clearRequests();
  fake.control.clearFailures();
});

async function turn(which: 'local' | 'cloud', pcm = fixturePcm(FIXTURE), start: object = {}) {
  const c = await VoiceClient.open(urls[which], { headers: auth[which] });
  await c.start(start);
  await c.stream(pcm);
  const end = await c.waitForRunEnd();
  const seq = c.turnSequence(end.turn_id!);
  const ev = (name: string) => c.events().find((e) => e.event === name && e.turn_id === end.turn_id);
  c.close();
  return { c, seq, ev, end };
}

/** Partials are optional in the protocol: Sarvam's streaming STT sends none, pocketsphinx does. */
const withoutPartials = (seq: string[]) => seq.filter((e) => e !== 'stt-partial');

describe('voice pipeline on Sarvam', () => {
  it('produces the same event sequence as the local providers, with the cloud doing the work', async () => {
    const [a, b] = [await turn('local'), await turn('cloud')];
    expect(withoutPartials(b.seq)).toEqual(withoutPartials(a.seq));
    expect(b.seq).toEqual(['run-start', 'vad-start', 'vad-end', 'stt-end', 'intent-start', 'intent-end', 'tts-start', 'audio', 'tts-end', 'run-end']);
    expect(b.ev('stt-end')!.data).toEqual({ text: 'What was my BP yesterday', language: 'en-IN' });
    expect(b.ev('intent-end')!.data!.route).toBe(a.ev('intent-end')!.data!.route);
    expect(b.c.audio.reduce((n, x) => n + x.length, 0)).toBeGreaterThan(16000);
    expect(b.end.data!.timings).toMatchObject({ stt_ms: expect.any(Number), tts_first_byte_ms: expect.any(Number) });

    const paths = fake.requests.map((r) => r.path);
    expect(paths).toContain('/speech-to-text/ws');
    expect(paths).toContain('/text-to-speech/ws');
    for (const r of fake.requests) {
      expect(r.auth).toEqual({ via: ['header'], ok: true });
      expect(r.rawUrl).not.toContain(KEY);
    }
    expect(cloud.logs()).not.toContain(KEY);
  });

  it('hears Hindi (detected by Sarvam) and answers in Hindi through Sarvam TTS', async () => {
    fake.control.queueUtterance({ transcript: 'कल मेरा बीपी क्या था', languageCode: 'hi-IN', languageProbability: 0.97 });
    const { seq, ev } = await turn('cloud');
    expect(withoutPartials(seq)).toContain('audio');
    expect(ev('stt-end')!.data).toEqual({ text: 'कल मेरा बीपी क्या था', language: 'hi-IN' });
    expect(ev('intent-end')!.data!.language).toBe('hi-IN');
    expect(ev('intent-end')!.data!.text).toMatch(/[\u0900-\u097F]/);
    const stt = fake.requests.find((r) => r.path === '/speech-to-text/ws')!;
    expect(stt.query['language-code']).toBe('unknown');
    const tts = fake.requests.find((r) => r.path === '/text-to-speech/ws')!;
    expect(tts.frames[0]!.data).toMatchObject({ type: 'config', data: { language_code: 'hi-IN' } });
  });

  it('while Sarvam answers 500 to everything, an English turn completes on the local providers', async () => {
    fake.control.inject('*', { kind: 'status', status: 500 }, 1000);
    const { seq, ev, c } = await turn('cloud');
    expect(seq.filter((e) => e !== 'stt-partial')).toEqual(['run-start', 'vad-start', 'vad-end', 'stt-end', 'intent-start', 'intent-end', 'tts-start', 'audio', 'tts-end', 'run-end']);
    expect(String(ev('stt-end')!.data!.text)).toContain('bp');
    expect(c.audio.reduce((n, x) => n + x.length, 0)).toBeGreaterThan(16000);
    expect(fake.requests.every((r) => r.status === 500)).toBe(true);
  });
});
