/**
 * Local, keyless STT: one podd-stt process (pocketsphinx, src/voice/providers/stt/native) per
 * stream, fed 16 kHz frames over a framed stdin protocol and answering in JSON lines.
 *
 * By default one decoder hears both what people say to Podd and free speech: its language model
 * is the domain model (built from the assistant's phrases: food, vitals, medicines, reminders…)
 * interpolated with a general English model cut down to its 5,000 most likely words
 * (scripts/build-speech.mjs). One search over both costs ~0.03 core per second of audio and
 * 30 MB, where a domain decoder beside a full general one cost ~0.09 and 100 MB.
 * `freeSpeech: false` keeps the domain model alone (~0.02 core, 11 MB), at the price of forcing
 * everything into domain words.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { EventQueue } from '../event-queue.js';
import { DECODER_NICENESS, deprioritize } from '../priority.js';
import { ProviderError, Resilience } from '../resilience.js';
import { locateSpeechAssets, type SpeechAssets } from '../speech-assets.js';
import type { LanguageTag, SttEvent, SttProvider, SttStream, SttStreamOptions } from '../types.js';

export interface PocketsphinxOptions {
  assets?: SpeechAssets;
  /** Also hear speech outside the domain, through the general English model. Default true. */
  freeSpeech?: boolean;
  /**
   * Interpolation weight of the general model (the domain's is 1 − this). Default 0.3, measured
   * on fresh decoders (flite/espeak fixtures in the domain; flite/espeak sentences outside it;
   * Debian's human recordings): 0.1 → 1.5 % / 31 % / 69 % WER, 0.3 → 2.2 % / 30 % / 59 %,
   * 0.5 → 5.1 % / 33 % / 53 %.
   */
  generalWeight?: number;
  /** Language weight of the domain model (measured best: 9; pocketsphinx default 6.5). */
  languageWeight?: number;
  /**
   * Frames (10 ms) of silence after which pocketsphinx's own VAD ends an utterance. 20 keeps
   * end-of-speech → final near 300 ms; below that, utterances split mid-sentence.
   */
  vadPostspeech?: number;
  partialMs?: number;
  /** Decoder processes kept started ahead of demand, hiding their start-up. Default 1. */
  spares?: number;
  /**
   * end() gives up after this long plus the duration of the audio not yet flushed (the decoder
   * may still be working through a backlog, e.g. a whole file pushed at once). Default 5 s.
   */
  flushTimeoutMs?: number;
  onMetrics?: (m: { finalizeMs: number }) => void;
}

const MAX_MESSAGE_SAMPLES = 16000 * 10;
/** The decoder speaks English; this is the language its transcripts are labelled with. */
const TRANSCRIPT_LANGUAGE = 'en-IN';

export class PocketsphinxStt implements SttProvider {
  readonly name = 'local-pocketsphinx';
  private readonly assets: SpeechAssets;
  private readonly args: string[];
  private readonly spares: ChildProcessWithoutNullStreams[] = [];
  private readonly resilience: Resilience;
  private closed = false;

  constructor(private readonly opts: PocketsphinxOptions = {}) {
    this.assets = opts.assets ?? locateSpeechAssets();
    const a = this.assets;
    const freeSpeech = opts.freeSpeech !== false;
    this.args = [
      ...(freeSpeech ? ['--general-lm', a.generalLm, '--general-weight', String(opts.generalWeight ?? 0.3)] : []),
      '--partial-ms', String(opts.partialMs ?? 100),
      '--',
      '-hmm', a.acousticModel,
      '-lm', a.domainLm,
      // podd.dict covers the domain words and the general model's kept ones.
      '-dict', freeSpeech ? a.mergedDict : a.domainDict,
      '-lw', String(opts.languageWeight ?? 9),
      '-vad_postspeech', String(opts.vadPostspeech ?? 20),
      // Single-pass search: the second passes add ~60 ms to every final for no measured gain here.
      '-fwdflat', 'no',
      '-bestpath', 'no',
      // A fresh decoder's first words, heard before its cepstral mean has adapted, fit thousands
      // of words about equally: pocketsphinx's cap of 30,000 active HMMs a frame then drops the
      // right one ("remind me" → "replied we"); uncapped costs ~4 % more CPU. The beams still
      // bound the search.
      ...(freeSpeech ? ['-maxhmmpf', '-1'] : []),
    ];
    this.resilience = new Resilience({ service: 'local-stt', timeoutMs: 30_000, maxRetries: 1, baseDelayMs: 50, breakerThreshold: 5, breakerCooldownMs: 5_000 });
  }

  async warm(): Promise<void> {
    this.refill();
  }

  stream(opts: SttStreamOptions): SttStream {
    if (this.closed) throw new ProviderError('STT provider closed', { retryable: false, code: 'unavailable' });
    const proc = this.takeProcess();
    this.refill();
    return new PocketsphinxStream(proc, opts, this.opts.flushTimeoutMs ?? 5_000, this.opts.onMetrics);
  }

  async transcribe(pcm16k: Int16Array, language: LanguageTag, signal?: AbortSignal): Promise<{ text: string; language: LanguageTag }> {
    return this.resilience.call(async ({ signal: attemptSignal }) => {
      const stream = this.stream({ language, signal: attemptSignal });
      const texts: string[] = [];
      const reading = (async () => {
        for await (const e of stream) {
          if (e.type === 'final' && e.text) texts.push(e.text);
          if (e.type === 'error') throw new ProviderError(e.error.message, { retryable: true, code: e.error.code });
        }
      })();
      for (let o = 0; o < pcm16k.length; o += MAX_MESSAGE_SAMPLES) stream.push(pcm16k.subarray(o, o + MAX_MESSAGE_SAMPLES));
      await stream.end();
      stream.close();
      await reading;
      return { text: texts.join(' '), language: TRANSCRIPT_LANGUAGE };
    }, signal);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.spares.splice(0)) p.kill('SIGKILL');
  }

  private takeProcess(): ChildProcessWithoutNullStreams {
    while (this.spares.length) {
      const p = this.spares.shift()!;
      if (p.exitCode === null && p.signalCode === null) return p;
    }
    return this.spawnDecoder();
  }

  private refill(): void {
    const want = this.opts.spares ?? 1;
    while (!this.closed && this.spares.length < want) this.spares.push(this.spawnDecoder());
  }

  private spawnDecoder(): ChildProcessWithoutNullStreams {
    const p = spawn(this.assets.decoder, this.args, { stdio: ['pipe', 'pipe', 'pipe'] });
    deprioritize(p.pid, DECODER_NICENESS);
    // A decoder dying while idle must not take the server with it.
    p.on('error', () => undefined);
    p.stdin.on('error', () => undefined);
    p.stderr.resume();
    p.unref();
    (p.stdout as unknown as { unref?: () => void }).unref?.();
    return p;
  }
}

/** Queued behind the events a flush produced: end() resolves when the reader reaches it. */
const FLUSHED = { type: 'flushed' } as const;

class PocketsphinxStream implements SttStream {
  private readonly events = new EventQueue<SttEvent | typeof FLUSHED>();
  private readonly flushWaiters: Array<{ resolve: () => void; started: number }> = [];
  private buffered = '';
  private closed = false;
  private readonly header = Buffer.alloc(5);
  private unflushedSamples = 0;

  constructor(
    private readonly proc: ChildProcessWithoutNullStreams,
    opts: SttStreamOptions,
    private readonly flushTimeoutMs: number,
    private readonly onMetrics?: (m: { finalizeMs: number }) => void,
  ) {
    proc.ref();
    (proc.stdout as unknown as { ref?: () => void }).ref?.();
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (d: string) => this.onData(d));
    proc.once('exit', () => {
      if (!this.closed) this.fail('speech decoder stopped unexpectedly');
    });
    if (opts.signal) {
      if (opts.signal.aborted) this.close();
      else opts.signal.addEventListener('abort', () => this.close(), { once: true });
    }
    this.header[0] = 0x41; // 'A'
  }

  push(frame: Int16Array): void {
    if (this.closed || frame.length === 0) return;
    this.unflushedSamples += frame.length;
    for (let o = 0; o < frame.length; o += MAX_MESSAGE_SAMPLES) {
      const part = frame.subarray(o, Math.min(frame.length, o + MAX_MESSAGE_SAMPLES));
      const msg = Buffer.allocUnsafe(5 + part.byteLength);
      this.header.writeUInt32LE(part.byteLength, 1);
      this.header.copy(msg, 0);
      // The decoder reads native-endian samples; every supported host is little-endian.
      Buffer.from(part.buffer, part.byteOffset, part.byteLength).copy(msg, 5);
      this.proc.stdin.write(msg);
    }
  }

  end(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const waiter = { resolve, started: performance.now() };
      this.flushWaiters.push(waiter);
      this.proc.stdin.write('E');
      const allowMs = this.flushTimeoutMs + (this.unflushedSamples / 16000) * 1000;
      this.unflushedSamples = 0;
      setTimeout(() => {
        const i = this.flushWaiters.indexOf(waiter);
        if (i >= 0) this.fail('speech decoder did not answer in time', 'timeout');
      }, allowMs).unref();
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.flushWaiters.splice(0)) w.resolve();
    this.events.end();
    this.proc.stdin.end('Q');
    const proc = this.proc;
    // Normally it exits at once on Q; never leave one behind.
    setTimeout(() => proc.exitCode === null && proc.signalCode === null && proc.kill('SIGKILL'), 1000).unref();
  }

  /**
   * The decoder often answers `final` and `flushed` in one read. Resolving end() on the line
   * would let the caller look for the final before its reader had been handed it (under load
   * every turn became "did not catch that"); end() resolves when the reader asks for the event
   * after the final instead, i.e. once it has handled everything the flush produced.
   */
  [Symbol.asyncIterator](): AsyncIterator<SttEvent> {
    const inner = this.events[Symbol.asyncIterator]();
    return {
      next: async () => {
        for (;;) {
          const r = await inner.next();
          if (r.done || r.value !== FLUSHED) return r as IteratorResult<SttEvent>;
          this.flushDelivered();
        }
      },
      return: () => inner.return!() as Promise<IteratorResult<SttEvent>>,
    };
  }

  private flushDelivered(): void {
    const w = this.flushWaiters.shift();
    if (!w) return;
    this.onMetrics?.({ finalizeMs: performance.now() - w.started });
    w.resolve();
  }

  private onData(chunk: string): void {
    this.buffered += chunk;
    let nl: number;
    while ((nl = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, nl);
      this.buffered = this.buffered.slice(nl + 1);
      if (line) this.onLine(line);
    }
  }

  private onLine(line: string): void {
    let m: { type: string; text?: string };
    try {
      m = JSON.parse(line) as { type: string; text?: string };
    } catch {
      return this.fail('speech decoder sent an unreadable line');
    }
    switch (m.type) {
      case 'speech-start':
      case 'speech-end':
        this.events.push({ type: m.type });
        return;
      case 'partial':
        this.events.push({ type: 'partial', text: m.text ?? '' });
        return;
      case 'final':
        this.events.push({ type: 'final', text: m.text ?? '', language: TRANSCRIPT_LANGUAGE });
        return;
      case 'flushed':
        this.events.push(FLUSHED);
        return;
      default:
        return; // 'ready' and anything newer
    }
  }

  private fail(message: string, code: 'internal' | 'timeout' = 'internal'): void {
    if (this.closed) return;
    this.events.push({ type: 'error', error: { code, message } });
    this.close();
    this.proc.kill('SIGKILL');
  }
}
