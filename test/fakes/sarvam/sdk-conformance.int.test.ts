/**
 * The official `sarvamai` SDK (1.1.10) against the fake: if the SDK can talk to it, the fake speaks
 * the wire format Sarvam publishes, and our own clients are checked against something real.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SarvamAI, SarvamAIClient } from 'sarvamai';
import { audioKey, chunksOf, parseWav, speechWindows, startFakeSarvam, utterancePcm, wavFile, type FakeSarvam } from './index.js';
import { until } from './until.js';

const KEY = 'sk_test_conformance_0123456789';

let fake: FakeSarvam;
let client: SarvamAIClient;
const wav = wavFile(utterancePcm({ speechMs: 500, silenceMs: 200 }), 16000);

beforeAll(async () => {
  fake = await startFakeSarvam({
    apiKey: KEY,
    script: {
      transcripts: {
        [audioKey(wav)]: { transcript: 'मुझे सिरदर्द है', languageCode: 'hi-IN', translation: 'I have a headache' },
        greeting: { transcript: 'नमस्ते', languageCode: 'hi-IN', translation: 'Hello' },
      },
    },
  });
  client = new SarvamAIClient({ apiSubscriptionKey: KEY, baseUrl: fake.url, maxRetries: 0 });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.clearRequests();
  fake.control.clearFailures();
});

describe('sarvamai SDK against the fake: REST', () => {
  it('transcribes a WAV upload with multipart fields and the api-subscription-key header', async () => {
    const res = await client.speechToText.transcribe({
      file: { data: wav, filename: 'utt.wav', contentType: 'audio/wav' },
      model: 'saaras:v3',
      language_code: 'unknown',
      input_audio_codec: 'wav',
    });
    expect(res.transcript).toBe('मुझे सिरदर्द है');
    expect(res.language_code).toBe('hi-IN');
    expect(res.language_probability).toBeGreaterThan(0);
    expect(res.request_id).toMatch(/^\d{8}_[0-9a-f-]{36}$/);

    const [req] = fake.requests;
    expect(req).toMatchObject({ method: 'POST', path: '/speech-to-text', auth: { via: ['header'], ok: true } });
    expect(req!.headers['api-subscription-key']).toBe('[redacted]');
    expect(req!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(req!.body).toEqual({
      fields: { model: 'saaras:v3', language_code: 'unknown', input_audio_codec: 'wav' },
      files: { file: { filename: 'utt.wav', contentType: 'audio/wav', size: wav.length, sha256: audioKey(wav) } },
    });
    expect(JSON.stringify(fake.requests)).not.toContain(KEY);
  });

  it('translates speech to English on /speech-to-text-translate and reports the source language', async () => {
    const res = await client.speechToText.translate({ file: { data: wav, filename: 'utt.wav' }, model: 'saaras:v2.5' });
    expect(res.transcript).toBe('I have a headache');
    expect(res.language_code).toBe('hi-IN');
    expect(fake.requests[0]).toMatchObject({ path: '/speech-to-text-translate', body: { fields: { model: 'saaras:v2.5' } } });
  });

  it('synthesises WAV at the requested sample rate from a language_code request', async () => {
    const res = await client.textToSpeech.convert({
      text: 'नमस्ते। आप कैसे हैं?',
      language_code: 'hi-IN',
      model: 'bulbul:v3',
      speaker: 'shubh',
      pace: 1.2,
      speech_sample_rate: 16000,
    });
    expect(res.audios).toHaveLength(1);
    const audio = parseWav(Buffer.from(res.audios[0]!, 'base64'));
    expect(audio).toMatchObject({ sampleRate: 16000, channels: 1, bitsPerSample: 16 });
    expect(speechWindows(audio!.data, 16000).some(Boolean)).toBe(true);
    expect(fake.requests[0]).toMatchObject({
      path: '/text-to-speech',
      headers: { 'content-type': 'application/json' },
      body: { text: 'नमस्ते। आप कैसे हैं?', language_code: 'hi-IN', model: 'bulbul:v3', speaker: 'shubh', pace: 1.2, speech_sample_rate: 16000 },
    });
  });

  it('streams raw WAV bytes from /text-to-speech/stream', async () => {
    const res = await client.textToSpeech.convertStream({
      text: 'One sentence. Two sentences.',
      language_code: 'en-IN',
      model: 'bulbul:v3',
      speaker: 'shubh',
      speech_sample_rate: 8000,
      output_audio_codec: 'wav',
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    const audio = parseWav(bytes);
    expect(audio?.sampleRate).toBe(8000);
    expect(audio!.data.length).toBe(bytes.length - 44);
    expect(fake.requests[0]!.path).toBe('/text-to-speech/stream');
  });

  it('completes a chat through /v1/chat/completions', async () => {
    fake.control.queueChatReply({ content: 'Drink water and rest.' });
    const res = await client.chat.completions({ model: 'sarvam-105b', messages: [{ role: 'user', content: 'I have a headache' }] });
    expect(res.choices[0]!.message.content).toBe('Drink water and rest.');
    expect(fake.requests[0]).toMatchObject({ path: '/v1/chat/completions', auth: { ok: true } });
  });

  it('surfaces a wrong key as ForbiddenError carrying invalid_api_key_error', async () => {
    const bad = new SarvamAIClient({ apiSubscriptionKey: 'wrong', baseUrl: fake.url, maxRetries: 0 });
    const err = await bad.textToSpeech.convert({ text: 'hi', language_code: 'en-IN' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SarvamAI.ForbiddenError);
    expect((err as SarvamAI.ForbiddenError).statusCode).toBe(403);
    expect((err as SarvamAI.ForbiddenError).body).toMatchObject({ error: { code: 'invalid_api_key_error' } });
    expect(fake.requests[0]!.auth).toEqual({ via: ['header'], ok: false });
  });

  it('surfaces an injected 429 as TooManyRequestsError with Retry-After, without retrying', async () => {
    fake.control.inject('tts', { kind: 'status', status: 429, retryAfterS: 3 });
    const err = await client.textToSpeech.convert({ text: 'hi', language_code: 'en-IN' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SarvamAI.TooManyRequestsError);
    expect((err as SarvamAI.TooManyRequestsError).rawResponse?.headers.get('retry-after')).toBe('3');
    expect((err as SarvamAI.TooManyRequestsError).body).toMatchObject({ error: { code: 'rate_limit_exceeded_error' } });
    expect(fake.requests).toHaveLength(1);
  });
});

describe('sarvamai SDK against the fake: WebSockets', () => {
  it('streams STT: query params, subprotocol auth, base64 audio, VAD events and transcripts', async () => {
    const socket = await client.speechToTextStreaming.connect({
      'language-code': 'hi-IN',
      model: 'saaras:v3',
      input_audio_codec: 'pcm_s16le',
      sample_rate: '16000',
      vad_signals: 'true',
      flush_signal: 'true',
      reconnectAttempts: 0,
    });
    const messages: SarvamAI.SpeechToTextStreamingResponse[] = [];
    socket.on('message', (m) => messages.push(m));
    await socket.waitForOpen();

    // First utterance ends on its own trailing silence; the second is cut short by flush.
    for (const c of chunksOf(utterancePcm({ marker: 'greeting', silenceMs: 1200 }), 100)) {
      socket.transcribe({ audio: c.toString('base64'), sample_rate: 16000, encoding: 'audio/wav' });
    }
    await until(() => messages.some((m) => m.type === 'data'), 'first transcript');
    for (const c of chunksOf(utterancePcm({ speechMs: 400 }), 100)) socket.transcribe({ audio: c.toString('base64') });
    socket.flush();
    await until(() => messages.filter((m) => m.type === 'data').length === 2, 'flushed transcript');
    socket.close();

    const kinds = messages.map((m) => (m.type === 'events' ? (m.data as SarvamAI.EventsData).signal_type : m.type));
    expect(kinds).toEqual(['START_SPEECH', 'END_SPEECH', 'data', 'START_SPEECH', 'data']);
    const first = messages.find((m) => m.type === 'data')!.data as SarvamAI.SpeechToTextTranscriptionData;
    expect(first).toMatchObject({ transcript: 'नमस्ते', language_code: 'hi-IN' });
    expect(first.metrics.audio_duration).toBeGreaterThan(1);

    const req = fake.requests[0]!;
    expect(req).toMatchObject({
      kind: 'ws',
      path: '/speech-to-text/ws',
      query: { 'language-code': 'hi-IN', model: 'saaras:v3', input_audio_codec: 'pcm_s16le', sample_rate: '16000', vad_signals: 'true', flush_signal: 'true' },
      protocol: 'api-subscription-key.[redacted]',
      auth: { ok: true },
    });
    expect(req.auth.via).toContain('subprotocol');
    const firstIn = req.frames.find((f) => f.dir === 'in')!.data as { audio: { data: string; sample_rate: number; encoding: string } };
    expect(firstIn.audio).toMatchObject({ sample_rate: 16000, encoding: 'audio/wav' });
    expect(Buffer.from(firstIn.audio.data, 'base64')).toHaveLength(3200);
    expect(req.frames.filter((f) => f.dir === 'in').at(-1)!.data).toEqual({ type: 'flush' });
    expect(req.rawUrl).not.toContain(KEY);
  });

  it('streams STT translation with no language-code and English output', async () => {
    const socket = await client.speechToTextTranslateStreaming.connect({
      model: 'saaras:v2.5',
      input_audio_codec: 'pcm_s16le',
      sample_rate: '16000',
      flush_signal: 'true',
      reconnectAttempts: 0,
    });
    const messages: SarvamAI.SpeechToTextTranslateStreamingResponse[] = [];
    socket.on('message', (m) => messages.push(m));
    await socket.waitForOpen();
    for (const c of chunksOf(utterancePcm({ marker: 'greeting' }), 100)) socket.translate({ audio: c.toString('base64') });
    socket.flush();
    const data = await until(() => messages.find((m) => m.type === 'data'), 'translation');
    socket.close();
    expect(data.data).toMatchObject({ transcript: 'Hello', language_code: 'hi-IN' });
    expect(fake.requests[0]).toMatchObject({ path: '/speech-to-text-translate/ws', query: { model: 'saaras:v2.5' } });
  });

  it('streams TTS: config, text, flush and ping in; audio chunks then the final event out', async () => {
    const socket = await client.textToSpeechStreaming.connect({ model: 'bulbul:v3', send_completion_event: 'true', reconnectAttempts: 0 });
    const messages: Array<{ type: string; data: Record<string, unknown> }> = [];
    socket.on('message', (m) => messages.push(m as unknown as { type: string; data: Record<string, unknown> }));
    await socket.waitForOpen();
    socket.configureConnection({
      type: 'config',
      data: { language_code: 'hi-IN', speaker: 'shubh', speech_sample_rate: 16000, output_audio_codec: 'linear16' },
    });
    socket.convert('नमस्ते, मैं पॉड हूँ। आज आपकी दवा का समय है।');
    socket.ping();
    socket.flush();
    await until(() => messages.some((m) => m.type === 'event'), 'final event');
    socket.close();

    const audio = messages.filter((m) => m.type === 'audio');
    expect(audio).toHaveLength(2);
    expect(audio[0]!.data.content_type).toBe('audio/pcm');
    const pcm = Buffer.from(audio[0]!.data.audio as string, 'base64');
    expect(pcm.length % 2).toBe(0);
    expect(speechWindows(pcm, 16000).some(Boolean)).toBe(true);
    expect(messages.at(-1)).toMatchObject({ type: 'event', data: { event_type: 'final' } });

    const req = fake.requests[0]!;
    expect(req).toMatchObject({ path: '/text-to-speech/ws', query: { model: 'bulbul:v3', send_completion_event: 'true' } });
    const sent = req.frames.filter((f) => f.dir === 'in').map((f) => f.data as { type: string; data?: Record<string, unknown> });
    expect(sent.map((f) => f.type)).toEqual(['config', 'text', 'ping', 'flush']);
    expect(sent[0]!.data).toMatchObject({ language_code: 'hi-IN', speaker: 'shubh', speech_sample_rate: 16000, output_audio_codec: 'linear16' });
    expect(sent[1]!.data).toEqual({ text: 'नमस्ते, मैं पॉड हूँ। आज आपकी दवा का समय है।' });
  });

  it('refuses a WebSocket upgrade with a wrong key before any frame flows', async () => {
    const bad = new SarvamAIClient({ apiSubscriptionKey: 'wrong', baseUrl: fake.url, maxRetries: 0 });
    const socket = await bad.textToSpeechStreaming.connect({ model: 'bulbul:v3', reconnectAttempts: 0 });
    const opened = await socket.waitForOpen().then(
      () => true,
      () => false,
    );
    socket.close();
    expect(opened).toBe(false);
    expect(fake.requests[0]).toMatchObject({ kind: 'ws', status: 403, auth: { ok: false }, frames: [] });
  });
});
