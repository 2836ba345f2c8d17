/** SarvamTtsStream against the fake's /text-to-speech/ws over real sockets. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../src/errors.js';
import { SarvamError, SarvamTtsStream, type StreamClosedEvent, type StreamErrorEvent, type TtsStreamEvent } from '../../../../src/voice/providers/sarvam/index.js';
import { parseWav, speechWindows, startFakeSarvam, type FakeSarvam } from '../../../fakes/sarvam/index.js';
import { until } from '../../../fakes/sarvam/until.js';
import { readUntil } from './next-event.js';

type Ev = TtsStreamEvent | StreamErrorEvent | StreamClosedEvent;
const KEY = 'sk_tts_stream_key_0003';
let fake: FakeSarvam;
let conn: { baseUrl: string; apiKey: string };
const open: SarvamTtsStream[] = [];

beforeAll(async () => {
  fake = await startFakeSarvam({ apiKey: KEY });
  conn = { baseUrl: fake.url, apiKey: KEY };
});
afterAll(() => fake.close());
beforeEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  fake.clearRequests();
  fake.control.clearFailures();
});

async function start(opts: Partial<Parameters<typeof SarvamTtsStream.open>[0]> = {}) {
  const stream = await SarvamTtsStream.open({ ...conn, languageCode: 'hi-IN', pingIntervalMs: 0, ...opts });
  open.push(stream);
  return { stream, it: stream[Symbol.asyncIterator]() as AsyncIterator<Ev> };
}

const inbound = () => fake.requests[0]!.frames.filter((f) => f.dir === 'in').map((f) => f.data as { type: string; data?: Record<string, unknown> });

const SENTENCES = ['नमस्ते, आपकी सुबह की दवा का समय हो गया है।', 'कृपया एक गिलास पानी के साथ लीजिए।', 'मैं दस मिनट बाद फिर याद दिलाऊँगा।'];

describe('SarvamTtsStream', () => {
  it('sends the config first, text per sentence and flush; yields PCM chunks then final', async () => {
    const { stream, it: events } = await start();
    for (const s of SENTENCES) stream.sendText(s);
    stream.flush();
    const seen = await readUntil(events, (e) => e.type === 'final');

    expect(seen.map((e) => e.type)).toEqual(['audio', 'audio', 'audio', 'final']);
    for (const e of seen.slice(0, 3)) {
      const a = e as Extract<TtsStreamEvent, { type: 'audio' }>;
      expect(a.contentType).toBe('audio/pcm');
      expect(a.audio.length % 2).toBe(0);
      expect(speechWindows(a.audio, 16000).some(Boolean)).toBe(true);
    }

    const req = fake.requests[0]!;
    expect(req).toMatchObject({ kind: 'ws', path: '/text-to-speech/ws', auth: { via: ['header'], ok: true } });
    expect(req.query).toEqual({ model: 'bulbul:v3', send_completion_event: 'true' });
    expect(inbound()).toEqual([
      { type: 'config', data: { language_code: 'hi-IN', speaker: 'shubh', speech_sample_rate: 16000, output_audio_codec: 'linear16', min_buffer_size: 30 } },
      ...SENTENCES.map((text) => ({ type: 'text', data: { text } })),
      { type: 'flush' },
    ]);
    expect(JSON.stringify(fake.requests)).not.toContain(KEY);
  });

  it('passes voice options through and yields WAV when asked', async () => {
    const { stream, it: events } = await start({ languageCode: 'ta-IN', speaker: 'kavya', pace: 1.3, sampleRate: 8000, codec: 'wav', maxChunkLength: 200, minBufferSize: 60 });
    stream.sendText('வணக்கம்.');
    stream.flush();
    const seen = await readUntil(events, (e) => e.type === 'final');
    const audio = seen[0] as Extract<TtsStreamEvent, { type: 'audio' }>;
    expect(audio.contentType).toBe('audio/wav');
    expect(parseWav(audio.audio)?.sampleRate).toBe(8000);
    expect(inbound()[0]).toEqual({
      type: 'config',
      data: { language_code: 'ta-IN', speaker: 'kavya', pace: 1.3, speech_sample_rate: 8000, output_audio_codec: 'wav', min_buffer_size: 60, max_chunk_length: 200 },
    });
  });

  it('keeps a short sentence buffered until flush, as Sarvam does below min_buffer_size', async () => {
    const { stream, it: events } = await start();
    stream.sendText('हाँ।');
    stream.ping();
    await until(() => inbound().some((f) => f.type === 'ping'), 'ping recorded');
    expect(fake.requests[0]!.frames.some((f) => f.dir === 'out')).toBe(false);
    stream.flush();
    expect((await readUntil(events, (e) => e.type === 'final')).map((e) => e.type)).toEqual(['audio', 'final']);
  });

  it('splits a text over 2,500 characters into several text messages at sentence ends', async () => {
    const { stream } = await start();
    const long = 'यह एक लंबा वाक्य है जिसे बार बार दोहराया गया है ताकि सीमा पार हो जाए। '.repeat(50).trim();
    expect(long.length).toBeGreaterThan(2500);
    stream.sendText(long);
    await until(() => inbound().filter((f) => f.type === 'text').length === 2, 'two text frames');
    const texts = inbound()
      .filter((f) => f.type === 'text')
      .map((f) => f.data!.text as string);
    for (const t of texts) {
      expect(t.length).toBeLessThanOrEqual(2500);
      expect(t.endsWith('।')).toBe(true);
    }
    expect(texts.join(' ')).toBe(long);
  });

  it('pings on its own to keep the socket alive', async () => {
    await start({ pingIntervalMs: 20 });
    await until(() => inbound().filter((f) => f.type === 'ping').length >= 2, 'two keepalive pings');
  });

  it('surfaces a config Sarvam refuses as a stream error event', async () => {
    const { it: events } = await start({ codec: 'mp3' });
    const [first] = await readUntil(events, () => true);
    // The fake cannot produce mp3 and says so with Sarvam's error frame (code 501).
    expect(first).toMatchObject({ type: 'error', error: { kind: 'stream', status: 501, retryable: true } });
  });

  it('rejects an unsupported language, speaker or buffer size before connecting', async () => {
    await expect(SarvamTtsStream.open({ ...conn, languageCode: 'unknown' as 'hi-IN' })).rejects.toBeInstanceOf(AppError);
    await expect(SarvamTtsStream.open({ ...conn, languageCode: 'hi-IN', speaker: 'anushka' })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    await expect(SarvamTtsStream.open({ ...conn, languageCode: 'hi-IN', sampleRate: 48000 as 24000 })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    await expect(SarvamTtsStream.open({ ...conn, languageCode: 'hi-IN', minBufferSize: 10 })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(fake.requests).toHaveLength(0);
  });

  it('fails open with typed errors: 403 not retryable, 429 with Retry-After, connect timeout', async () => {
    const forbidden = await SarvamTtsStream.open({ ...conn, apiKey: 'nope', languageCode: 'hi-IN' }).catch((e: unknown) => e);
    expect(forbidden).toMatchObject({ status: 403, code: 'invalid_api_key_error', retryable: false });
    fake.control.inject('tts-ws', { kind: 'status', status: 429, retryAfterS: 1 });
    const limited = await SarvamTtsStream.open({ ...conn, languageCode: 'hi-IN' }).catch((e: unknown) => e);
    expect(limited).toMatchObject({ status: 429, retryable: true, retryAfterMs: 1000 });
    fake.control.inject('tts-ws', { kind: 'hang' });
    const slow = await SarvamTtsStream.open({ ...conn, languageCode: 'hi-IN', connectTimeoutMs: 150 }).catch((e: unknown) => e);
    expect(slow).toBeInstanceOf(SarvamError);
    expect(slow).toMatchObject({ kind: 'timeout', retryable: true });
  });

  it('turns a drop mid-reply into connection_lost then closed', async () => {
    fake.control.inject('tts-ws', { kind: 'drop', afterFrames: 2 });
    const { stream, it: events } = await start();
    stream.sendText(SENTENCES[0]!);
    const seen = await readUntil(events, (e) => e.type === 'closed');
    expect(seen.map((e) => e.type)).toEqual(['error', 'closed']);
    expect((seen[0] as StreamErrorEvent).error).toMatchObject({ code: 'connection_lost', retryable: true });
    expect(() => stream.flush()).toThrow(SarvamError);
  });

  it('reports a malformed frame and still delivers the audio after it', async () => {
    fake.control.inject('tts-ws', { kind: 'malformed', payload: '{"type":"audio","data":{"audio":42}}' });
    const { stream, it: events } = await start();
    stream.sendText(SENTENCES[0]!);
    stream.flush();
    const seen = await readUntil(events, (e) => e.type === 'final');
    expect(seen.map((e) => e.type)).toEqual(['error', 'audio', 'final']);
    expect(seen[0]).toMatchObject({ error: { kind: 'protocol', code: 'malformed_frame' } });
  });

  it("maps Sarvam's error frame with a 5xx code to a retryable stream error", async () => {
    fake.control.inject('tts-ws', { kind: 'error-frame' });
    const { it: events } = await start();
    // The config frame is the first client frame, so it draws the injected error.
    const [first] = await readUntil(events, () => true);
    expect(first).toMatchObject({ type: 'error', error: { kind: 'stream', status: 500, retryable: true } });
  });
});
