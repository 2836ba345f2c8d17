/**
 * `/speech-to-text/ws` and `/speech-to-text-translate/ws`: base64 audio in, VAD events and one final
 * transcript per utterance out (the legacy streaming API has no partials). An utterance ends on
 * trailing silence (the fake's energy VAD) or on `{"type":"flush"}` when flush_signal=true.
 */
import { pcmOf, speechWindows } from './audio.js';
import { STT_LANGUAGES, STT_MODELS, STT_MODES, STT_STREAM_CODECS, STT_STREAM_SAMPLE_RATES, STT_TRANSLATE_MODELS } from './catalog.js';
import { FakeHttpError, requestId, sleep } from './common.js';
import type { ScriptState } from './script.js';

export interface WsIO {
  send(message: unknown): void;
}

export interface SttWsParams {
  translate: boolean;
  language: string;
  mode?: string;
  sampleRate: number;
  vadSignals: boolean;
  flushSignal: boolean;
  highVadSensitivity: boolean;
}

function bool(q: Record<string, string>, name: string): boolean {
  const v = q[name];
  if (v === undefined) return false;
  if (v !== 'true' && v !== 'false') throw new FakeHttpError(400, `${name} must be true or false`);
  return v === 'true';
}

/** Checks the query before the upgrade, so a bad setting is an HTTP 400 rather than a dead socket. */
export function sttWsParams(q: Record<string, string>, translate: boolean): SttWsParams {
  const language = translate ? 'unknown' : q['language-code'];
  if (language === undefined) throw new FakeHttpError(400, 'language-code is required');
  if (!STT_LANGUAGES.includes(language)) throw new FakeHttpError(400, `Invalid language-code: ${language}`);
  if (q.model !== undefined && !(translate ? STT_TRANSLATE_MODELS : STT_MODELS).includes(q.model)) {
    throw new FakeHttpError(400, `Invalid model: ${q.model}`);
  }
  if (!translate && q.mode !== undefined && !STT_MODES.includes(q.mode)) throw new FakeHttpError(400, `Invalid mode: ${q.mode}`);
  if (q.input_audio_codec !== undefined && !STT_STREAM_CODECS.includes(q.input_audio_codec)) {
    throw new FakeHttpError(400, `Invalid input_audio_codec: ${q.input_audio_codec}`);
  }
  const sampleRate = q.sample_rate === undefined ? 16000 : Number(q.sample_rate);
  if (!STT_STREAM_SAMPLE_RATES.includes(sampleRate)) throw new FakeHttpError(400, `Invalid sample_rate: ${q.sample_rate}`);
  return {
    translate,
    language,
    mode: q.mode,
    sampleRate,
    vadSignals: bool(q, 'vad_signals'),
    flushSignal: bool(q, 'flush_signal'),
    highVadSensitivity: bool(q, 'high_vad_sensitivity'),
  };
}

const WINDOW_MS = 20;

export class SttWsSession {
  private chunks: Buffer[] = [];
  private inSpeech = false;
  private heardSpeech = false;
  private silentMs = 0;
  private audioMs = 0;
  /** Outputs are chained so scripted latency never reorders events. */
  private outbox: Promise<void> = Promise.resolve();

  constructor(
    private readonly io: WsIO,
    private readonly p: SttWsParams,
    private readonly state: ScriptState,
  ) {}

  private emit(message: unknown, delayMs = 0): void {
    this.outbox = this.outbox.then(async () => {
      if (delayMs > 0) await sleep(delayMs);
      this.io.send(message);
    });
  }

  private error(message: string, code = 'invalid_request_error'): void {
    this.emit({ type: 'error', data: { error: message, code } });
  }

  private signal(signalType: 'START_SPEECH' | 'END_SPEECH'): void {
    if (this.p.vadSignals) this.emit({ type: 'events', data: { signal_type: signalType, occured_at: Date.now() / 1000 } });
  }

  onMessage(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      this.error('Message is not valid JSON');
      return;
    }
    if (typeof msg !== 'object' || msg === null) {
      this.error('Message must be a JSON object');
      return;
    }
    const m = msg as Record<string, unknown>;
    if (m.audio !== undefined) {
      this.onAudio(m.audio);
    } else if (m.type === 'flush') {
      // Without flush_signal=true Sarvam ignores flush; the fake does the same so tests notice.
      if (this.p.flushSignal) this.finalize();
    } else if (m.type === 'config') {
      if (m.prompt !== undefined && typeof m.prompt !== 'string') this.error('prompt must be a string');
    } else {
      this.error('Unknown message type');
    }
  }

  private onAudio(audio: unknown): void {
    const a = audio as { data?: unknown; sample_rate?: unknown; encoding?: unknown } | null;
    if (typeof a !== 'object' || a === null || typeof a.data !== 'string' || a.data === '') {
      this.error('audio.data must be a non-empty base64 string');
      return;
    }
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(a.data)) {
      this.error('audio.data is not valid base64');
      return;
    }
    if (a.encoding !== undefined && a.encoding !== 'audio/wav') {
      this.error('audio.encoding must be audio/wav');
      return;
    }
    const chunk = Buffer.from(a.data, 'base64');
    this.chunks.push(chunk);
    const pcm = pcmOf(chunk);
    this.audioMs += (pcm.length / 2 / this.p.sampleRate) * 1000;
    const endSilence = (this.state.script.stt?.endSilenceMs ?? 1000) / (this.p.highVadSensitivity ? 2 : 1);
    for (const speech of speechWindows(pcm, this.p.sampleRate, WINDOW_MS)) {
      if (speech) {
        this.silentMs = 0;
        if (!this.inSpeech) {
          this.inSpeech = true;
          this.heardSpeech = true;
          this.signal('START_SPEECH');
        }
      } else if (this.inSpeech) {
        this.silentMs += WINDOW_MS;
        if (this.silentMs >= endSilence) {
          this.signal('END_SPEECH');
          this.finalize();
        }
      }
    }
  }

  /** One data frame for everything received since the last one; silence transcribes as "". */
  private finalize(): void {
    if (this.chunks.length === 0) return;
    const audio = Buffer.concat(this.chunks);
    const heard = this.heardSpeech;
    const seconds = this.audioMs / 1000;
    this.chunks = [];
    this.inSpeech = false;
    this.heardSpeech = false;
    this.silentMs = 0;
    this.audioMs = 0;
    const u = heard ? this.state.resolveUtterance(audio) : { transcript: '' };
    const detect = this.p.language === 'unknown';
    const english = this.p.translate || this.p.mode === 'translate';
    const latency = this.state.script.stt?.latencyMs ?? 0;
    this.emit(
      {
        type: 'data',
        data: {
          request_id: requestId(),
          transcript: english ? (u.translation ?? u.transcript) : u.transcript,
          timestamps: null,
          diarized_transcript: null,
          language_code: detect ? (heard ? this.state.detectedLanguage(u) : null) : this.p.language,
          language_probability: detect && heard ? (u.languageProbability ?? 0.93) : null,
          metrics: { audio_duration: Number(seconds.toFixed(3)), processing_latency: latency / 1000 },
        },
      },
      latency,
    );
  }
}
