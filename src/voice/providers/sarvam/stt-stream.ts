/**
 * Streaming speech-to-text over `/speech-to-text/ws` (or `/speech-to-text-translate/ws`): audio is
 * sent base64-encoded as it arrives, `flush()` ends an utterance, and Sarvam's frames become
 * speech-start / speech-end / transcript events. This legacy streaming API sends no partials, so
 * every transcript is final.
 */
import {
  checkSttRequest,
  SARVAM_STT_STREAM_SAMPLE_RATES,
  type SarvamSttLanguageOrDetect,
  type SarvamSttMode,
  type SarvamSttModel,
  type SarvamSttTranslateModel,
} from './catalog.js';
import { validationError } from '../../../errors.js';
import { isRetryableStatus, SarvamError } from './errors.js';
import { SarvamStream, type SarvamWsOptions } from './ws-stream.js';

export interface SttStreamOptions extends SarvamWsOptions {
  /** `unknown` (default) detects the language; not sent when translating. */
  languageCode?: SarvamSttLanguageOrDetect;
  /** Use `/speech-to-text-translate/ws`: transcripts come back in English. */
  translate?: boolean;
  /** Default saaras:v3, or saaras:v2.5 when translating. */
  model?: SarvamSttModel | SarvamSttTranslateModel;
  mode?: SarvamSttMode;
  /** Hz of the audio sent: 16000 (default) or 8000. */
  sampleRate?: 8000 | 16000;
  /** Raw 16-bit mono PCM (default) or WAV chunks. */
  inputAudioCodec?: 'pcm_s16le' | 'wav';
  /** Ask for START_SPEECH / END_SPEECH frames. Default true. */
  vadSignals?: boolean;
  highVadSensitivity?: boolean;
}

export type SttStreamEvent =
  | { type: 'speech-start'; occurredAt?: number }
  | { type: 'speech-end'; occurredAt?: number }
  | {
      type: 'transcript';
      final: true;
      text: string;
      /** Spoken language: detected for `unknown`, else as requested. */
      languageCode?: string;
      languageProbability?: number;
      requestId?: string;
      audioDurationS?: number;
    };

const RETRYABLE_STREAM_CODES = new Set(['internal_server_error', 'rate_limit_exceeded_error']);

function queryOf(opts: SttStreamOptions, translate: boolean, model: string): Record<string, string> {
  const q: Record<string, string> = {};
  if (!translate) q['language-code'] = opts.languageCode ?? 'unknown';
  q.model = model;
  if (!translate && opts.mode) q.mode = opts.mode;
  q.input_audio_codec = opts.inputAudioCodec ?? 'pcm_s16le';
  q.sample_rate = String(opts.sampleRate ?? 16000);
  q.vad_signals = String(opts.vadSignals ?? true);
  // Without flush_signal=true Sarvam ignores {"type":"flush"}; we always end utterances with it.
  q.flush_signal = 'true';
  if (opts.highVadSensitivity !== undefined) q.high_vad_sensitivity = String(opts.highVadSensitivity);
  return q;
}

export class SarvamSttStream extends SarvamStream<SttStreamEvent> {
  private readonly sampleRate: number;

  private constructor(opts: SttStreamOptions, path: string, query: Record<string, string>) {
    super(opts, path, query);
    this.sampleRate = opts.sampleRate ?? 16000;
  }

  /** Validates, connects, and resolves once Sarvam accepted the stream. */
  static async open(opts: SttStreamOptions): Promise<SarvamSttStream> {
    const { translate, model } = checkSttRequest(opts);
    if (opts.sampleRate !== undefined && !(SARVAM_STT_STREAM_SAMPLE_RATES as readonly number[]).includes(opts.sampleRate)) {
      throw validationError({ sampleRate: `must be one of ${SARVAM_STT_STREAM_SAMPLE_RATES.join(', ')}` });
    }
    const path = translate ? '/speech-to-text-translate/ws' : '/speech-to-text/ws';
    const stream = new SarvamSttStream(opts, path, queryOf(opts, translate, model));
    await stream.ready();
    return stream;
  }

  /** Sends one chunk of audio (any size) as Sarvam's base64 audio message. */
  sendAudio(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return;
    const data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('base64');
    this.sendJson({ audio: { data, sample_rate: this.sampleRate, encoding: 'audio/wav' } });
  }

  /** End of utterance: Sarvam finalises what it has and sends the transcript. */
  flush(): void {
    this.sendJson({ type: 'flush' });
  }

  protected handleMessage(msg: Record<string, unknown>): boolean {
    const data = msg.data as Record<string, unknown> | undefined;
    if (typeof data !== 'object' || data === null) return false;
    switch (msg.type) {
      case 'data': {
        if (typeof data.transcript !== 'string') return false;
        const metrics = data.metrics as { audio_duration?: unknown } | undefined;
        this.emit({
          type: 'transcript',
          final: true,
          text: data.transcript,
          languageCode: typeof data.language_code === 'string' ? data.language_code : undefined,
          languageProbability: typeof data.language_probability === 'number' ? data.language_probability : undefined,
          requestId: typeof data.request_id === 'string' ? data.request_id : undefined,
          audioDurationS: typeof metrics?.audio_duration === 'number' ? metrics.audio_duration : undefined,
        });
        return true;
      }
      case 'events': {
        const at = typeof data.occured_at === 'number' ? data.occured_at : undefined;
        if (data.signal_type === 'START_SPEECH') this.emit({ type: 'speech-start', occurredAt: at });
        else if (data.signal_type === 'END_SPEECH') this.emit({ type: 'speech-end', occurredAt: at });
        // Other event kinds are informational; newer servers may add them.
        return true;
      }
      case 'error': {
        const code = typeof data.code === 'string' ? data.code : typeof data.code === 'number' ? String(data.code) : 'stream_error';
        const status = typeof data.code === 'number' ? data.code : undefined;
        this.emitError(
          new SarvamError({
            kind: 'stream',
            code,
            status,
            message: 'Sarvam reported a speech-to-text stream error',
            retryable: RETRYABLE_STREAM_CODES.has(code) || (status !== undefined && isRetryableStatus(status)),
          }),
        );
        return true;
      }
      default:
        return false;
    }
  }
}
