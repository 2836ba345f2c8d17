/**
 * `/text-to-speech/ws`: config first, then text is buffered until `min_buffer_size` characters or a
 * flush; each sentence is "synthesised" (after the scripted per-sentence delay) into audio frames
 * of at most `max_chunk_length` characters; a flush ends with the final event when
 * send_completion_event=true.
 */
import { CONTENT_TYPES, encodeAudio, FAKE_TTS_CODECS, type FakeTtsCodec } from './audio.js';
import { TTS_CODECS, TTS_DEFAULT_SPEAKER, TTS_LANGUAGES, TTS_MODELS, TTS_PACE, TTS_SPEAKERS, TTS_WS_SAMPLE_RATES } from './catalog.js';
import { FakeHttpError, isFiniteNumber, requestId, sentencesOf, sleep, speechPcm } from './common.js';
import type { ScriptState } from './script.js';
import type { WsIO } from './stt-ws.js';

export interface TtsWsParams {
  model: string;
  completionEvent: boolean;
}

export function ttsWsParams(q: Record<string, string>): TtsWsParams {
  const model = q.model ?? 'bulbul:v2';
  if (!TTS_MODELS.includes(model)) throw new FakeHttpError(400, `Invalid model: ${model}`);
  const flag = q.send_completion_event ?? 'true';
  if (flag !== 'true' && flag !== 'false') throw new FakeHttpError(400, 'send_completion_event must be true or false');
  return { model, completionEvent: flag === 'true' };
}

interface TtsConfig {
  language: string;
  pace: number;
  sampleRate: number;
  codec: FakeTtsCodec;
  minBufferSize: number;
  maxChunkLength: number;
}

const MAX_TEXT = 2500;

class ConfigError extends Error {}

function intIn(v: unknown, name: string, lo: number, hi: number, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  if (!Number.isInteger(v) || (v as number) < lo || (v as number) > hi) throw new ConfigError(`${name} must be an integer from ${lo} to ${hi}`);
  return v as number;
}

/** Splits a sentence into pieces of at most `max` characters, at spaces where possible. */
function piecesOf(sentence: string, max: number): string[] {
  const out: string[] = [];
  let rest = sentence;
  while (rest.length > max) {
    const cut = rest.lastIndexOf(' ', max);
    const at = cut > 0 ? cut : max;
    out.push(rest.slice(0, at).trim());
    rest = rest.slice(at).trim();
  }
  if (rest) out.push(rest);
  return out;
}

export class TtsWsSession {
  private config?: TtsConfig;
  private buffer = '';
  private outbox: Promise<void> = Promise.resolve();

  constructor(
    private readonly io: WsIO,
    private readonly p: TtsWsParams,
    private readonly state: ScriptState,
  ) {}

  private error(message: string, code = 400): void {
    this.outbox = this.outbox.then(() => this.io.send({ type: 'error', data: { message, code, request_id: requestId() } }));
  }

  onMessage(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      this.error('Message is not valid JSON');
      return;
    }
    const m = (typeof msg === 'object' && msg !== null ? msg : {}) as { type?: unknown; data?: unknown };
    switch (m.type) {
      case 'config':
        this.onConfig(m.data);
        return;
      case 'text': {
        if (!this.config) return this.error('Send a config message before text');
        const t = (m.data as { text?: unknown } | undefined)?.text;
        if (typeof t !== 'string' || t.trim() === '') return this.error('data.text must be a non-empty string');
        if (t.length > MAX_TEXT) return this.error(`data.text exceeds ${MAX_TEXT} characters`);
        this.buffer = this.buffer ? `${this.buffer} ${t}` : t;
        if (this.buffer.length >= this.config.minBufferSize) this.drain();
        return;
      }
      case 'flush':
        if (!this.config) return this.error('Send a config message before flush');
        this.drain();
        if (this.p.completionEvent) {
          this.outbox = this.outbox.then(() =>
            this.io.send({ type: 'event', data: { event_type: 'final', message: 'Synthesis complete', timestamp: new Date().toISOString() } }),
          );
        }
        return;
      case 'ping':
        return;
      default:
        this.error('Unknown message type');
    }
  }

  private onConfig(data: unknown): void {
    try {
      if (typeof data !== 'object' || data === null) throw new ConfigError('config data must be an object');
      const d = data as Record<string, unknown>;
      const language = d.language_code ?? d.target_language_code;
      if (typeof language !== 'string' || !TTS_LANGUAGES.includes(language)) throw new ConfigError(`Invalid language_code: ${String(language)}`);
      const model = this.p.model;
      const speaker = d.speaker ?? TTS_DEFAULT_SPEAKER[model];
      if (typeof speaker !== 'string' || !TTS_SPEAKERS[model]!.includes(speaker)) {
        throw new ConfigError(`Speaker ${String(speaker)} is not compatible with model ${model}`);
      }
      const [lo, hi] = TTS_PACE[model]!;
      const pace = d.pace ?? 1;
      if (!isFiniteNumber(pace) || pace < lo || pace > hi) throw new ConfigError(`pace must be between ${lo} and ${hi}`);
      const sampleRate = d.speech_sample_rate ?? (model === 'bulbul:v3' ? 24000 : 22050);
      if (!isFiniteNumber(sampleRate) || !TTS_WS_SAMPLE_RATES.includes(sampleRate)) {
        throw new ConfigError(`Unsupported speech_sample_rate: ${String(sampleRate)}`);
      }
      const codec = d.output_audio_codec ?? 'mp3';
      if (typeof codec !== 'string' || !TTS_CODECS.includes(codec)) throw new ConfigError(`Unsupported output_audio_codec: ${String(codec)}`);
      if (!(FAKE_TTS_CODECS as readonly string[]).includes(codec)) {
        this.error(`The fake Sarvam server cannot produce ${codec}; use wav, linear16, mulaw or alaw`, 501);
        return;
      }
      // A new config flushes what is buffered under the old one, as Sarvam documents.
      if (this.config && this.buffer) this.drain();
      this.config = {
        language,
        pace,
        sampleRate,
        codec: codec as FakeTtsCodec,
        minBufferSize: intIn(d.min_buffer_size, 'min_buffer_size', 30, 200, 50),
        maxChunkLength: intIn(d.max_chunk_length, 'max_chunk_length', 50, 500, 150),
      };
    } catch (err) {
      if (err instanceof ConfigError) this.error(err.message, 422);
      else throw err;
    }
  }

  private drain(): void {
    const text = this.buffer;
    this.buffer = '';
    const cfg = this.config;
    if (!text || !cfg) return;
    const tts = this.state.script.tts;
    for (const sentence of sentencesOf(text)) {
      this.outbox = this.outbox.then(async () => {
        await sleep(this.state.ttsDelayMs);
        for (const piece of piecesOf(sentence, cfg.maxChunkLength)) {
          const pcm = speechPcm(piece, cfg.sampleRate, cfg.pace, tts?.audioMsPerChar ?? 60, tts?.toneHz ?? 220);
          this.io.send({
            type: 'audio',
            data: { content_type: CONTENT_TYPES[cfg.codec], audio: encodeAudio(pcm, cfg.sampleRate, cfg.codec).toString('base64'), request_id: requestId() },
          });
        }
      });
    }
  }
}
