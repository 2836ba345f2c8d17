/**
 * Endpointing on the WebRTC VAD (libfvad in wasm): turns per-frame speech/non-speech decisions
 * into speech-start and speech-end events. One wasm module is shared by every session; each
 * Endpointer owns a small libfvad handle (a few hundred bytes of wasm heap).
 */
import fvadModule from '@echogarden/fvad-wasm';

interface FvadWasm {
  _fvad_new(): number;
  _fvad_free(handle: number): void;
  _fvad_reset(handle: number): void;
  _fvad_set_mode(handle: number, mode: number): number;
  _fvad_set_sample_rate(handle: number, rate: number): number;
  _fvad_process(handle: number, framePtr: number, length: number): number;
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  HEAP16: Int16Array;
}

let wasm: Promise<FvadWasm> | undefined;

/** Loads the wasm module once per process. */
export function loadVad(): Promise<FvadWasm> {
  wasm ??= fvadModule() as Promise<FvadWasm>;
  return wasm;
}

export interface EndpointerOptions {
  /** 0 (least aggressive about calling noise non-speech) … 3 (most). Default 2. */
  aggressiveness?: 0 | 1 | 2 | 3;
  /** libfvad frame length. Default 20. */
  frameMs?: 10 | 20 | 30;
  /** Speech needed before speech-start fires; filters clicks and breaths. Default 60. */
  speechStartMs?: number;
  /** Silence after speech that ends the utterance. Default 400. */
  endSilenceMs?: number;
}

export type EndpointEvent =
  | { type: 'speech-start'; /** audio time since the endpointer started */ atMs: number }
  | { type: 'speech-end'; atMs: number; /** audio time the speech itself ended */ speechEndedAtMs: number };

const SAMPLE_RATE = 16000;

export class Endpointer {
  private readonly handle: number;
  private readonly ptr: number;
  private readonly frameSamples: number;
  private readonly frameMs: number;
  private readonly startFrames: number;
  private readonly endFrames: number;
  private readonly pending: Int16Array;
  private fill = 0;
  private voicedRun = 0;
  private silentRun = 0;
  private processedMs = 0;
  private closed = false;
  private readonly mode: number;
  /** True between speech-start and speech-end. */
  inSpeech = false;

  private constructor(private readonly vad: FvadWasm, opts: EndpointerOptions) {
    this.frameMs = opts.frameMs ?? 20;
    if (![10, 20, 30].includes(this.frameMs)) throw new RangeError('frameMs must be 10, 20 or 30');
    const mode = (this.mode = opts.aggressiveness ?? 2);
    this.frameSamples = (SAMPLE_RATE / 1000) * this.frameMs;
    this.startFrames = Math.max(1, Math.round((opts.speechStartMs ?? 60) / this.frameMs));
    this.endFrames = Math.max(1, Math.round((opts.endSilenceMs ?? 400) / this.frameMs));
    this.pending = new Int16Array(this.frameSamples);
    this.handle = vad._fvad_new();
    if (!this.handle) throw new Error('fvad_new failed');
    if (vad._fvad_set_mode(this.handle, mode) !== 0 || vad._fvad_set_sample_rate(this.handle, SAMPLE_RATE) !== 0) {
      vad._fvad_free(this.handle);
      throw new RangeError('invalid VAD mode');
    }
    this.ptr = vad._malloc(this.frameSamples * 2);
  }

  static async create(opts: EndpointerOptions = {}): Promise<Endpointer> {
    return new Endpointer(await loadVad(), opts);
  }

  /** Feeds 16 kHz mono samples of any length; returns the events they caused, in order. */
  push(samples: Int16Array): EndpointEvent[] {
    if (this.closed) return [];
    const events: EndpointEvent[] = [];
    let i = 0;
    // Whole frames go to the wasm heap directly while nothing is pending (the usual 20 ms frame).
    while (this.fill === 0 && samples.length - i >= this.frameSamples) {
      this.frame(events, samples.subarray(i, i + this.frameSamples));
      i += this.frameSamples;
    }
    while (i < samples.length) {
      const n = Math.min(this.frameSamples - this.fill, samples.length - i);
      this.pending.set(samples.subarray(i, i + n), this.fill);
      this.fill += n;
      i += n;
      if (this.fill === this.frameSamples) {
        this.fill = 0;
        this.frame(events);
      }
    }
    return events;
  }

  /** Forgets the current utterance (after push-to-talk `end`, or barge-in handling). */
  reset(): void {
    this.vad._fvad_reset(this.handle);
    // fvad_reset also resets mode and rate to their defaults.
    this.vad._fvad_set_mode(this.handle, this.mode);
    this.vad._fvad_set_sample_rate(this.handle, SAMPLE_RATE);
    this.inSpeech = false;
    this.voicedRun = 0;
    this.silentRun = 0;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.vad._free(this.ptr);
    this.vad._fvad_free(this.handle);
  }

  private frame(events: EndpointEvent[], samples: Int16Array = this.pending): void {
    // HEAP16 is re-read every time: a wasm memory growth replaces the view.
    this.vad.HEAP16.set(samples, this.ptr >> 1);
    const voiced = this.vad._fvad_process(this.handle, this.ptr, this.frameSamples) === 1;
    this.processedMs += this.frameMs;
    if (voiced) {
      this.voicedRun++;
      this.silentRun = 0;
    } else {
      this.silentRun++;
      this.voicedRun = 0;
    }
    if (!this.inSpeech && this.voicedRun >= this.startFrames) {
      this.inSpeech = true;
      events.push({ type: 'speech-start', atMs: this.processedMs - this.voicedRun * this.frameMs });
    } else if (this.inSpeech && this.silentRun >= this.endFrames) {
      this.inSpeech = false;
      events.push({ type: 'speech-end', atMs: this.processedMs, speechEndedAtMs: this.processedMs - this.silentRun * this.frameMs });
    }
  }
}
