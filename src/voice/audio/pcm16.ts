/**
 * PCM16 little-endian helpers. Network chunks arrive at any size, including odd byte counts that
 * split a sample in two; the odd byte is carried into the next chunk rather than dropped, which
 * would shift every later sample by one byte and turn the audio into noise.
 */

/** On a little-endian host (every one Node supports in practice) PCM16 LE is a plain byte copy. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export class Pcm16Decoder {
  private carry: number | undefined;

  /** Returns the whole samples in `bytes` (plus a byte carried from the previous call). */
  push(bytes: Uint8Array): Int16Array {
    if (LITTLE_ENDIAN && this.carry === undefined && bytes.length % 2 === 0) {
      // The common case (every 20 ms frame of every session): one memcpy instead of a loop per
      // sample, which was the largest single cost of an incoming frame.
      const out = new Int16Array(bytes.length >> 1);
      new Uint8Array(out.buffer).set(bytes);
      return out;
    }
    let start = 0;
    const total = bytes.length + (this.carry === undefined ? 0 : 1);
    const out = new Int16Array(total >> 1);
    let o = 0;
    if (this.carry !== undefined && bytes.length > 0) {
      out[o++] = ((bytes[0]! << 8) | this.carry) << 16 >> 16;
      start = 1;
      this.carry = undefined;
    }
    for (let i = start; i + 1 < bytes.length; i += 2) out[o++] = ((bytes[i + 1]! << 8) | bytes[i]!) << 16 >> 16;
    if ((bytes.length - start) % 2 === 1) this.carry = bytes[bytes.length - 1];
    return o === out.length ? out : out.subarray(0, o);
  }

  /** A byte left over at the end of the stream (a truncated sample). */
  get pending(): boolean {
    return this.carry !== undefined;
  }
}

export function int16ToBytes(pcm: Int16Array): Buffer {
  // Fresh copy: the caller may reuse or transfer the Int16Array's buffer.
  if (LITTLE_ENDIAN) return Buffer.from(new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength));
  const out = Buffer.allocUnsafe(pcm.length * 2);
  for (let i = 0; i < pcm.length; i++) out.writeInt16LE(pcm[i]!, i * 2);
  return out;
}

export function bytesToInt16(bytes: Uint8Array): Int16Array {
  return new Pcm16Decoder().push(bytes);
}

/** Cuts a stream of samples into frames of exactly `size` samples. */
export class FrameSplitter {
  private readonly buf: Int16Array;
  private fill = 0;

  constructor(readonly size: number) {
    this.buf = new Int16Array(size);
  }

  push(samples: Int16Array, onFrame: (frame: Int16Array) => void): void {
    let i = 0;
    // Whole frames straight from the input while nothing is pending: one copy each, not two.
    while (this.fill === 0 && samples.length - i >= this.size) {
      onFrame(samples.slice(i, i + this.size));
      i += this.size;
    }
    while (i < samples.length) {
      const n = Math.min(this.size - this.fill, samples.length - i);
      this.buf.set(samples.subarray(i, i + n), this.fill);
      this.fill += n;
      i += n;
      if (this.fill === this.size) {
        onFrame(this.buf.slice());
        this.fill = 0;
      }
    }
  }

  /** Emits the partial last frame, zero-padded, if there is one. */
  flush(onFrame: (frame: Int16Array) => void): void {
    if (this.fill === 0) return;
    const frame = new Int16Array(this.size);
    frame.set(this.buf.subarray(0, this.fill));
    this.fill = 0;
    onFrame(frame);
  }
}

export function concatInt16(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
