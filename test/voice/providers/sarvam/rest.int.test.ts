/** sttRest and ttsRest against the fake Sarvam server over real sockets. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../src/errors.js';
import { SarvamError, sttRest, ttsRest, ttsRestChunks } from '../../../../src/voice/providers/sarvam/index.js';
import { audioKey, parseWav, speechWindows, startFakeSarvam, utterancePcm, wavFile, type FakeSarvam } from '../../../fakes/sarvam/index.js';

const KEY = 'sk_rest_test_key_0001';
let fake: FakeSarvam;
let conn: { baseUrl: string; apiKey: string };
const pcm = utterancePcm({ speechMs: 400, silenceMs: 100 });
const wav = wavFile(pcm, 16000);

beforeAll(async () => {
  fake = await startFakeSarvam({
    apiKey: KEY,
    script: {
      transcripts: {
        [audioKey(wav)]: { transcript: 'मुझे बुखार है', languageCode: 'hi-IN', languageProbability: 0.97, translation: 'I have a fever' },
        [audioKey(pcm)]: { transcript: 'raw pcm heard', languageCode: 'en-IN' },
      },
    },
  });
  conn = { baseUrl: fake.url, apiKey: KEY };
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.clearRequests();
  fake.control.clearFailures();
});

async function rejection(p: Promise<unknown>): Promise<SarvamError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SarvamError);
  return err as SarvamError;
}

describe('sttRest', () => {
  it('posts multipart to /speech-to-text with the key only in the api-subscription-key header', async () => {
    const res = await sttRest({ ...conn, audio: wav, languageCode: 'unknown', model: 'saaras:v3' });
    expect(res).toMatchObject({ transcript: 'मुझे बुखार है', languageCode: 'hi-IN', languageProbability: 0.97 });
    expect(res.requestId).toBeTruthy();

    const [req] = fake.requests;
    expect(req).toMatchObject({ method: 'POST', path: '/speech-to-text', query: {}, auth: { via: ['header'], ok: true } });
    expect(req!.headers.authorization).toBeUndefined();
    expect(req!.body).toEqual({
      fields: { model: 'saaras:v3', language_code: 'unknown', input_audio_codec: 'wav' },
      files: { file: { filename: 'audio.wav', contentType: 'audio/wav', size: wav.length, sha256: audioKey(wav) } },
    });
    expect(req!.rawUrl).toBe('/speech-to-text');
  });

  it('reports the requested language without a probability when one is given', async () => {
    const res = await sttRest({ ...conn, audio: wav, languageCode: 'hi-IN' });
    expect(res.languageCode).toBe('hi-IN');
    expect(res.languageProbability).toBeUndefined();
    expect(fake.requests[0]!.body).toMatchObject({ fields: { language_code: 'hi-IN' } });
  });

  it('sends raw PCM with input_audio_codec=pcm_s16le', async () => {
    const res = await sttRest({ ...conn, audio: pcm, audioFormat: 'pcm_s16le', languageCode: 'en-IN' });
    expect(res.transcript).toBe('raw pcm heard');
    expect(fake.requests[0]!.body).toMatchObject({
      fields: { input_audio_codec: 'pcm_s16le' },
      files: { file: { filename: 'audio.pcm', contentType: 'application/octet-stream' } },
    });
  });

  it('routes to /speech-to-text-translate for an English transcript and the source language', async () => {
    const res = await sttRest({ ...conn, audio: wav, translate: true, prompt: 'health assistant' });
    expect(res).toMatchObject({ transcript: 'I have a fever', languageCode: 'hi-IN' });
    expect(fake.requests[0]).toMatchObject({
      path: '/speech-to-text-translate',
      body: { fields: { model: 'saaras:v2.5', prompt: 'health assistant', input_audio_codec: 'wav' } },
    });
    expect((fake.requests[0]!.body as { fields: Record<string, string> }).fields.language_code).toBeUndefined();
  });

  it('rejects an unsupported language or empty audio before any call', async () => {
    await expect(sttRest({ ...conn, audio: wav, languageCode: 'fr-FR' as 'hi-IN' })).rejects.toMatchObject({ code: 'VALIDATION_ERROR', statusCode: 400 });
    await expect(sttRest({ ...conn, audio: new Uint8Array() })).rejects.toBeInstanceOf(AppError);
    expect(fake.requests).toHaveLength(0);
  });

  it('maps a wrong key to a non-retryable 403 invalid_api_key_error', async () => {
    const err = await rejection(sttRest({ ...conn, apiKey: 'wrong', audio: wav }));
    expect(err).toMatchObject({ kind: 'http', status: 403, code: 'invalid_api_key_error', retryable: false });
    expect(err.requestId).toBeTruthy();
    expect(err.message).not.toContain('wrong');
  });

  it('maps 429 to a retryable error carrying Retry-After in ms', async () => {
    fake.control.inject('stt', { kind: 'status', status: 429, retryAfterS: 2 });
    const err = await rejection(sttRest({ ...conn, audio: wav }));
    expect(err).toMatchObject({ status: 429, code: 'rate_limit_exceeded_error', retryable: true, retryAfterMs: 2000 });
  });

  it('maps 500 to a retryable error', async () => {
    fake.control.inject('stt', { kind: 'status', status: 500 });
    expect(await rejection(sttRest({ ...conn, audio: wav }))).toMatchObject({ status: 500, code: 'internal_server_error', retryable: true });
  });

  it('gives up after its deadline on a hung response, as a retryable timeout', async () => {
    fake.control.inject('stt', { kind: 'hang' });
    expect(await rejection(sttRest({ ...conn, audio: wav, timeoutMs: 150 }))).toMatchObject({ kind: 'timeout', code: 'timeout', retryable: true });
  });

  it('answers normally after an injected delay shorter than the deadline', async () => {
    fake.control.inject('stt', { kind: 'delay', ms: 50 });
    expect((await sttRest({ ...conn, audio: wav, timeoutMs: 2000 })).transcript).toBe('मुझे बुखार है');
  });

  it('maps a dropped socket to a retryable network error', async () => {
    fake.control.inject('stt', { kind: 'drop' });
    expect(await rejection(sttRest({ ...conn, audio: wav }))).toMatchObject({ kind: 'network', code: 'network_error', retryable: true });
  });

  it('maps an unparseable 200 body to a non-retryable malformed_response', async () => {
    fake.control.inject('stt', { kind: 'malformed' });
    expect(await rejection(sttRest({ ...conn, audio: wav }))).toMatchObject({ kind: 'protocol', code: 'malformed_response', retryable: false });
  });

  it('maps a 200 body without a transcript to malformed_response', async () => {
    fake.control.inject('stt', { kind: 'malformed', payload: '{"request_id":"x"}' });
    expect(await rejection(sttRest({ ...conn, audio: wav }))).toMatchObject({ code: 'malformed_response' });
  });

  it('reports a caller abort as aborted, not retryable', async () => {
    fake.control.inject('stt', { kind: 'hang' });
    const ac = new AbortController();
    const p = sttRest({ ...conn, audio: wav, signal: ac.signal });
    setTimeout(() => ac.abort(), 20);
    expect(await rejection(p)).toMatchObject({ kind: 'aborted', retryable: false });
  });
});

describe('ttsRest', () => {
  it('posts JSON with language_code, voice and format, and decodes the WAV', async () => {
    const res = await ttsRest({ ...conn, text: 'Time for your tablet. Please drink water.', languageCode: 'en-IN', speaker: 'priya', pace: 1.1, sampleRate: 16000 });
    expect(res.audios).toHaveLength(1);
    const audio = parseWav(res.audios[0]!);
    expect(audio).toMatchObject({ sampleRate: 16000, channels: 1, bitsPerSample: 16 });
    expect(speechWindows(audio!.data, 16000).some(Boolean)).toBe(true);
    const [req] = fake.requests;
    expect(req).toMatchObject({ path: '/text-to-speech', headers: { 'content-type': 'application/json' }, auth: { via: ['header'], ok: true } });
    expect(req!.body).toEqual({
      text: 'Time for your tablet. Please drink water.',
      language_code: 'en-IN',
      model: 'bulbul:v3',
      speaker: 'priya',
      pace: 1.1,
      speech_sample_rate: 16000,
      output_audio_codec: 'wav',
    });
  });

  it('makes longer text give longer audio', async () => {
    const short = await ttsRest({ ...conn, text: 'Hi.', languageCode: 'hi-IN', sampleRate: 8000 });
    const long = await ttsRest({ ...conn, text: 'This is a much longer sentence to say out loud.', languageCode: 'hi-IN', sampleRate: 8000 });
    expect(parseWav(long.audios[0]!)!.data.length).toBeGreaterThan(parseWav(short.audios[0]!)!.data.length);
  });

  it('splits text over 2,500 characters at sentence boundaries into consecutive requests', async () => {
    const sentence = 'आज सुबह की दवा लेना मत भूलिए और नाश्ता समय पर कीजिए। '; // ~50 chars
    const text = sentence.repeat(80).trim();
    expect(text.length).toBeGreaterThan(2500);
    const chunks = [];
    for await (const c of ttsRestChunks({ ...conn, text, languageCode: 'hi-IN', sampleRate: 8000 })) chunks.push(c);
    expect(chunks.length).toBe(2);
    const sent = fake.requests.map((r) => (r.body as { text: string }).text);
    expect(sent).toHaveLength(2);
    for (const t of sent) {
      expect(t.length).toBeLessThanOrEqual(2500);
      expect(t.endsWith('।')).toBe(true);
    }
    expect(sent.join(' ')).toBe(text);
    expect(chunks.map((c) => c.index)).toEqual([0, 1]);
  });

  it('rejects an unsupported language, a speaker of another model and blank text before any call', async () => {
    await expect(ttsRest({ ...conn, text: 'hi', languageCode: 'ur-IN' as 'hi-IN' })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    await expect(ttsRest({ ...conn, text: 'hi', languageCode: 'hi-IN', speaker: 'anushka' })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    await expect(ttsRest({ ...conn, text: ' ', languageCode: 'hi-IN' })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(fake.requests).toHaveLength(0);
  });

  it('stops at the first failing chunk with the typed error', async () => {
    fake.control.inject('tts', { kind: 'status', status: 503, retryAfterS: 1 });
    const err = await rejection(ttsRest({ ...conn, text: 'Hello there.', languageCode: 'en-IN' }));
    expect(err).toMatchObject({ status: 503, retryable: true, retryAfterMs: 1000 });
  });

  it('maps an answer without audio to malformed_response', async () => {
    fake.control.inject('tts', { kind: 'malformed', payload: '{"request_id":"x","audios":[]}' });
    expect(await rejection(ttsRest({ ...conn, text: 'Hello.', languageCode: 'en-IN' }))).toMatchObject({ code: 'malformed_response', retryable: false });
  });

  it('never puts the key in a URL or the fake log', async () => {
    await ttsRest({ ...conn, text: 'Hello.', languageCode: 'en-IN' });
    expect(JSON.stringify(fake.requests)).not.toContain(KEY);
  });
});
