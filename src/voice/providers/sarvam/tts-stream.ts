/**
 * Streaming text-to-speech over `/text-to-speech/ws`: the config goes first, then text per sentence,
 * then flush; audio chunks come back as they are synthesised, and a final event once the flushed
 * text is done. A ping keeps the socket alive across long pauses (Sarvam drops idle sockets after a minute).
 */
import { validationError } from '../../../errors.js';
import {
  checkTtsRequest,
  SARVAM_TTS_MAX_CHARS,
  type SarvamTtsCodec,
  type SarvamTtsLanguage,
  type SarvamTtsModel,
} from './catalog.js';
import { isRetryableStatus, SarvamError } from './errors.js';
import { splitTextForTts } from './text-split.js';
import { SarvamStream, type SarvamWsOptions } from './ws-stream.js';

export interface TtsStreamOptions extends SarvamWsOptions {
  languageCode: SarvamTtsLanguage;
  /** Default bulbul:v3. */
  model?: SarvamTtsModel;
  speaker?: string;
  pace?: number;
  /** 8000, 16000 (default), 22050 or 24000 Hz. */
  sampleRate?: 8000 | 16000 | 22050 | 24000;
  /** Default linear16: raw 16-bit PCM chunks that concatenate without headers. */
  codec?: SarvamTtsCodec;
  /**
   * Characters Sarvam buffers before it starts synthesising (30–200). Default 30, the lowest, so
   * the first sentence starts speaking as soon as it is sent.
   */
  minBufferSize?: number;
  /** Longest piece Sarvam synthesises at once (50–500); Sarvam's default when absent. */
  maxChunkLength?: number;
  /** Ask for the final event after a flush. Default true. */
  sendCompletionEvent?: boolean;
  /** Ping period; 0 turns keepalive off. Default 20 s. */
  pingIntervalMs?: number;
}

export type TtsStreamEvent =
  | { type: 'audio'; audio: Buffer; contentType: string; requestId?: string }
  /** Everything flushed so far has been synthesised. */
  | { type: 'final' };

function intIn(field: string, v: number | undefined, lo: number, hi: number): void {
  if (v !== undefined && !(Number.isInteger(v) && v >= lo && v <= hi)) throw validationError({ [field]: `must be an integer from ${lo} to ${hi}` });
}

export class SarvamTtsStream extends SarvamStream<TtsStreamEvent> {
  private readonly maxChars: number;

  private constructor(opts: TtsStreamOptions, model: SarvamTtsModel) {
    super(opts, '/text-to-speech/ws', { model, send_completion_event: String(opts.sendCompletionEvent ?? true) });
    this.maxChars = SARVAM_TTS_MAX_CHARS[model];
  }

  static async open(opts: TtsStreamOptions): Promise<SarvamTtsStream> {
    const sampleRate = opts.sampleRate ?? 16000;
    const { model, speaker } = checkTtsRequest(opts, sampleRate, true);
    intIn('minBufferSize', opts.minBufferSize, 30, 200);
    intIn('maxChunkLength', opts.maxChunkLength, 50, 500);

    const stream = new SarvamTtsStream(opts, model);
    await stream.ready();
    const config: Record<string, unknown> = {
      language_code: opts.languageCode,
      speaker,
      speech_sample_rate: sampleRate,
      output_audio_codec: opts.codec ?? 'linear16',
      min_buffer_size: opts.minBufferSize ?? 30,
    };
    if (opts.pace !== undefined) config.pace = opts.pace;
    if (opts.maxChunkLength !== undefined) config.max_chunk_length = opts.maxChunkLength;
    stream.sendJson({ type: 'config', data: config });
    const every = opts.pingIntervalMs ?? 20_000;
    if (every > 0) stream.every(every, () => stream.isOpen && stream.ping());
    return stream;
  }

  /** Queues text (typically one sentence); text over the model's limit goes as several messages. */
  sendText(text: string): void {
    for (const part of splitTextForTts(text, this.maxChars)) this.sendJson({ type: 'text', data: { text: part } });
  }

  /** Synthesise whatever is buffered now; a final event follows when it is done. */
  flush(): void {
    this.sendJson({ type: 'flush' });
  }

  ping(): void {
    this.sendJson({ type: 'ping' });
  }

  protected handleMessage(msg: Record<string, unknown>): boolean {
    const data = msg.data as Record<string, unknown> | undefined;
    if (typeof data !== 'object' || data === null) return false;
    switch (msg.type) {
      case 'audio': {
        if (typeof data.audio !== 'string') return false;
        this.emit({
          type: 'audio',
          audio: Buffer.from(data.audio, 'base64'),
          contentType: typeof data.content_type === 'string' ? data.content_type : 'application/octet-stream',
          requestId: typeof data.request_id === 'string' ? data.request_id : undefined,
        });
        return true;
      }
      case 'event':
        if (data.event_type === 'final') this.emit({ type: 'final' });
        return true;
      case 'error': {
        const status = typeof data.code === 'number' ? data.code : undefined;
        this.emitError(
          new SarvamError({
            kind: 'stream',
            code: typeof data.code === 'string' ? data.code : status !== undefined ? `stream_error_${status}` : 'stream_error',
            status,
            message: 'Sarvam reported a text-to-speech stream error',
            retryable: status !== undefined && isRetryableStatus(status),
          }),
        );
        return true;
      }
      default:
        return false;
    }
  }
}
