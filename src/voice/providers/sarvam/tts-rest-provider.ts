/**
 * Sarvam TTS over REST: one POST per sentence, in order, so the first sentence plays while the
 * rest are synthesised. Text over the model's limit is split at sentence boundaries first.
 */
import { validationError } from '../../../errors.js';
import { WavStreamParser } from '../../audio/wav.js';
import { concatInt16 } from '../../audio/pcm16.js';
import { ProviderError, type Resilience } from '../resilience.js';
import { closeOnAbort, SentenceQueueStream } from '../sentence-queue.js';
import type { LanguageTag, ProviderErrorInfo, TtsProvider, TtsStream, TtsStreamOptions } from '../types.js';
import { callDepsFor, infoOf, sarvamCall, type SarvamCallDeps, type SarvamProviderDeps } from './call.js';
import { SARVAM_TTS_MAX_CHARS, SARVAM_TTS_REST_SAMPLE_RATES, type SarvamTtsLanguage } from './catalog.js';
import { PcmOut } from './pcm-out.js';
import { ttsLanguageFor, type SarvamVoiceSettings } from './settings.js';
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
    this.deps = callDepsFor('sarvam-tts', settings.timeoutMs, deps);
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

class RestTtsStream extends SentenceQueueStream {
  private readonly abort = new AbortController();
  private readonly out: PcmOut;
  /** Sentences fully handed out as audio: a fallback resumes after these. */
  sentencesDone = 0;

  constructor(
    private readonly provider: SarvamRestTts,
    private readonly language: SarvamTtsLanguage,
    private readonly opts: TtsStreamOptions,
  ) {
    super();
    this.out = new PcmOut(opts.sampleRate, (pcm) => this.events.push({ type: 'audio', pcm, sampleRate: opts.sampleRate }));
    closeOnAbort(opts.signal, () => this.close());
  }

  protected clean(sentence: string): string {
    return cleanText(sentence);
  }

  protected async speak(sentence: string): Promise<void> {
    for (const piece of this.provider.split(sentence)) {
      const audio = await this.provider.synthesizeOne(piece, this.language, this.opts.sampleRate, this.abort.signal);
      if (this.closed) return;
      await this.out.push(audio.pcm, audio.sampleRate);
    }
    this.sentencesDone++;
  }

  protected finishAudio(): Promise<void> {
    return this.out.finish();
  }

  protected stop(): void {
    this.abort.abort();
    this.out.release();
  }

  protected errorInfo(err: unknown): ProviderErrorInfo {
    return infoOf(err);
  }
}
