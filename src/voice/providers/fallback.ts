/**
 * Keeps a turn alive when the cloud speech provider fails (circuit open, 5xx after retries,
 * timeout, rejected key, a dropped or garbled stream): the utterance goes to the local recogniser
 * when it is English (the only language it knows), otherwise the stream reports `unavailable`
 * and the pipeline speaks `speechApology(language)`; replies are always spoken, by the local
 * synthesiser if need be, from the first sentence the cloud did not finish. Every wait has a
 * deadline, so a turn never hangs on a provider that stopped answering.
 *
 * Logging is per change of state (failing → recovered), not per turn, so an outage is a couple
 * of lines; a rejected key is reported once by the Sarvam key gate and not again here.
 */
import { isAppError, upstreamUnavailable } from '../../errors.js';
import { EventQueue } from './event-queue.js';
import { ProviderError } from './resilience.js';
import type { ProviderLog } from './sarvam/call.js';
import type { LanguageTag, ProviderErrorInfo, SttEvent, SttProvider, SttStream, SttStreamOptions, TtsEvent, TtsProvider, TtsStream, TtsStreamOptions } from './types.js';
import { speakingLocale } from '../../../prompts/lang.js';
import { SPEECH_UNAVAILABLE } from '../../../prompts/voice.js';

export interface FallbackOptions {
  log?: ProviderLog;
  /** STT: longest wait for the cloud's final after end() before the utterance is handled locally. Default 8 s. */
  sttDeadlineMs?: number;
  /** TTS: longest silence from the cloud while a reply is owed before the local voice takes over. Default 10 s. */
  ttsStallMs?: number;
  /** True while failures are already reported elsewhere (a rejected key): nothing more is logged. */
  quiet?: () => boolean;
}

const RATE = 16000;
const MAX_UTTERANCE_SAMPLES = 30 * RATE;

/**
 * The short apology for a turn whose speech could not be recognised, in the user's language where
 * we have one (English otherwise), with the language to speak it in.
 */
export function speechApology(language: LanguageTag): { text: string; language: LanguageTag } {
  const base = language.split('-')[0]!.toLowerCase();
  const text = SPEECH_UNAVAILABLE[base];
  return text ? { text, language: speakingLocale(language) } : { text: SPEECH_UNAVAILABLE.en, language: 'en-IN' };
}

/** The local recogniser hears English only; `auto` is treated as English, as the pipeline does. */
export function localSttCanHear(language: LanguageTag): boolean {
  return language === 'auto' || language.toLowerCase().startsWith('en');
}

function infoOf(err: unknown): ProviderErrorInfo {
  if (err instanceof ProviderError) return err.toInfo();
  return { code: 'internal', message: err instanceof Error ? err.message : 'provider failed' };
}

/** Logs a provider going bad once, and its recovery once. */
class Health {
  private failing = false;

  constructor(
    private readonly what: string,
    private readonly provider: string,
    private readonly opts: FallbackOptions,
  ) {}

  failed(err: ProviderErrorInfo): void {
    if (this.failing) return;
    this.failing = true;
    if (this.opts.quiet?.()) return;
    this.opts.log?.warn({ provider: this.provider, code: err.code }, `${this.what} failed (${err.code}); turns fall back to the local provider until it answers again`);
  }

  recovered(): void {
    if (!this.failing) return;
    this.failing = false;
    this.opts.log?.info({ provider: this.provider }, `${this.what} answers again`);
  }
}

/** Builds a provider once, on first need; a provider that cannot start (assets missing) is none. */
function lazy<T>(make: (() => T) | undefined, log: ProviderLog | undefined, what: string): () => T | undefined {
  let made: T | undefined;
  let failed = false;
  return () => {
    if (made || failed || !make) return made;
    try {
      made = make();
    } catch (err) {
      failed = true;
      log?.warn({ err: err instanceof Error ? err.name : 'error' }, `the local ${what} cannot start; there is no fallback`);
    }
    return made;
  };
}

const nextMacrotask = () => new Promise<void>((r) => setImmediate(r));

// ---------------------------------------------------------------------------------------------
// Speech-to-text

export class FallbackStt implements SttProvider {
  readonly name: string;
  readonly health: Health;
  readonly local: () => SttProvider | undefined;

  constructor(
    readonly primary: SttProvider,
    local: (() => SttProvider) | undefined,
    readonly opts: FallbackOptions = {},
  ) {
    this.name = `${primary.name}+local`;
    this.health = new Health('cloud speech-to-text', primary.name, opts);
    this.local = lazy(local, opts.log, 'speech recogniser');
  }

  stream(opts: SttStreamOptions): SttStream {
    return new FallbackSttStream(this, opts);
  }

  async transcribe(pcm16k: Int16Array, language: LanguageTag, signal?: AbortSignal): Promise<{ text: string; language: LanguageTag }> {
    try {
      const r = await this.primary.transcribe(pcm16k, language, signal);
      this.health.recovered();
      return r;
    } catch (err) {
      // Our own 400s (unsupported language, empty audio) and cancellations are not outages.
      if (isAppError(err) || signal?.aborted) throw err;
      this.health.failed(infoOf(err));
      const local = localSttCanHear(language) ? this.local() : undefined;
      if (!local) throw upstreamUnavailable('Speech recognition', retryAfterS(err));
      return local.transcribe(pcm16k, language, signal);
    }
  }

  async warm(): Promise<void> {
    await this.primary.warm?.();
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.primary.close(), this.local()?.close()]);
  }
}

function retryAfterS(err: unknown): number | undefined {
  return err instanceof ProviderError && err.retryAfterMs ? Math.ceil(err.retryAfterMs / 1000) : undefined;
}

class FallbackSttStream implements SttStream {
  private readonly events = new EventQueue<SttEvent>();
  private primary: SttStream | undefined;
  private primaryError: ProviderErrorInfo | undefined;
  private onPrimaryError: (() => void) | undefined;
  private local: SttStream | undefined;
  private utterance: Int16Array[] = [];
  private samples = 0;
  private inUtterance = false;
  private finalSeen = false;
  private heardLanguage: LanguageTag | undefined;
  private closed = false;

  constructor(
    private readonly owner: FallbackStt,
    private readonly opts: SttStreamOptions,
  ) {
    if (opts.signal?.aborted) this.close();
    else opts.signal?.addEventListener('abort', () => this.close(), { once: true });
  }

  push(frame: Int16Array): void {
    if (this.closed || frame.length === 0) return;
    if (!this.inUtterance) {
      this.inUtterance = true;
      if (!this.primary) this.openPrimary();
    }
    if (this.samples < MAX_UTTERANCE_SAMPLES) {
      // Kept until the utterance is recognised: the local recogniser may need to hear it again.
      this.utterance.push(frame.slice());
      this.samples += frame.length;
    }
    this.primary?.push(frame);
  }

  async end(): Promise<void> {
    if (this.closed) return;
    const frames = this.utterance;
    this.utterance = [];
    this.samples = 0;
    this.inUtterance = false;
    this.finalSeen = false;
    if (frames.length === 0) return;

    const primary = this.primary;
    if (primary && !this.primaryError) {
      const outcome = await this.endPrimary(primary);
      // Events the primary queued before resolving reach our queue on the next turn of the loop.
      await nextMacrotask();
      if (this.closed) return;
      if (outcome === 'ok' && !this.primaryError) {
        this.owner.health.recovered();
        return;
      }
      if (outcome === 'deadline') {
        this.primaryError = { code: 'timeout', message: 'cloud recogniser did not finish in time' };
        this.dropPrimary();
      }
    }
    this.owner.health.failed(this.primaryError ?? { code: 'unavailable', message: 'cloud recogniser unavailable' });
    // The cloud heard it before failing: nothing to redo.
    if (this.finalSeen) return;
    await this.recogniseLocally(frames);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.utterance = [];
    this.dropPrimary();
    this.local?.close();
    this.local = undefined;
    this.events.end();
  }

  [Symbol.asyncIterator](): AsyncIterator<SttEvent> {
    return this.events[Symbol.asyncIterator]();
  }

  private openPrimary(): void {
    this.primaryError = undefined;
    try {
      const p = this.owner.primary.stream({ language: this.opts.language, signal: this.opts.signal });
      this.primary = p;
      void this.pumpPrimary(p);
    } catch (err) {
      // An unsupported language, a closed provider: this utterance is the fallback's.
      this.primaryError = infoOf(err);
    }
  }

  private dropPrimary(): void {
    const p = this.primary;
    this.primary = undefined;
    p?.close();
  }

  private async pumpPrimary(p: SttStream): Promise<void> {
    try {
      for await (const ev of p) {
        if (this.closed || p !== this.primary) return;
        if (ev.type === 'error') {
          this.primaryError = ev.error;
          this.dropPrimary();
          this.onPrimaryError?.();
          return;
        }
        if (ev.type === 'final') {
          this.finalSeen = true;
          this.heardLanguage = ev.language;
        }
        this.events.push(ev);
      }
      // Ended without saying why: as good as failed.
      if (!this.closed && p === this.primary) {
        this.primaryError = { code: 'unavailable', message: 'cloud recogniser stream ended' };
        this.dropPrimary();
        this.onPrimaryError?.();
      }
    } catch (err) {
      if (p !== this.primary) return;
      this.primaryError = infoOf(err);
      this.dropPrimary();
      this.onPrimaryError?.();
    }
  }

  private endPrimary(primary: SttStream): Promise<'ok' | 'failed' | 'deadline'> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve('deadline'), this.owner.opts.sttDeadlineMs ?? 8_000);
      const done = (o: 'ok' | 'failed') => {
        clearTimeout(timer);
        this.onPrimaryError = undefined;
        resolve(o);
      };
      this.onPrimaryError = () => done('failed');
      primary.end().then(
        () => done('ok'),
        () => done('failed'),
      );
    });
  }

  private async recogniseLocally(frames: Int16Array[]): Promise<void> {
    const language = this.heardLanguage ?? this.opts.language;
    const local = localSttCanHear(language) ? this.openLocal() : undefined;
    if (!local) return this.unavailable();
    for (const f of frames) local.push(f);
    await local.end();
    await nextMacrotask();
  }

  private openLocal(): SttStream | undefined {
    if (this.local) return this.local;
    const provider = this.owner.local();
    if (!provider) return undefined;
    try {
      const s = provider.stream({ language: 'en-IN', signal: this.opts.signal });
      this.local = s;
      void (async () => {
        for await (const ev of s) {
          if (this.closed || s !== this.local) return;
          if (ev.type === 'error') return this.unavailable();
          this.events.push(ev);
        }
      })();
      return s;
    } catch {
      return undefined;
    }
  }

  /** Nothing can recognise this utterance: the pipeline apologises (speechApology) and reopens. */
  private unavailable(): void {
    if (this.closed) return;
    this.events.push({ type: 'error', error: { code: 'unavailable', message: 'speech recognition is unavailable' } });
    this.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Text-to-speech

export class FallbackTts implements TtsProvider {
  readonly name: string;
  readonly health: Health;
  readonly local: () => TtsProvider | undefined;

  constructor(
    readonly primary: TtsProvider,
    local: (() => TtsProvider) | undefined,
    readonly opts: FallbackOptions = {},
  ) {
    this.name = `${primary.name}+local`;
    this.health = new Health('cloud text-to-speech', primary.name, opts);
    this.local = lazy(local, opts.log, 'speech synthesiser');
  }

  stream(opts: TtsStreamOptions): TtsStream {
    return new FallbackTtsStream(this, opts);
  }

  async synthesize(
    text: string,
    language: LanguageTag,
    opts: { voice?: string; sampleRate?: number; signal?: AbortSignal } = {},
  ): Promise<{ pcm: Int16Array; sampleRate: number }> {
    try {
      const r = await this.primary.synthesize(text, language, opts);
      this.health.recovered();
      return r;
    } catch (err) {
      if (isAppError(err) || opts.signal?.aborted) throw err;
      this.health.failed(infoOf(err));
      const local = this.local();
      if (!local) throw upstreamUnavailable('Speech synthesis', retryAfterS(err));
      return local.synthesize(text, speakingLocale(language), opts);
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.primary.close(), this.local()?.close()]);
  }
}

class FallbackTtsStream implements TtsStream {
  private readonly events = new EventQueue<TtsEvent>();
  private readonly texts: string[] = [];
  private current: TtsStream | undefined;
  private onPrimary = true;
  private flushed = false;
  private closed = false;
  private stall: NodeJS.Timeout | undefined;

  constructor(
    private readonly owner: FallbackTts,
    private readonly opts: TtsStreamOptions,
  ) {
    try {
      this.current = owner.primary.stream(opts);
      void this.pump(this.current);
    } catch (err) {
      // A language the cloud does not speak is no outage: the local voice just takes this reply.
      if (!isAppError(err)) owner.health.failed(infoOf(err));
      this.switchToLocal(infoOf(err), 0);
    }
    if (opts.signal?.aborted) this.close();
    else opts.signal?.addEventListener('abort', () => this.close(), { once: true });
  }

  pushText(sentence: string): void {
    if (this.closed || this.flushed) return;
    this.texts.push(sentence);
    this.current?.pushText(sentence);
    this.armStall();
  }

  flush(): void {
    if (this.closed || this.flushed) return;
    this.flushed = true;
    this.current?.flush();
    this.armStall();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.stall);
    this.current?.close();
    this.current = undefined;
    this.events.clear();
  }

  [Symbol.asyncIterator](): AsyncIterator<TtsEvent> {
    return this.events[Symbol.asyncIterator]();
  }

  private async pump(stream: TtsStream): Promise<void> {
    const primary = this.onPrimary;
    try {
      for await (const ev of stream) {
        if (this.closed || stream !== this.current) return;
        if (ev.type === 'error') {
          if (primary) return this.failover(ev.error);
          return this.end(ev);
        }
        this.armStall();
        if (ev.type === 'done') {
          if (primary) this.owner.health.recovered();
          return this.end(ev);
        }
        this.events.push(ev);
      }
      if (this.closed || stream !== this.current) return;
      const ended: ProviderErrorInfo = { code: 'unavailable', message: 'synthesiser stream ended early' };
      if (primary) return this.failover(ended);
      this.end({ type: 'error', error: ended });
    } catch (err) {
      if (this.closed || stream !== this.current) return;
      if (primary) return this.failover(infoOf(err));
      this.end({ type: 'error', error: infoOf(err) });
    }
  }

  private failover(err: ProviderErrorInfo): void {
    const failed = this.current;
    const done = (failed as { sentencesDone?: number } | undefined)?.sentencesDone ?? 0;
    this.current = undefined;
    failed?.close();
    this.owner.health.failed(err);
    this.switchToLocal(err, done);
  }

  /** Speaks what the cloud did not, from the first sentence it did not finish. */
  private switchToLocal(err: ProviderErrorInfo, from: number): void {
    this.onPrimary = false;
    const local = this.owner.local();
    let stream: TtsStream | undefined;
    try {
      stream = local?.stream({ ...this.opts, language: speakingLocale(this.opts.language) });
    } catch {
      stream = undefined;
    }
    if (!stream) return this.end({ type: 'error', error: err });
    this.current = stream;
    void this.pump(stream);
    for (const t of this.texts.slice(from)) stream.pushText(t);
    if (this.flushed) stream.flush();
    this.armStall();
  }

  private end(ev: TtsEvent): void {
    clearTimeout(this.stall);
    this.events.push(ev);
    this.events.end();
    this.closed = true;
    this.current?.close();
    this.current = undefined;
  }

  /** The cloud owes audio and has said nothing for too long: let the local voice say it. */
  private armStall(): void {
    clearTimeout(this.stall);
    if (this.closed || !this.onPrimary || this.texts.length === 0) return;
    this.stall = setTimeout(() => {
      if (!this.closed && this.onPrimary) this.failover({ code: 'timeout', message: 'cloud synthesiser stalled' });
    }, this.owner.opts.ttsStallMs ?? 10_000);
    this.stall.unref?.();
  }
}
