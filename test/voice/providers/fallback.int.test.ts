/**
 * The cloud → local fallback, with the real Sarvam providers against the fake server and the real
 * local providers (pocketsphinx, espeak-ng/flite) behind them: each injected failure leads to the
 * documented retry, fallback or apology, and nothing waits forever.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { FallbackStt, FallbackTts, localSttCanHear, speechApology, type FallbackOptions } from '../../../src/voice/providers/fallback.js';
import { SarvamRestTts, SarvamStreamingStt, SarvamStreamingTts, SarvamRestStt } from '../../../src/voice/providers/sarvam/index.js';
import { PocketsphinxStt } from '../../../src/voice/providers/stt/pocketsphinx.js';
import { LocalTts } from '../../../src/voice/providers/tts/local.js';
import type { SttEvent } from '../../../src/voice/providers/types.js';
import { startFakeSarvam, utterancePcm, type FakeSarvam } from '../../fakes/sarvam/index.js';
import { fixturePcm } from '../audio/fixtures.js';
import { audioSamples, collect, depsFor, fakeSpeechSamples, finals, RecordingLog, say, settingsFor } from './sarvam/provider-support.js';

const KEY = 'sk_fallback_key_4242';
let fake: FakeSarvam;
let localStt: PocketsphinxStt;
let localTts: LocalTts;
const logs: RecordingLog[] = [];

const metformin = fixturePcm('medication-metformin.wav');

beforeAll(async () => {
  fake = await startFakeSarvam({
    apiKey: KEY,
    script: {
      defaultUtterance: { transcript: 'I took my Metformin', languageCode: 'en-IN' },
      transcripts: { fever: { transcript: 'मुझे बुखार है', languageCode: 'hi-IN' } },
    },
  });
  localStt = new PocketsphinxStt({ freeSpeech: false, spares: 0 });
  localTts = new LocalTts();
});
afterAll(async () => {
  await Promise.all([fake.close(), localStt.close(), localTts.close()]);
  // Whatever happened, the key never reached a log line.
  for (const l of logs) expect(l.text()).not.toContain(KEY);
});
beforeEach(() => {
  fake.clearRequests();
  fake.control.clearFailures();
  fake.control.setTtsDelayMs(0);
});

function sttUnderTest(opts: { key?: string; mode?: 'rest' | 'stream'; fallback?: FallbackOptions; breakerThreshold?: number; timeoutMs?: number; baseUrl?: string } = {}) {
  const log = new RecordingLog();
  logs.push(log);
  const deps = depsFor('sarvam-stt', log, { breakerThreshold: opts.breakerThreshold ?? 3, timeoutMs: opts.timeoutMs ?? 1_500 });
  const settings = settingsFor(opts.baseUrl ?? fake.url, opts.key ?? KEY, { sttMode: opts.mode ?? 'stream', timeoutMs: opts.timeoutMs ?? 1_500 });
  const cloud = opts.mode === 'rest' ? new SarvamRestStt(settings, deps) : new SarvamStreamingStt(settings, deps);
  const stt = new FallbackStt(cloud, () => localStt, { log, quiet: () => deps.gate.rejected, ...opts.fallback });
  return { stt, log, deps };
}

function ttsUnderTest(opts: { key?: string; mode?: 'rest' | 'stream'; fallback?: FallbackOptions; timeoutMs?: number } = {}) {
  const log = new RecordingLog();
  logs.push(log);
  const deps = depsFor('sarvam-tts', log, { timeoutMs: opts.timeoutMs ?? 1_500 });
  const settings = settingsFor(fake.url, opts.key ?? KEY, { ttsMode: opts.mode ?? 'stream', timeoutMs: opts.timeoutMs ?? 1_500 });
  const cloud = opts.mode === 'rest' ? new SarvamRestTts(settings, deps) : new SarvamStreamingTts(settings, deps);
  const tts = new FallbackTts(cloud, () => localTts, { log, quiet: () => deps.gate.rejected, ...opts.fallback });
  return { tts, log, deps };
}

/** One utterance through a stream: 20 ms frames, then end(). */
async function utter(stream: ReturnType<FallbackStt['stream']>, pcm: Int16Array): Promise<void> {
  for (let o = 0; o < pcm.length; o += 320) stream.push(pcm.subarray(o, o + 320));
  await stream.end();
}

const lastFinal = (events: SttEvent[]) => finals(events).at(-1);

describe('speech-to-text fallback', () => {
  it('a 500 that outlasts the retries: the English utterance is recognised locally; the recovery is noticed', async () => {
    const { stt, log } = sttUnderTest();
    fake.control.inject('stt-ws', { kind: 'status', status: 500 }, 3);
    const stream = stt.stream({ language: 'en-IN' });
    const { events } = collect(stream);

    await utter(stream, metformin);
    expect(fake.requests.map((r) => r.status)).toEqual([500, 500, 500]);
    expect(lastFinal(events)).toMatchObject({ language: 'en-IN' });
    expect(lastFinal(events)!.text.split(' ')).toContain('metformin');
    expect(log.lines.map((l) => [l.level, l.obj])).toEqual([['warn', { provider: 'sarvam-stream', code: 'unavailable' }]]);

    await utter(stream, metformin);
    expect(lastFinal(events)).toMatchObject({ text: 'I took my Metformin', language: 'en-IN' });
    expect(log.lines.map((l) => l.level)).toEqual(['warn', 'info']);
    expect(events.some((e) => e.type === 'error')).toBe(false);
    stream.close();
  });

  it('an open circuit: later utterances go straight to the local recogniser without a request', async () => {
    const { stt, deps } = sttUnderTest({ breakerThreshold: 1 });
    fake.control.inject('stt-ws', { kind: 'status', status: 503 }, 3);
    const stream = stt.stream({ language: 'en-IN' });
    const { events } = collect(stream);
    await utter(stream, metformin);
    const requests = fake.requests.length;
    expect(deps.resilience.breakerState).toBe('open');
    await utter(stream, metformin);
    expect(fake.requests.length).toBe(requests);
    expect(finals(events)).toHaveLength(2);
    expect(finals(events).every((f) => f.text.includes('metformin'))).toBe(true);
    stream.close();
  });

  it('a rejected key: one request, one log line, every turn still heard', async () => {
    const { stt, log } = sttUnderTest({ key: 'sk_revoked_key_1' });
    const stream = stt.stream({ language: 'en-IN' });
    const { events } = collect(stream);
    for (let i = 0; i < 3; i++) await utter(stream, metformin);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.status).toBe(403);
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]!.msg).toMatch(/SARVAM_API_KEY.*403/);
    expect(finals(events)).toHaveLength(3);
    expect(log.text()).not.toContain('sk_revoked_key_1');
    stream.close();
  });

  it('a hung handshake: the connect deadline hands the utterance to the local recogniser', async () => {
    const { stt } = sttUnderTest({ timeoutMs: 300 });
    fake.control.inject('stt-ws', { kind: 'hang' }, 3);
    const stream = stt.stream({ language: 'en-IN' });
    const { events } = collect(stream);
    await utter(stream, metformin);
    expect(lastFinal(events)!.text).toContain('metformin');
    stream.close();
  });

  it('a cloud that accepts audio but never answers is cut off by the fallback deadline', async () => {
    const slow = await startFakeSarvam({ apiKey: KEY, script: { stt: { latencyMs: 10_000 } } });
    try {
      const { stt } = sttUnderTest({ baseUrl: slow.url, timeoutMs: 5_000, fallback: { sttDeadlineMs: 300 } });
      const stream = stt.stream({ language: 'en-IN' });
      const { events } = collect(stream);
      await utter(stream, metformin);
      expect(lastFinal(events)!.text).toContain('metformin');
      stream.close();
    } finally {
      await slow.close();
    }
  });

  it('a Hindi session with the cloud down: no English guess, the stream reports unavailable for the apology', async () => {
    const { stt } = sttUnderTest({ mode: 'rest' });
    fake.control.inject('stt', { kind: 'status', status: 500 }, 3);
    const stream = stt.stream({ language: 'hi-IN' });
    const { events, done } = collect(stream);
    await utter(stream, metformin);
    await done;
    expect(events).toEqual([{ type: 'error', error: { code: 'unavailable', message: expect.any(String) } }]);

    const apology = speechApology('hi-IN');
    expect(apology.language).toBe('hi-IN');
    expect(apology.text).toMatch(/[\u0900-\u097F]/);
    const spoken = await localTts.synthesize(apology.text, apology.language, { sampleRate: 16000 });
    expect(spoken.pcm.length).toBeGreaterThan(16000);
  });

  it('after Hindi was heard, a failure apologises even in an English session', async () => {
    const { stt } = sttUnderTest({ mode: 'rest' });
    const stream = stt.stream({ language: 'en-IN' });
    const { events, done } = collect(stream);
    await utter(stream, new Int16Array(utterancePcm({ marker: 'fever', speechMs: 400 }).buffer.slice(0)));
    expect(lastFinal(events)).toMatchObject({ text: 'मुझे बुखार है', language: 'hi-IN' });
    fake.control.inject('stt', { kind: 'status', status: 502 }, 3);
    await utter(stream, metformin);
    await done;
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'unavailable' } });
  });

  it('transcribe(): English falls back to the local recogniser; other languages get a 503, a bad one a 400', async () => {
    const { stt } = sttUnderTest({ mode: 'rest' });
    fake.control.inject('stt', { kind: 'status', status: 500 }, 3);
    const r = await stt.transcribe(metformin, 'en-IN');
    expect(r.language).toBe('en-IN');
    expect(r.text).toContain('metformin');

    fake.control.inject('stt', { kind: 'status', status: 500 }, 3);
    const down = await stt.transcribe(metformin, 'ta-IN').catch((e: unknown) => e);
    expect(down).toBeInstanceOf(AppError);
    expect(down).toMatchObject({ statusCode: 503, code: 'UPSTREAM_UNAVAILABLE' });

    fake.clearRequests();
    const bad = await stt.transcribe(metformin, 'fr-FR').catch((e: unknown) => e);
    expect(bad).toMatchObject({ statusCode: 400 });
    expect(fake.requests).toHaveLength(0);
  });

  it('knows which languages the local recogniser can take', () => {
    expect(['en-IN', 'en-US', 'auto'].map(localSttCanHear)).toEqual([true, true, true]);
    expect(['hi-IN', 'ta-IN'].map(localSttCanHear)).toEqual([false, false]);
    expect(speechApology('xx-YY')).toEqual({ text: expect.stringMatching(/^Sorry/), language: 'en-IN' });
  });
});

describe('text-to-speech fallback', () => {
  const REPLY = ['Your blood pressure is normal.', 'Keep drinking water.', 'Measure again tomorrow.'];

  it('the cloud refusing the socket: the local voice speaks the whole reply', async () => {
    const { tts, log } = ttsUnderTest();
    fake.control.inject('tts-ws', { kind: 'status', status: 500 }, 3);
    const events = await say(tts.stream({ language: 'en-IN', sampleRate: 16000 }), REPLY);
    expect(events.at(-1)).toEqual({ type: 'done' });
    expect(audioSamples(events)).toBeGreaterThan(16000 * 2);
    expect(log.lines.map((l) => l.level)).toEqual(['warn']);
  });

  it('a failure mid-reply resumes locally from the first sentence the cloud did not finish', async () => {
    const { tts } = ttsUnderTest({ mode: 'rest' });
    // The first sentence is served; the second fails through every retry.
    fake.control.inject('tts', { kind: 'delay', ms: 0 }, 1);
    fake.control.inject('tts', { kind: 'status', status: 500 }, 3);
    const events = await say(tts.stream({ language: 'en-IN', sampleRate: 16000 }), REPLY);
    expect(events.at(-1)).toEqual({ type: 'done' });
    expect(fake.requests.map((r) => r.status)).toEqual([200, 500, 500, 500]);

    const cloudPart = fakeSpeechSamples(REPLY[0]!, 16000);
    const localRest = (await Promise.all(REPLY.slice(1).map((s) => localTts.synthesize(s, 'en-IN', { sampleRate: 16000 })))).reduce((n, a) => n + a.pcm.length, 0);
    const localFirst = (await localTts.synthesize(REPLY[0]!, 'en-IN', { sampleRate: 16000 })).pcm.length;
    // Resuming (not restarting) is the difference of a whole sentence; resampler edges are a few samples.
    expect(Math.abs(audioSamples(events) - (cloudPart + localRest))).toBeLessThan(200);
    expect(localFirst).toBeGreaterThan(1000);
  });

  it('a stalled cloud synthesis is abandoned after its timeout and the reply still gets spoken', async () => {
    const { tts } = ttsUnderTest({ timeoutMs: 300 });
    fake.control.setTtsDelayMs(10_000);
    const events = await say(tts.stream({ language: 'en-IN', sampleRate: 16000 }), REPLY.slice(0, 1));
    expect(events.at(-1)).toEqual({ type: 'done' });
    expect(audioSamples(events)).toBeGreaterThan(8000);
  });

  it('a language the cloud does not speak goes to the local voice without a request or a warning', async () => {
    const { tts, log } = ttsUnderTest();
    const events = await say(tts.stream({ language: 'fr-FR', sampleRate: 16000 }), ['Bonjour.']);
    expect(events.at(-1)).toEqual({ type: 'done' });
    expect(audioSamples(events)).toBeGreaterThan(0);
    expect(fake.requests).toHaveLength(0);
    expect(log.lines).toHaveLength(0);
  });

  it('synthesize(): a cloud failure is spoken locally; an unsupported language is a 400 before any call', async () => {
    const { tts } = ttsUnderTest();
    fake.control.inject('tts', { kind: 'status', status: 500 }, 3);
    const r = await tts.synthesize('Take your tablet.', 'en-IN', { sampleRate: 16000 });
    expect(r.sampleRate).toBe(16000);
    expect(r.pcm.length).toBeGreaterThan(8000);
    fake.clearRequests();
    const err = await tts.synthesize('Bonjour.', 'fr-FR').catch((e: unknown) => e);
    expect(err).toMatchObject({ statusCode: 400, code: 'VALIDATION_ERROR' });
    expect(fake.requests).toHaveLength(0);
  });

  it('a rejected key is logged once across STT and TTS sharing the gate', async () => {
    const log = new RecordingLog();
    logs.push(log);
    const sttDeps = depsFor('sarvam-stt', log);
    const gate = sttDeps.gate;
    const ttsDeps = { ...depsFor('sarvam-tts', log), gate };
    const stt = new FallbackStt(new SarvamRestStt(settingsFor(fake.url, 'sk_bad', { sttMode: 'rest' }), sttDeps), () => localStt, { log, quiet: () => gate.rejected });
    const tts = new FallbackTts(new SarvamStreamingTts(settingsFor(fake.url, 'sk_bad'), ttsDeps), () => localTts, { log, quiet: () => gate.rejected });
    await stt.transcribe(metformin, 'en-IN');
    const events = await say(tts.stream({ language: 'en-IN', sampleRate: 16000 }), ['Noted.']);
    expect(events.at(-1)).toEqual({ type: 'done' });
    expect(fake.requests).toHaveLength(1);
    expect(log.lines).toHaveLength(1);
  });
});
