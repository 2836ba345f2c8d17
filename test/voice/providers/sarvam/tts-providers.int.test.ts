/**
 * SarvamRestTts and SarvamStreamingTts (our TtsProvider contract) against the fake Sarvam server
 * over real sockets: request bodies and frames, audio at the session's rate, oversize text, and
 * each injected failure ending the stream with an error rather than a hang.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../src/errors.js';
import { SarvamRestTts, SarvamStreamingTts } from '../../../../src/voice/providers/sarvam/index.js';
import type { TtsEvent } from '../../../../src/voice/providers/types.js';
import { startFakeSarvam, type FakeSarvam } from '../../../fakes/sarvam/index.js';
import { audioSamples, depsFor, fakeSpeechSamples, RecordingLog, say, settingsFor } from './provider-support.js';

const KEY = 'sk_provider_tts_key_5512';
let fake: FakeSarvam;

const REPLY = ['आपका ब्लड प्रेशर सामान्य है।', 'पानी पीते रहिए।', 'कल फिर नापिए।'];

beforeAll(async () => {
  fake = await startFakeSarvam({ apiKey: KEY });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.clearRequests();
  fake.control.clearFailures();
  fake.control.setTtsDelayMs(0);
});

const rates = (events: TtsEvent[]) => [...new Set(events.filter((e) => e.type === 'audio').map((e) => (e as { sampleRate: number }).sampleRate))];

describe('SarvamRestTts', () => {
  it('posts one request per sentence with the documented body and hands out 16 kHz audio', async () => {
    const tts = new SarvamRestTts(settingsFor(fake.url, KEY, { ttsMode: 'rest', ttsPace: 1.1 }), depsFor('sarvam-tts'));
    const events = await say(tts.stream({ language: 'hi-IN', sampleRate: 16000 }), REPLY);
    expect(events.at(-1)).toEqual({ type: 'done' });
    expect(rates(events)).toEqual([16000]);
    const expected = REPLY.reduce((n, s) => n + Math.round((Math.max(200, Array.from(s).length * 60) / 1.1) * 16), 0);
    expect(audioSamples(events)).toBe(expected);

    expect(fake.requests.map((r) => [r.method, r.path, r.status])).toEqual(REPLY.map(() => ['POST', '/text-to-speech', 200]));
    expect(fake.requests.map((r) => r.body)).toEqual(
      REPLY.map((text) => ({ text, language_code: 'hi-IN', model: 'bulbul:v3', speaker: 'shubh', pace: 1.1, speech_sample_rate: 16000, output_audio_codec: 'wav' })),
    );
    for (const r of fake.requests) {
      expect(r.auth).toEqual({ via: ['header'], ok: true });
      expect(r.headers['content-type']).toBe('application/json');
    }
  });

  it('splits oversize text at sentence boundaries into requests under 2,500 characters', async () => {
    const tts = new SarvamRestTts(settingsFor(fake.url, KEY, { ttsMode: 'rest' }), depsFor('sarvam-tts'));
    const sentence = 'Drink a glass of water with every meal and keep a bottle near you through the day. ';
    const text = sentence.repeat(31).trim(); // ~2,600 characters
    const { pcm, sampleRate } = await tts.synthesize(text, 'en-IN', { sampleRate: 8000 });
    expect(sampleRate).toBe(8000);
    const bodies = fake.requests.map((r) => r.body as { text: string; speech_sample_rate: number });
    expect(bodies.length).toBe(2);
    for (const b of bodies) {
      expect(b.text.length).toBeLessThanOrEqual(2500);
      expect(b.text.endsWith('day.')).toBe(true);
      expect(b.speech_sample_rate).toBe(8000);
    }
    expect(bodies.map((b) => b.text).join(' ')).toBe(text);
    // The fake voices each sentence and puts 80 ms between sentences of one request.
    expect(pcm.length).toBe(31 * fakeSpeechSamples(sentence.trim(), 8000) + (31 - bodies.length) * 640);
  });

  it('converts to the session rate when Sarvam cannot send it directly', async () => {
    const tts = new SarvamRestTts(settingsFor(fake.url, KEY, { ttsMode: 'rest', ttsSampleRate: 22050 }), depsFor('sarvam-tts'));
    const events = await say(tts.stream({ language: 'en-IN', sampleRate: 16000 }), ['Your reading is normal.']);
    expect((fake.requests[0]!.body as { speech_sample_rate: number }).speech_sample_rate).toBe(22050);
    expect(rates(events)).toEqual([16000]);
    const want = fakeSpeechSamples('Your reading is normal.', 16000);
    expect(Math.abs(audioSamples(events) - want)).toBeLessThanOrEqual(2);
  });

  it('refuses an unsupported language with a 400 before any call, streaming or not', async () => {
    const tts = new SarvamRestTts(settingsFor(fake.url, KEY, { ttsMode: 'rest' }), depsFor('sarvam-tts'));
    expect(() => tts.stream({ language: 'fr-FR', sampleRate: 16000 })).toThrow(AppError);
    const err = await tts.synthesize('Bonjour.', 'fr-FR').catch((e: unknown) => e);
    expect(err).toMatchObject({ statusCode: 400, code: 'VALIDATION_ERROR', details: { language: expect.stringContaining('hi-IN') } });
    expect(fake.requests).toHaveLength(0);
  });

  it('retries a 503 and reports the stream failed when it persists', async () => {
    const deps = depsFor('sarvam-tts');
    const tts = new SarvamRestTts(settingsFor(fake.url, KEY, { ttsMode: 'rest' }), deps);
    fake.control.inject('tts', { kind: 'status', status: 503 }, 3);
    const events = await say(tts.stream({ language: 'en-IN', sampleRate: 16000 }), ['One.', 'Two.']);
    expect(events).toEqual([{ type: 'error', error: { code: 'unavailable', message: expect.stringContaining('503') } }]);
    expect(deps.retries).toHaveLength(2);
  });

  it('logs a rejected key once and stops calling', async () => {
    const log = new RecordingLog();
    const tts = new SarvamRestTts(settingsFor(fake.url, 'sk_not_the_key', { ttsMode: 'rest' }), depsFor('sarvam-tts', log));
    for (let i = 0; i < 3; i++) {
      const events = await say(tts.stream({ language: 'en-IN', sampleRate: 16000 }), ['Hello.']);
      expect(events.at(-1)).toMatchObject({ type: 'error' });
    }
    expect(fake.requests).toHaveLength(1);
    expect(log.lines.map((l) => l.level)).toEqual(['warn']);
    expect(log.text()).not.toContain('sk_not_the_key');
  });
});

describe('SarvamStreamingTts: /text-to-speech/ws', () => {
  it('sends config, then each sentence with a flush, pings, and ends with done after the last final', async () => {
    const tts = new SarvamStreamingTts(settingsFor(fake.url, KEY, { ttsSpeaker: 'priya' }), depsFor('sarvam-tts'));
    tts.pingIntervalMs = 30;
    fake.control.setTtsDelayMs(40);
    const events = await say(tts.stream({ language: 'hi-IN', sampleRate: 16000 }), REPLY);
    expect(events.at(-1)).toEqual({ type: 'done' });
    expect(events.filter((e) => e.type === 'done')).toHaveLength(1);
    expect(rates(events)).toEqual([16000]);
    expect(audioSamples(events)).toBe(REPLY.reduce((n, s) => n + fakeSpeechSamples(s, 16000), 0));

    const req = fake.requests[0]!;
    expect(req).toMatchObject({ kind: 'ws', path: '/text-to-speech/ws', status: 101, auth: { via: ['header'], ok: true } });
    expect(req.query).toEqual({ model: 'bulbul:v3', send_completion_event: 'true' });
    expect(req.rawUrl).not.toContain(KEY);
    const inbound = req.frames.filter((f) => f.dir === 'in').map((f) => f.data as { type: string; data?: Record<string, unknown> });
    expect(inbound[0]).toEqual({
      type: 'config',
      data: { language_code: 'hi-IN', speaker: 'priya', speech_sample_rate: 16000, output_audio_codec: 'linear16', min_buffer_size: 30 },
    });
    const rest = inbound.slice(1).filter((f) => f.type !== 'ping');
    expect(rest).toEqual(REPLY.flatMap((text) => [{ type: 'text', data: { text } }, { type: 'flush' }]));
    expect(inbound.some((f) => f.type === 'ping')).toBe(true);
    const finals = req.frames.filter((f) => f.dir === 'out' && (f.data as { type: string }).type === 'event');
    expect(finals).toHaveLength(3);
  });

  it('asks for 24 kHz when the session wants 48 kHz and resamples on the way out', async () => {
    const tts = new SarvamStreamingTts(settingsFor(fake.url, KEY), depsFor('sarvam-tts'));
    const events = await say(tts.stream({ language: 'en-IN', sampleRate: 48000 }), ['Take your tablet now.']);
    expect((fake.requests[0]!.frames[0]!.data as { data: { speech_sample_rate: number } }).data.speech_sample_rate).toBe(24000);
    expect(rates(events)).toEqual([48000]);
    const want = fakeSpeechSamples('Take your tablet now.', 48000);
    expect(Math.abs(audioSamples(events) - want)).toBeLessThanOrEqual(4);
  });

  it('sends nothing and is done at once for an empty reply', async () => {
    const tts = new SarvamStreamingTts(settingsFor(fake.url, KEY), depsFor('sarvam-tts'));
    const events = await say(tts.stream({ language: 'en-IN', sampleRate: 16000 }), ['  ', '\u0007']);
    expect(events).toEqual([{ type: 'done' }]);
    expect(fake.requests).toHaveLength(0);
  });

  it('close() mid-reply ends the iterator and closes the socket', async () => {
    const tts = new SarvamStreamingTts(settingsFor(fake.url, KEY), depsFor('sarvam-tts'));
    fake.control.setTtsDelayMs(200);
    const stream = tts.stream({ language: 'en-IN', sampleRate: 16000 });
    const seen: TtsEvent[] = [];
    const reading = (async () => {
      for await (const e of stream) seen.push(e);
    })();
    stream.pushText('This will be cut off.');
    stream.flush();
    await new Promise((r) => setTimeout(r, 80));
    stream.close();
    await reading;
    expect(seen.some((e) => e.type === 'done')).toBe(false);
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.control.openSockets()).toBe(0);
  });

  it.each([
    ['a 429 beyond the retry budget', { kind: 'status', status: 429, retryAfterS: 30 } as const, 'rate_limited'],
    ['a socket dropped after the config', { kind: 'drop', afterFrames: 2 } as const, 'unavailable'],
    ['an error frame', { kind: 'error-frame' } as const, 'unavailable'],
    ['a malformed frame', { kind: 'malformed', payload: '{"type":"audio","data":' } as const, 'internal'],
  ])('ends with an error event on %s', async (_what, failure, code) => {
    const tts = new SarvamStreamingTts(settingsFor(fake.url, KEY), depsFor('sarvam-tts', undefined, { maxRetries: 0 }));
    fake.control.inject('tts-ws', failure);
    const events = await say(tts.stream({ language: 'en-IN', sampleRate: 16000 }), ['First sentence here.', 'Second one.']);
    expect(events.at(-1)).toEqual({ type: 'error', error: { code, message: expect.any(String) } });
  });

  it('fails a stalled synthesis after the response timeout instead of hanging', async () => {
    const tts = new SarvamStreamingTts(settingsFor(fake.url, KEY, { timeoutMs: 250 }), depsFor('sarvam-tts'));
    fake.control.setTtsDelayMs(5_000);
    const events = await say(tts.stream({ language: 'en-IN', sampleRate: 16000 }), ['Slow.']);
    expect(events).toEqual([{ type: 'error', error: { code: 'timeout', message: expect.stringContaining('250 ms') } }]);
  });
});
