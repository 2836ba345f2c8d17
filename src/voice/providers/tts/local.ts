/**
 * Local, keyless TTS: one short-lived process per sentence (espeak-ng for Hindi and as the
 * English fallback, flite's `slt` voice for English by default: it sounds more natural and
 * starts in ~30 ms). Their WAV output is parsed as it streams, resampled to the requested rate
 * and handed out in chunks; close() kills the process in flight, which is what stops audio on
 * barge-in.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Resampler } from '../../audio/resampler.js';
import { WavStreamParser } from '../../audio/wav.js';
import { deprioritize, SYNTHESIZER_NICENESS } from '../priority.js';
import { ProviderError, Resilience } from '../resilience.js';
import { closeOnAbort, SentenceQueueStream } from '../sentence-queue.js';
import type { LanguageTag, ProviderErrorInfo, TtsProvider, TtsStream, TtsStreamOptions } from '../types.js';

export interface LocalTtsOptions {
  /** Engine for English when no voice is asked for. Default 'flite'. */
  english?: 'flite' | 'espeak';
  /** Words per minute for espeak-ng. Default 165. */
  espeakSpeed?: number;
  /** A sentence taking longer than this to synthesize is abandoned. Default 10 s. */
  sentenceTimeoutMs?: number;
  onMetrics?: (m: { firstByteMs: number; durationMs: number }) => void;
}

interface Voice {
  engine: 'flite' | 'espeak';
  name: string;
}

const MAX_SENTENCE_CHARS = 1000;
const FLITE_VOICES = new Set(['slt', 'awb', 'rms', 'kal16', 'kal']);

/**
 * `voice` may be "flite:<voice>" or "espeak:<voice>" (e.g. "espeak:en-us+klatt"); otherwise the
 * language decides. Hindi and other Indian languages go to espeak-ng, which reads Devanagari.
 */
export function pickVoice(language: LanguageTag, voice: string | undefined, english: 'flite' | 'espeak'): Voice {
  if (voice) {
    const [engine, name] = voice.includes(':') ? (voice.split(':', 2) as [string, string]) : ['', voice];
    if (engine === 'flite' || (!engine && FLITE_VOICES.has(name))) {
      if (!FLITE_VOICES.has(name)) throw new ProviderError(`unknown flite voice`, { retryable: false, code: 'bad_request' });
      return { engine: 'flite', name };
    }
    if (!/^[a-zA-Z0-9+_-]{1,40}$/.test(name)) throw new ProviderError('invalid voice name', { retryable: false, code: 'bad_request' });
    return { engine: 'espeak', name };
  }
  const lang = language.toLowerCase();
  if (lang === 'auto' || lang.startsWith('en')) return english === 'flite' ? { engine: 'flite', name: 'slt' } : { engine: 'espeak', name: 'en-in' };
  const base = lang.split('-')[0]!;
  return { engine: 'espeak', name: /^[a-z]{2,3}$/.test(base) ? base : 'en-in' };
}

function clean(text: string): string {
  // Control characters would reach the synthesizer as noise or as options.
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, MAX_SENTENCE_CHARS);
}

function startSynthesis(voice: Voice, text: string, espeakSpeed: number): ChildProcess {
  if (voice.engine === 'flite') {
    // flite cannot write into a socket (Node's pipe) as /dev/stdout, but can into a real pipe.
    // Text and voice travel as positional parameters: nothing is interpolated into the script.
    // `nice` here rather than setPriority on the sh: flite may be forked before that call lands.
    return spawn('sh', ['-c', `nice -n ${SYNTHESIZER_NICENESS} flite -voice "$0" -o /dev/stdout -t "$1" | cat`, voice.name, text], {
      stdio: ['ignore', 'pipe', 'ignore'],
      detached: true,
    });
  }
  // Text on stdin, not argv: a sentence starting with "-" must not read as an option.
  const p = spawn('espeak-ng', ['-v', voice.name, '-s', String(espeakSpeed), '--stdout'], {
    stdio: ['pipe', 'pipe', 'ignore'],
    detached: true,
  });
  deprioritize(p.pid, SYNTHESIZER_NICENESS);
  p.stdin!.on('error', () => undefined);
  p.stdin!.end(text);
  return p;
}

function killTree(p: ChildProcess): void {
  if (p.exitCode !== null || p.signalCode !== null || p.pid === undefined) return;
  try {
    process.kill(-p.pid, 'SIGKILL'); // the sh and the flite it started
  } catch {
    p.kill('SIGKILL');
  }
}

export class LocalTts implements TtsProvider {
  readonly name = 'local-espeak-flite';
  private readonly resilience = new Resilience({ service: 'local-tts', timeoutMs: 15_000, maxRetries: 1, baseDelayMs: 20, breakerCooldownMs: 5_000 });

  constructor(private readonly opts: LocalTtsOptions = {}) {}

  stream(opts: TtsStreamOptions): TtsStream {
    const voice = pickVoice(opts.language, opts.voice, this.opts.english ?? 'flite');
    return new LocalTtsStream(voice, opts, this.opts);
  }

  async synthesize(
    text: string,
    language: LanguageTag,
    opts: { voice?: string; sampleRate?: number; signal?: AbortSignal } = {},
  ): Promise<{ pcm: Int16Array; sampleRate: number }> {
    const sampleRate = opts.sampleRate ?? 16000;
    return this.resilience.call(async ({ signal }) => {
      const s = this.stream({ language, voice: opts.voice, sampleRate, signal });
      s.pushText(text);
      s.flush();
      const parts: Int16Array[] = [];
      for await (const e of s) {
        if (e.type === 'audio') parts.push(e.pcm);
        if (e.type === 'error') throw new ProviderError(e.error.message, { retryable: e.error.code !== 'bad_request', code: e.error.code });
      }
      const pcm = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of parts) {
        pcm.set(p, o);
        o += p.length;
      }
      return { pcm, sampleRate };
    }, opts.signal);
  }

  async close(): Promise<void> {}
}

class LocalTtsStream extends SentenceQueueStream {
  private current: ChildProcess | undefined;
  private resampler: Resampler | undefined;

  constructor(
    private readonly voice: Voice,
    private readonly opts: TtsStreamOptions,
    private readonly config: LocalTtsOptions,
  ) {
    super();
    closeOnAbort(opts.signal, () => this.close());
  }

  protected clean(sentence: string): string {
    return clean(sentence);
  }

  protected finishAudio(): void {
    const tail = this.resampler?.flush();
    if (tail?.length) this.events.push({ type: 'audio', pcm: tail, sampleRate: this.opts.sampleRate });
    this.releaseResampler();
  }

  protected stop(): void {
    if (this.current) killTree(this.current);
    this.releaseResampler();
  }

  protected errorInfo(err: unknown): ProviderErrorInfo {
    const e = err instanceof ProviderError ? err : new ProviderError('speech synthesis failed', { retryable: true, code: 'internal', cause: err });
    return e.toInfo();
  }

  private releaseResampler(): void {
    this.resampler?.release();
    this.resampler = undefined;
  }

  protected async speak(text: string): Promise<void> {
    const started = performance.now();
    let firstByteMs: number | undefined;
    const proc = startSynthesis(this.voice, text, this.config.espeakSpeed ?? 165);
    this.current = proc;
    const parser = new WavStreamParser();
    const timeout = setTimeout(() => killTree(proc), this.config.sentenceTimeoutMs ?? 10_000);
    try {
      const exited = new Promise<number | null>((resolve) => proc.once('close', (code) => resolve(code)));
      proc.once('error', () => undefined);
      for await (const chunk of proc.stdout! as AsyncIterable<Buffer>) {
        if (this.closed) break;
        firstByteMs ??= performance.now() - started;
        const pcm = parser.push(chunk);
        if (pcm.length === 0) continue;
        const rate = parser.sampleRate!;
        if (!this.resampler || this.resampler.inRate !== rate) {
          this.resampler?.release();
          this.resampler = await Resampler.create(rate, this.opts.sampleRate);
          if (this.closed) return;
        }
        const out = this.resampler.process(pcm);
        if (out.length) this.events.push({ type: 'audio', pcm: out, sampleRate: this.opts.sampleRate });
      }
      const code = await exited;
      if (this.closed) return;
      if (code !== 0 || parser.sampleRate === undefined) {
        throw new ProviderError(`${this.voice.engine} failed`, { retryable: true, code: 'internal' });
      }
      this.config.onMetrics?.({ firstByteMs: firstByteMs ?? performance.now() - started, durationMs: performance.now() - started });
    } finally {
      clearTimeout(timeout);
      this.current = undefined;
    }
  }
}
