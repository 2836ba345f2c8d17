/**
 * The page's audio arithmetic, free of DOM and Web Audio types so it runs in the AudioWorklet,
 * on the main thread and under node (unit tests) alike.
 *
 * Microphone: Float32 at whatever rate the AudioContext runs (44.1 or 48 kHz, usually) →
 * 16 kHz → PCM16 little-endian frames of a fixed length for the socket.
 * Speaker: PCM16 little-endian bytes from the socket → Float32 for AudioBuffers.
 */

export const WIRE_RATE = 16000;

/** Zero crossings of the sinc on each side: 8 keeps stop-band leakage under ~-50 dB, cheaply. */
const ZERO_CROSSINGS = 8;
/** Kernel table resolution per input sample; linear interpolation between entries. */
const TABLE_STEPS = 128;

function blackman(x: number): number {
  // x in [-1, 1]
  const a = Math.PI * (x + 1);
  return 0.42 - 0.5 * Math.cos(a) + 0.08 * Math.cos(2 * a);
}

/**
 * Streaming band-limited resampler (windowed sinc). Keeps the input history between calls, so the
 * 128-sample blocks an AudioWorklet sees resample exactly as one long buffer would. Downsampling
 * lowers the cutoff below the output Nyquist, which is what keeps 48 kHz hiss out of 16 kHz speech.
 */
export class StreamResampler {
  readonly ratio: number;
  private readonly halfWidth: number;
  private readonly table: Float32Array;
  private readonly tableScale: number;
  private buf: Float32Array;
  private len: number;
  /**
   * Output samples produced and input samples dropped from `buf`, both whole numbers: positions
   * come from them, never from a running float sum, so block sizes cannot change the output.
   */
  private produced = 0;
  private dropped = 0;

  constructor(readonly inRate: number, readonly outRate: number = WIRE_RATE) {
    if (!(inRate > 0 && outRate > 0)) throw new RangeError('sample rates must be positive');
    this.ratio = inRate / outRate;
    // Cutoff as a fraction of the input Nyquist: 90% of the lower of the two Nyquists.
    const fc = Math.min(1, outRate / inRate) * 0.9;
    this.halfWidth = Math.ceil(ZERO_CROSSINGS / fc);
    this.tableScale = TABLE_STEPS;
    const n = this.halfWidth * TABLE_STEPS + 2;
    this.table = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const x = i / TABLE_STEPS;
      if (x >= this.halfWidth) break;
      const s = x === 0 ? 1 : Math.sin(Math.PI * fc * x) / (Math.PI * fc * x);
      this.table[i] = fc * s * blackman(x / this.halfWidth);
    }
    // History starts as silence so the first output samples have a full kernel.
    this.buf = new Float32Array(4096);
    this.len = this.halfWidth;
  }

  /** Position of the next output sample, in input samples from the start of `buf`. */
  private get t(): number {
    return this.halfWidth + this.produced * this.ratio - this.dropped;
  }

  private kernel(d: number): number {
    const x = Math.abs(d) * this.tableScale;
    const i = Math.floor(x);
    const f = x - i;
    return this.table[i]! + (this.table[i + 1]! - this.table[i]!) * f;
  }

  /** Resamples one block; returns the output samples it completes (possibly none). */
  process(input: Float32Array): Float32Array {
    if (this.inRate === this.outRate) return input.slice();
    this.append(input);
    const out: number[] = [];
    const hw = this.halfWidth;
    for (let centre = this.t; centre + hw < this.len; centre = this.t) {
      const lo = Math.ceil(centre - hw);
      const hi = Math.floor(centre + hw);
      let acc = 0;
      for (let k = lo; k <= hi; k++) acc += this.buf[k]! * this.kernel(centre - k);
      out.push(acc);
      this.produced++;
    }
    this.compact();
    return Float32Array.from(out);
  }

  /** Emits what the history still holds (end of an utterance). */
  flush(): Float32Array {
    if (this.inRate === this.outRate) return new Float32Array(0);
    const out = this.process(new Float32Array(this.halfWidth));
    this.len = this.halfWidth;
    this.buf.fill(0, 0, this.halfWidth);
    this.produced = 0;
    this.dropped = 0;
    return out;
  }

  private append(input: Float32Array) {
    if (this.len + input.length > this.buf.length) {
      const next = new Float32Array(Math.max(this.buf.length * 2, this.len + input.length));
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    this.buf.set(input, this.len);
    this.len += input.length;
  }

  /** Drops history no future output sample can reach. */
  private compact() {
    const keepFrom = Math.max(0, Math.floor(this.t - this.halfWidth) - 1);
    if (keepFrom === 0) return;
    this.buf.copyWithin(0, keepFrom, this.len);
    this.len -= keepFrom;
    this.dropped += keepFrom;
  }
}

/** Float [-1, 1] → signed 16-bit, clipping what lies outside (a hot microphone). */
export function floatToInt16(input: Float32Array): Int16Array {
  const out = new Int16Array(input.length);
  for (let i = 0; i < input.length; i++) {
    const s = input[i]!;
    const c = s >= 1 ? 1 : s <= -1 ? -1 : Number.isNaN(s) ? 0 : s;
    out[i] = Math.round(c < 0 ? c * 32768 : c * 32767);
  }
  return out;
}

/** Little-endian bytes of PCM16 samples, whatever the platform's byte order. */
export function int16ToBytesLE(samples: Int16Array): Uint8Array {
  const bytes = new Uint8Array(samples.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i]!, true);
  return bytes;
}

/**
 * Cuts a sample stream into equal frames (20 ms at 16 kHz = 320 samples by default) of PCM16 LE
 * bytes, so the socket sees a steady cadence whatever block size the audio thread delivers.
 */
export class Pcm16Framer {
  private pending: Int16Array;
  private fill = 0;

  constructor(readonly frameSamples = 320) {
    if (!(frameSamples > 0)) throw new RangeError('frameSamples must be positive');
    this.pending = new Int16Array(frameSamples);
  }

  push(samples: Int16Array): Uint8Array[] {
    const frames: Uint8Array[] = [];
    let i = 0;
    while (i < samples.length) {
      const take = Math.min(this.frameSamples - this.fill, samples.length - i);
      this.pending.set(samples.subarray(i, i + take), this.fill);
      this.fill += take;
      i += take;
      if (this.fill === this.frameSamples) {
        frames.push(int16ToBytesLE(this.pending));
        this.fill = 0;
      }
    }
    return frames;
  }

  /** The partial frame, if any (sent before `end` so the last syllable is not lost). */
  flush(): Uint8Array | null {
    if (this.fill === 0) return null;
    const out = int16ToBytesLE(this.pending.subarray(0, this.fill));
    this.fill = 0;
    return out;
  }
}

/**
 * Microphone chain of the AudioWorklet: any rate → 16 kHz → PCM16 LE frames, plus the frame's
 * level for the meter and the barge-in gate.
 */
export class MicEncoder {
  private readonly resampler: StreamResampler;
  private readonly framer: Pcm16Framer;

  constructor(inRate: number, frameMs = 20) {
    this.resampler = new StreamResampler(inRate, WIRE_RATE);
    this.framer = new Pcm16Framer((WIRE_RATE * frameMs) / 1000);
  }

  push(block: Float32Array): Uint8Array[] {
    return this.framer.push(floatToInt16(this.resampler.process(block)));
  }

  flush(): Uint8Array[] {
    const frames = this.framer.push(floatToInt16(this.resampler.flush()));
    const tail = this.framer.flush();
    if (tail) frames.push(tail);
    return frames;
  }
}

/**
 * PCM16 LE bytes → Float32, for playback. Socket frames may split a sample across two messages;
 * the odd byte is carried to the next call.
 */
export class Pcm16Decoder {
  private carry: number | null = null;

  decode(chunk: Uint8Array): Float32Array<ArrayBuffer> {
    let bytes = chunk;
    if (this.carry !== null) {
      bytes = new Uint8Array(chunk.length + 1);
      bytes[0] = this.carry;
      bytes.set(chunk, 1);
      this.carry = null;
    }
    const n = bytes.length >> 1;
    if (bytes.length & 1) this.carry = bytes[bytes.length - 1]!;
    const view = new DataView(bytes.buffer, bytes.byteOffset, n * 2);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = view.getInt16(i * 2, true) / 32768;
    return out;
  }

  reset() {
    this.carry = null;
  }
}

/** Level of a frame of PCM16 LE bytes in dBFS (-Infinity for digital silence). */
export function frameDbfs(frame: Uint8Array): number {
  const n = frame.length >> 1;
  if (n === 0) return -Infinity;
  const view = new DataView(frame.buffer, frame.byteOffset, n * 2);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const s = view.getInt16(i * 2, true) / 32768;
    sum += s * s;
  }
  const rms = Math.sqrt(sum / n);
  return rms === 0 ? -Infinity : 20 * Math.log10(rms);
}

/**
 * Crude speech detector for local barge-in: `frames` consecutive frames louder than the threshold.
 * The server's VAD decides turns; this only stops local playback without waiting a round trip.
 */
export class LoudnessGate {
  private run = 0;

  constructor(readonly thresholdDbfs = -35, readonly frames = 5) {}

  /** True once, on the frame that completes a loud run. */
  push(dbfs: number): boolean {
    if (dbfs >= this.thresholdDbfs) {
      this.run++;
      return this.run === this.frames;
    }
    this.run = 0;
    return false;
  }

  reset() {
    this.run = 0;
  }
}
