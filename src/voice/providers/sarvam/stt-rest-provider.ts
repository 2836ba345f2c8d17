/**
 * Sarvam STT over REST, per utterance: our pipeline finds the end of speech, the stream buffers
 * the utterance, and end() posts it as one WAV to /speech-to-text (or -translate). The detected
 * language comes back on the final, so the reply can be in the language that was spoken.
 */
import { writeWav } from '../../audio/wav.js';
import { concatInt16 } from '../../audio/pcm16.js';
import { EventQueue } from '../event-queue.js';
import { closeOnAbort } from '../sentence-queue.js';
import type { LanguageTag, SttEvent, SttProvider, SttStream, SttStreamOptions } from '../types.js';
import { callDepsFor, infoOf, sarvamCall, type SarvamCallDeps, type SarvamProviderDeps } from './call.js';
import type { SarvamSttLanguageOrDetect } from './catalog.js';
import { sttLanguageFor, type SarvamVoiceSettings } from './settings.js';
import { sttRest } from './stt-rest.js';
import { validationError } from '../../../errors.js';
import type { Resilience } from '../resilience.js';

const RATE = 16000;
/** Sarvam's REST limit; the pipeline caps utterances at 30 s too. */
const MAX_SAMPLES = 30 * RATE;

export type { SarvamProviderDeps } from './call.js';

export interface Recognised {
  text: string;
  /** The spoken language: detected when Sarvam was asked to detect. */
  language: LanguageTag;
  confidence?: number;
}

/** One recording → one transcript through the shared resilience layer. */
export async function recognise(
  deps: SarvamCallDeps,
  settings: SarvamVoiceSettings,
  pcm: Int16Array,
  language: SarvamSttLanguageOrDetect,
  requested: LanguageTag,
  signal?: AbortSignal,
): Promise<Recognised> {
  const audio = writeWav(pcm.length > MAX_SAMPLES ? pcm.subarray(0, MAX_SAMPLES) : pcm, RATE);
  const r = await sarvamCall(
    deps,
    ({ signal: attempt }) =>
      sttRest({
        baseUrl: settings.baseUrl,
        apiKey: settings.apiKey,
        // The attempt signal carries the deadline; this one only backs it up.
        timeoutMs: settings.timeoutMs + 1_000,
        signal: attempt,
        audio,
        audioFormat: 'wav',
        languageCode: language,
        model: settings.stt.model,
        translate: settings.stt.translate,
      }),
    signal,
  );
  return {
    text: r.transcript.trim(),
    language: r.languageCode ?? (language === 'unknown' ? requested : language),
    confidence: r.languageProbability,
  };
}

export class SarvamRestStt implements SttProvider {
  readonly name: string = 'sarvam-rest';
  protected readonly deps: SarvamCallDeps;

  constructor(
    protected readonly settings: SarvamVoiceSettings,
    deps: SarvamProviderDeps = {},
  ) {
    this.deps = callDepsFor('sarvam-stt', settings.timeoutMs, deps);
  }

  get resilience(): Resilience {
    return this.deps.resilience;
  }

  stream(opts: SttStreamOptions): SttStream {
    const language = sttLanguageFor(this.settings.stt.language, opts.language);
    return new RestSttStream((pcm, signal) => recognise(this.deps, this.settings, pcm, language, opts.language, signal), opts.signal);
  }

  async transcribe(pcm16k: Int16Array, language: LanguageTag, signal?: AbortSignal): Promise<{ text: string; language: LanguageTag }> {
    const code = sttLanguageFor(this.settings.stt.language, language);
    if (pcm16k.length === 0) throw validationError({ audio: 'must not be empty' });
    const r = await recognise(this.deps, this.settings, pcm16k, code, language, signal);
    return { text: r.text, language: r.language };
  }

  async close(): Promise<void> {}
}

class RestSttStream implements SttStream {
  private readonly events = new EventQueue<SttEvent>();
  private readonly abort = new AbortController();
  private frames: Int16Array[] = [];
  private samples = 0;
  private closed = false;

  constructor(
    private readonly run: (pcm: Int16Array, signal: AbortSignal) => Promise<Recognised>,
    signal?: AbortSignal,
  ) {
    closeOnAbort(signal, () => this.close());
  }

  push(frame: Int16Array): void {
    if (this.closed || frame.length === 0 || this.samples >= MAX_SAMPLES) return;
    // A copy: the caller may reuse its frame buffer.
    this.frames.push(frame.slice(0, MAX_SAMPLES - this.samples));
    this.samples += Math.min(frame.length, MAX_SAMPLES - this.samples);
  }

  async end(): Promise<void> {
    if (this.closed || this.samples === 0) return;
    const pcm = concatInt16(this.frames);
    this.frames = [];
    this.samples = 0;
    try {
      const r = await this.run(pcm, this.abort.signal);
      if (this.closed) return;
      if (r.text) this.events.push({ type: 'final', text: r.text, language: r.language, confidence: r.confidence });
    } catch (err) {
      if (this.closed) return;
      this.events.push({ type: 'error', error: infoOf(err) });
      this.close();
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    this.frames = [];
    this.events.end();
  }

  [Symbol.asyncIterator](): AsyncIterator<SttEvent> {
    return this.events[Symbol.asyncIterator]();
  }
}
