/**
 * Sarvam TTS over REST: one POST per sentence, in order, so the first sentence plays while the
 * rest are synthesised. Text over the model's limit is split at sentence boundaries first.
 */
import { validationError } from '../../../errors.js';
import { WavStreamParser } from '../../audio/wav.js';
import { concatInt16 } from '../../audio/pcm16.js';
import { EventQueue } from '../event-queue.js';
import { ProviderError, type Resilience } from '../resilience.js';
import type { LanguageTag, TtsEvent, TtsProvider, TtsStream, TtsStreamOptions } from '../types.js';
import { infoOf, sarvamCall, sarvamResilience, SarvamKeyGate, type SarvamCallDeps } from './call.js';
import { SARVAM_TTS_MAX_CHARS, SARVAM_TTS_REST_SAMPLE_RATES, type SarvamTtsLanguage } from './catalog.js';
import { PcmOut } from './pcm-out.js';
import { ttsLanguageFor, type SarvamVoiceSettings } from './settings.js';
import type { SarvamProviderDeps } from './stt-rest-provider.js';
import { splitTextForTts } from './text-split.js';
import { ttsRest } from './tts-rest.js';

/** Control characters would only reach Sarvam as noise. */
export function cleanText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

export class SarvamRestTts implements TtsProvider {
  readonly name: string = 'sarvam-rest';
  protected readonly deps: SarvamCallDeps;
  protected readonly maxChars: number;

  constructor(
    protected readonly settings: SarvamVoiceSettings,
    deps: SarvamProviderDeps = {},
  ) {
    this.deps = {
      service: 'sarvam-tts',
      gate: deps.gate ?? new SarvamKeyGate(),
      resilience: deps.resilience ?? sarvamResilience('sarvam-tts', settings.timeoutMs),
    };
    this.maxChars = SARVAM_TTS_MAX_CHARS[settings.tts.model];
  }

  get resilience(): Resilience {
    return this.deps.resilience;
  }

  stream(opts: TtsStreamOptions): TtsStream {
    const language = ttsLanguageFor(opts.language);
    return new RestTtsStream(this, language, opts);
  }

  async synthesize(
    text: string,
    language: LanguageTag,
    opts: { voice?: string; sampleRate?: number; signal?: AbortSignal } = {},
  ): Promise<{ pcm: Int16Array; sampleRate: number }> {
    const code = ttsLanguageFor(language);
    const pieces = this.split(text);
    if (pieces.length === 0) throw validationError({ text: 'must contain something to say' });
    const sampleRate = opts.sampleRate ?? 16000;
    const parts: Int16Array[] = [];
    const out = new PcmOut(sampleRate, (pcm) => parts.push(pcm));
    try {
      for (const piece of pieces) {
        const audio = await this.synthesizeOne(piece, code, sampleRate, opts.signal);
        await out.push(audio.pcm, audio.sampleRate);
      }
      await out.finish();
    } finally {
      out.release();
    }
    return { pcm: concatInt16(parts), sampleRate };
  }

  async close(): Promise<void> {}

  /** Pieces Sarvam accepts in one request, cut at sentence boundaries. */
  split(text: string): string[] {
    const clean = cleanText(text);
    return clean ? splitTextForTts(clean, this.maxChars) : [];
  }

  /** One request of at most maxChars. */
  async synthesizeOne(text: string, language: SarvamTtsLanguage, outRate: number, signal?: AbortSignal): Promise<{ pcm: Int16Array; sampleRate: number }> {
    const s = this.settings;
    const rate = s.tts.sampleRate ?? ((SARVAM_TTS_REST_SAMPLE_RATES as readonly number[]).includes(outRate) ? outRate : 24000);
    return sarvamCall(
      this.deps,
      async ({ signal: attempt, markFirstByte }) => {
        const r = await ttsRest({
          baseUrl: s.baseUrl,
          apiKey: s.apiKey,
          timeoutMs: s.timeoutMs + 1_000,
          signal: attempt,
          text,
          languageCode: language,
          model: s.tts.model,
          speaker: s.tts.speaker,
          pace: s.tts.pace,
          sampleRate: rate,
          codec: 'wav',
        });
        markFirstByte();
        // The 16-bit PCM WAV we asked for: a plain header walk (a general WAV reader costs tens of ms per file at p99).
        const parser = new WavStreamParser();
        try {
          const pcm = parser.push(r.audios[0]!);
          if (parser.sampleRate === undefined) throw new Error('no data chunk');
          return { pcm, sampleRate: parser.sampleRate };
        } catch (err) {
          // A 200 whose audio we cannot read is Sarvam's fault, and not worth repeating.
          throw new ProviderError('sarvam-tts returned unreadable audio', { retryable: false, code: 'internal', cause: err });
        }
      },
      signal,
    );
  }
}

class RestTtsStream implements TtsStream {
  private readonly events = new EventQueue<TtsEvent>();
  private readonly abort = new AbortController();
  private readonly queue: string[] = [];
  private readonly out: PcmOut;
  private flushed = false;
  private closed = false;
  private running = false;
  /** Sentences fully handed out as audio: a fallback resumes after these. */
  sentencesDone = 0;

  constructor(
    private readonly provider: SarvamRestTts,
    private readonly language: SarvamTtsLanguage,
    private readonly opts: TtsStreamOptions,
  ) {
    this.out = new PcmOut(opts.sampleRate, (pcm) => this.events.push({ type: 'audio', pcm, sampleRate: opts.sampleRate }));
    if (opts.signal?.aborted) this.close();
    else opts.signal?.addEventListener('abort', () => this.close(), { once: true });
  }

  pushText(sentence: string): void {
    if (this.closed || this.flushed) return;
    const text = cleanText(sentence);
    if (!text) return;
    this.queue.push(text);
    void this.pump();
  }

  flush(): void {
    if (this.closed || this.flushed) return;
    this.flushed = true;
    void this.pump();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.abort.abort();
    this.out.release();
    this.events.clear();
  }

  [Symbol.asyncIterator](): AsyncIterator<TtsEvent> {
    return this.events[Symbol.asyncIterator]();
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (!this.closed && this.queue.length > 0) {
        const sentence = this.queue.shift()!;
        for (const piece of this.provider.split(sentence)) {
          const audio = await this.provider.synthesizeOne(piece, this.language, this.opts.sampleRate, this.abort.signal);
          if (this.closed) return;
          await this.out.push(audio.pcm, audio.sampleRate);
        }
        this.sentencesDone++;
      }
      if (!this.closed && this.flushed && this.queue.length === 0) {
        await this.out.finish();
        this.events.push({ type: 'done' });
        this.events.end();
      }
    } catch (err) {
      if (this.closed) return;
      this.events.push({ type: 'error', error: infoOf(err) });
      this.events.end();
      this.closed = true;
      this.abort.abort();
      this.out.release();
    } finally {
      this.running = false;
    }
  }
}
