/**
 * SarvamRestStt and SarvamStreamingStt (our SttProvider contract) against the fake Sarvam server
 * over real sockets: what goes on the wire, what comes out as events, and each injected failure.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../src/errors.js';
import { writeWav } from '../../../../src/voice/audio/wav.js';
import { SarvamRestStt, SarvamStreamingStt } from '../../../../src/voice/providers/sarvam/index.js';
import { audioKey, startFakeSarvam, utterancePcm, type FakeSarvam } from '../../../fakes/sarvam/index.js';
import { until } from '../../../fakes/sarvam/until.js';
import { collect, depsFor, finals, framesOf, int16, RecordingLog, settingsFor, speak } from './provider-support.js';

const KEY = 'sk_provider_stt_key_7731';
let fake: FakeSarvam;

beforeAll(async () => {
  fake = await startFakeSarvam({
    apiKey: KEY,
    script: {
      transcripts: {
        fever: { transcript: 'मुझे बुखार है', languageCode: 'hi-IN', languageProbability: 0.96, translation: 'I have a fever' },
        meds: { transcript: 'did I take my medicine', languageCode: 'en-IN' },
        later: { transcript: 'and my sugar', languageCode: 'en-IN' },
      },
    },
  });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.clearRequests();
  fake.control.clearFailures();
});

const utterance = (marker: string, silenceMs = 100) => utterancePcm({ marker, speechMs: 400, silenceMs });

describe('SarvamRestStt: one POST per utterance', () => {
  it('posts the buffered utterance as a WAV with the documented fields; the final carries the detected language', async () => {
    const stt = new SarvamRestStt(settingsFor(fake.url, KEY, { sttMode: 'rest' }), depsFor('sarvam-stt'));
    const stream = stt.stream({ language: 'en-IN' });
    const { events } = collect(stream);
    const pcm = utterance('fever');
    for (const f of framesOf(pcm)) stream.push(f);
    expect(fake.requests).toHaveLength(0); // nothing leaves before our endpointing says so
    await stream.end();

    expect(finals(events)).toEqual([{ type: 'final', text: 'मुझे बुखार है', language: 'hi-IN', confidence: 0.96 }]);
    const [req] = fake.requests;
    expect(req).toMatchObject({ kind: 'http', method: 'POST', path: '/speech-to-text', status: 200, auth: { via: ['header'], ok: true } });
    expect(req!.rawUrl).toBe('/speech-to-text');
    const body = req!.body as { fields: Record<string, string>; files: { file: { contentType: string; sha256: string } } };
    expect(body.fields).toEqual({ model: 'saaras:v3', language_code: 'unknown', input_audio_codec: 'wav' });
    expect(body.files.file.contentType).toBe('audio/wav');
    expect(body.files.file.sha256).toBe(audioKey(writeWav(int16(pcm), 16000)));
    stream.close();
  });

  it('routes on the English translation when configured: /speech-to-text-translate, reply language is the one spoken', async () => {
    const stt = new SarvamRestStt(settingsFor(fake.url, KEY, { sttMode: 'rest', sttTranslate: true }), depsFor('sarvam-stt'));
    const r = await stt.transcribe(int16(utterance('fever')), 'auto');
    expect(r).toEqual({ text: 'I have a fever', language: 'hi-IN' });
    expect(fake.requests[0]!.path).toBe('/speech-to-text-translate');
    expect((fake.requests[0]!.body as { fields: object }).fields).toEqual({ model: 'saaras:v2.5', input_audio_codec: 'wav' });
  });

  it('follows the session language when told to, mapping any English to en-IN', async () => {
    const stt = new SarvamRestStt(settingsFor(fake.url, KEY, { sttMode: 'rest', sttLanguage: 'session' }), depsFor('sarvam-stt'));
    const r = await stt.transcribe(int16(utterance('meds')), 'en-US');
    expect(r).toEqual({ text: 'did I take my medicine', language: 'en-IN' });
    expect((fake.requests[0]!.body as { fields: Record<string, string> }).fields.language_code).toBe('en-IN');
  });

  it('refuses an unsupported language with a 400 before any call', async () => {
    const stt = new SarvamRestStt(settingsFor(fake.url, KEY, { sttMode: 'rest' }), depsFor('sarvam-stt'));
    const err = await stt.transcribe(int16(utterance('meds')), 'fr-FR').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ statusCode: 400, code: 'VALIDATION_ERROR' });
    expect(() => stt.stream({ language: 'de-DE' })).toThrow(AppError);
    expect(fake.requests).toHaveLength(0);
  });

  it('retries a 429 after exactly its Retry-After, then succeeds', async () => {
    const deps = depsFor('sarvam-stt');
    const stt = new SarvamRestStt(settingsFor(fake.url, KEY, { sttMode: 'rest' }), deps);
    fake.control.inject('stt', { kind: 'status', status: 429, retryAfterS: 1 });
    const r = await stt.transcribe(int16(utterance('meds')), 'en-IN');
    expect(r.text).toBe('did I take my medicine');
    expect(deps.retries).toEqual([{ attempt: 1, delayMs: 1000, status: 429 }]);
    expect(fake.requests.map((q) => q.status)).toEqual([429, 200]);
  });

  it('gives up after two retries of a 500 and reports the stream failed', async () => {
    const deps = depsFor('sarvam-stt');
    const stt = new SarvamRestStt(settingsFor(fake.url, KEY, { sttMode: 'rest' }), deps);
    fake.control.inject('stt', { kind: 'status', status: 500 }, 5);
    const stream = stt.stream({ language: 'en-IN' });
    const { events, done } = collect(stream);
    await speak(stream, utterance('meds'));
    await done;
    expect(events).toEqual([{ type: 'error', error: { code: 'unavailable', message: expect.stringContaining('500') } }]);
    expect(fake.requests.map((q) => q.status)).toEqual([500, 500, 500]);
  });

  it('does not retry a 403: one request, one log line, and no further calls while the key stands rejected', async () => {
    const log = new RecordingLog();
    const stt = new SarvamRestStt(settingsFor(fake.url, 'sk_wrong_key_0000', { sttMode: 'rest' }), depsFor('sarvam-stt', log));
    for (let i = 0; i < 3; i++) {
      const err = await stt.transcribe(int16(utterance('meds')), 'en-IN').catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'ProviderError', status: 403 });
    }
    expect(fake.requests).toHaveLength(1);
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]!.msg).toMatch(/rejected SARVAM_API_KEY \(HTTP 403\)/);
    expect(log.text()).not.toContain('sk_wrong_key_0000');
  });

  it('times out a hung request per attempt, retrying within the budget', async () => {
    const deps = depsFor('sarvam-stt', undefined, { timeoutMs: 200, maxRetries: 1 });
    const stt = new SarvamRestStt(settingsFor(fake.url, KEY, { sttMode: 'rest', timeoutMs: 200 }), deps);
    fake.control.inject('stt', { kind: 'hang' }, 2);
    const err = await stt.transcribe(int16(utterance('meds')), 'en-IN').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'timeout' });
    expect(deps.retries).toHaveLength(1);
    expect(fake.requests).toHaveLength(2);
  });

  it('treats a malformed body as a failure without retrying it', async () => {
    const deps = depsFor('sarvam-stt');
    const stt = new SarvamRestStt(settingsFor(fake.url, KEY, { sttMode: 'rest' }), deps);
    fake.control.inject('stt', { kind: 'malformed' });
    const err = await stt.transcribe(int16(utterance('meds')), 'en-IN').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'internal', retryable: false });
    expect(fake.requests).toHaveLength(1);
  });

  it('opens the circuit after repeated failures: later calls fail at once without a request', async () => {
    const deps = depsFor('sarvam-stt', undefined, { maxRetries: 0, breakerThreshold: 2 });
    const stt = new SarvamRestStt(settingsFor(fake.url, KEY, { sttMode: 'rest' }), deps);
    fake.control.inject('stt', { kind: 'status', status: 503 }, 2);
    for (let i = 0; i < 2; i++) await stt.transcribe(int16(utterance('meds')), 'en-IN').catch(() => undefined);
    const err = await stt.transcribe(int16(utterance('meds')), 'en-IN').catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'CircuitOpenError' });
    expect(fake.requests).toHaveLength(2);
    expect(stt.resilience.breakerState).toBe('open');
  });
});

describe('SarvamStreamingStt: /speech-to-text/ws', () => {
  it('connects on the first audio with the documented query, sends base64 audio and a flush, and maps the events', async () => {
    const stt = new SarvamStreamingStt(settingsFor(fake.url, KEY), depsFor('sarvam-stt'));
    const stream = stt.stream({ language: 'en-IN' });
    const { events } = collect(stream);
    await new Promise((r) => setTimeout(r, 20));
    expect(fake.requests).toHaveLength(0); // lazy: an idle session holds no socket

    const pcm = utterance('fever');
    await speak(stream, pcm);
    expect(events.map((e) => e.type)).toEqual(['speech-start', 'final']);
    expect(events[1]).toEqual({ type: 'final', text: 'मुझे बुखार है', language: 'hi-IN', confidence: 0.96 });

    const req = fake.requests[0]!;
    expect(req).toMatchObject({ kind: 'ws', path: '/speech-to-text/ws', status: 101, auth: { via: ['header'], ok: true } });
    expect(req.query).toEqual({
      'language-code': 'unknown',
      model: 'saaras:v3',
      input_audio_codec: 'pcm_s16le',
      sample_rate: '16000',
      vad_signals: 'true',
      flush_signal: 'true',
    });
    expect(req.rawUrl).not.toContain(KEY);
    const inbound = req.frames.filter((f) => f.dir === 'in').map((f) => f.data as { audio?: { data: string; sample_rate: number; encoding: string }; type?: string });
    expect(inbound.at(-1)).toEqual({ type: 'flush' });
    const audio = inbound.slice(0, -1);
    expect(audio.every((f) => f.audio?.sample_rate === 16000 && f.audio.encoding === 'audio/wav')).toBe(true);
    expect(Buffer.concat(audio.map((f) => Buffer.from(f.audio!.data, 'base64')))).toEqual(pcm);
    stream.close();
  });

  it('keeps the socket across utterances and reopens it after Sarvam closes an idle one', async () => {
    const stt = new SarvamStreamingStt(settingsFor(fake.url, KEY), depsFor('sarvam-stt'));
    const stream = stt.stream({ language: 'en-IN' });
    const { events } = collect(stream);
    await speak(stream, utterance('meds'));
    await speak(stream, utterance('fever'));
    expect(fake.requests.filter((r) => r.kind === 'ws')).toHaveLength(1);
    fake.control.closeSockets(1000, 'idle timeout');
    await new Promise((r) => setTimeout(r, 50));
    await speak(stream, utterance('later'));
    expect(finals(events).map((e) => e.text)).toEqual(['did I take my medicine', 'मुझे बुखार है', 'and my sugar']);
    expect(fake.requests.filter((r) => r.kind === 'ws')).toHaveLength(2);
    expect(events.some((e) => e.type === 'error')).toBe(false);
    stream.close();
  });

  it('joins segments Sarvam’s own VAD cut mid-utterance into one final, showing the first as a partial', async () => {
    const stt = new SarvamStreamingStt(settingsFor(fake.url, KEY), depsFor('sarvam-stt'));
    const stream = stt.stream({ language: 'en-IN' });
    const { events } = collect(stream);
    // 1.2 s of silence after the first phrase: the fake's VAD (1 s) closes a segment on its own.
    for (const f of framesOf(utterancePcm({ marker: 'meds', speechMs: 400, silenceMs: 1200 }))) stream.push(f);
    await until(() => events.some((e) => e.type === 'partial'), 'the first segment');
    for (const f of framesOf(utterance('later'))) stream.push(f);
    await stream.end();
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === 'final')).toHaveLength(1);
    expect(events.find((e) => e.type === 'partial')).toEqual({ type: 'partial', text: 'did I take my medicine' });
    expect(finals(events)[0]).toMatchObject({ text: 'did I take my medicine and my sugar', language: 'en-IN' });
    expect(types.indexOf('partial')).toBeLessThan(types.indexOf('final'));
    stream.close();
  });

  it('ends at once when Sarvam’s VAD already closed the utterance: no flush is owed an answer', async () => {
    const stt = new SarvamStreamingStt(settingsFor(fake.url, KEY), depsFor('sarvam-stt'));
    const stream = stt.stream({ language: 'en-IN' });
    const { events } = collect(stream);
    for (const f of framesOf(utterancePcm({ marker: 'meds', speechMs: 400, silenceMs: 1200 }))) stream.push(f);
    await until(() => events.some((e) => e.type === 'partial'), 'the VAD segment');
    await stream.end();
    expect(events.map((e) => e.type)).toEqual(['speech-start', 'speech-end', 'partial', 'final']);
    expect(finals(events)[0]!.text).toBe('did I take my medicine');
    const inbound = fake.requests[0]!.frames.filter((f) => f.dir === 'in');
    expect(inbound.some((f) => (f.data as { type?: string }).type === 'flush')).toBe(false);
    stream.close();
  });

  it.each([
    ['a socket dropped mid-utterance', { kind: 'drop', afterFrames: 3 } as const, 'unavailable'],
    ['an error frame', { kind: 'error-frame' } as const, 'unavailable'],
    ['a malformed frame', { kind: 'malformed' } as const, 'internal'],
    ['a 403 on the upgrade', { kind: 'status', status: 403, code: 'invalid_api_key_error' } as const, 'unavailable'],
  ])('reports %s as a failed stream', async (_what, failure, code) => {
    const stt = new SarvamStreamingStt(settingsFor(fake.url, KEY), depsFor('sarvam-stt', undefined, { maxRetries: 0 }));
    fake.control.inject('stt-ws', failure);
    const stream = stt.stream({ language: 'en-IN' });
    const { events, done } = collect(stream);
    await speak(stream, utterance('meds'));
    await done;
    expect(events.at(-1)).toEqual({ type: 'error', error: { code, message: expect.any(String) } });
    expect(finals(events)).toHaveLength(0);
  });

  it('bounds a handshake that never completes by the connect timeout', async () => {
    const stt = new SarvamStreamingStt(settingsFor(fake.url, KEY, { timeoutMs: 300 }), depsFor('sarvam-stt', undefined, { maxRetries: 0, timeoutMs: 300 }));
    fake.control.inject('stt-ws', { kind: 'hang' });
    const stream = stt.stream({ language: 'en-IN' });
    const { events, done } = collect(stream);
    await speak(stream, utterance('meds'));
    await done;
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'timeout' } });
  });

  it('bounds a transcript that never comes by the response timeout', async () => {
    const slow = await startFakeSarvam({ apiKey: KEY, script: { stt: { latencyMs: 5_000 } } });
    try {
      const stt = new SarvamStreamingStt(settingsFor(slow.url, KEY, { timeoutMs: 300 }), depsFor('sarvam-stt'));
      const stream = stt.stream({ language: 'en-IN' });
      const { events, done } = collect(stream);
      await speak(stream, utterance('meds'));
      await done;
      expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'timeout' } });
      expect(finals(events)).toHaveLength(0);
    } finally {
      await slow.close();
    }
  });
});
