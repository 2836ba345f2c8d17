/**
 * The speech provider contracts the voice pipeline knows (LiveKit agents style): a streaming STT
 * fed 16 kHz frames and read as an AsyncIterable of events, a streaming TTS fed sentences and
 * read as an AsyncIterable of audio chunks, and one-shot helpers for the REST routes. Which
 * implementation runs is a config decision; the pipeline never branches on it.
 */

/** BCP-47 style tag as WIRE.md uses it: 'en-IN', 'hi-IN', … or 'auto'. */
export type LanguageTag = string;

export interface SttStreamOptions {
  language: LanguageTag;
  /** Aborting closes the stream: the iterator ends and pending calls resolve. */
  signal?: AbortSignal;
}

export type SttEvent =
  /** The provider heard speech begin (its own VAD; the pipeline may also run one). */
  | { type: 'speech-start' }
  /** Hypothesis so far; replaced by later partials, superseded by the final. */
  | { type: 'partial'; text: string }
  /** The utterance's result: exactly one per utterance that had speech. */
  | { type: 'final'; text: string; language: LanguageTag; confidence?: number }
  /** After the final of an utterance. */
  | { type: 'speech-end' }
  /** The stream failed; no more events follow. */
  | { type: 'error'; error: ProviderErrorInfo };

export interface ProviderErrorInfo {
  code: 'timeout' | 'unavailable' | 'rate_limited' | 'bad_request' | 'internal' | 'cancelled';
  message: string;
}

export interface SttStream extends AsyncIterable<SttEvent> {
  /** 16 kHz mono samples; any length (20 ms frames are typical). Ignored after close(). */
  push(frame: Int16Array): void;
  /**
   * End of utterance now (push-to-talk `end`, or the pipeline's VAD end): resolves once the
   * utterance's `final` (if it had speech) has been emitted. The stream stays open for the next.
   */
  end(): Promise<void>;
  /** Ends the stream for good; the iterator finishes. Idempotent. */
  close(): void;
}

export interface SttProvider {
  readonly name: string;
  stream(opts: SttStreamOptions): SttStream;
  /** A whole recording (≤ 30 s) at 16 kHz → its transcript. */
  transcribe(pcm16k: Int16Array, language: LanguageTag, signal?: AbortSignal): Promise<{ text: string; language: LanguageTag }>;
  /** Starts expensive resources ahead of the first stream (optional). */
  warm?(): Promise<void>;
  close(): Promise<void>;
}

export interface TtsStreamOptions {
  language: LanguageTag;
  voice?: string;
  /** Output rate of the audio events. */
  sampleRate: number;
  signal?: AbortSignal;
}

export type TtsEvent =
  | { type: 'audio'; pcm: Int16Array; sampleRate: number }
  /** All pushed text has been spoken (after flush()). */
  | { type: 'done' }
  | { type: 'error'; error: ProviderErrorInfo };

export interface TtsStream extends AsyncIterable<TtsEvent> {
  /** Queues a sentence; sentences are spoken in order, each as soon as it is queued. */
  pushText(sentence: string): void;
  /** No more text for this reply: `done` follows the last audio. */
  flush(): void;
  /** Stops at once (barge-in): kills synthesis in flight, drops queued text, ends the iterator. */
  close(): void;
}

export interface TtsProvider {
  readonly name: string;
  stream(opts: TtsStreamOptions): TtsStream;
  synthesize(text: string, language: LanguageTag, opts?: { voice?: string; sampleRate?: number; signal?: AbortSignal }): Promise<{ pcm: Int16Array; sampleRate: number }>;
  close(): Promise<void>;
}
