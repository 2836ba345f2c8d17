/**
 * The last few frames heard before speech starts (the pre-roll handed to the STT, so a word's
 * onset is not lost to the VAD's start delay), kept by copying into one preallocated buffer.
 *
 * Keeping the frames themselves meant every frame of every idle session stayed alive for
 * 300 ms: long enough to be copied by each young-generation GC and then promoted, so a thousand
 * quiet sessions kept the collector busy (the capacity bench saw 10 ms scavenges and 50 ms
 * mark-compacts). Copied into a ring, frames die as soon as they have been handled.
 */
export class FrameRing {
  private readonly buf: Int16Array;
  private readonly lengths: Uint16Array;
  private start = 0;
  private count = 0;

  constructor(
    readonly frameSamples: number,
    readonly capacity: number,
  ) {
    this.buf = new Int16Array(frameSamples * capacity);
    this.lengths = new Uint16Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Keeps a copy of `frame` (at most frameSamples samples), dropping the oldest when full. */
  push(frame: Int16Array): void {
    if (this.capacity === 0) return;
    const slot = (this.start + this.count) % this.capacity;
    const n = Math.min(frame.length, this.frameSamples);
    this.buf.set(n === frame.length ? frame : frame.subarray(0, n), slot * this.frameSamples);
    this.lengths[slot] = n;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** Hands out the kept frames, oldest first, each as its own copy, and empties the ring. */
  drain(onFrame: (frame: Int16Array) => void): void {
    const { start, count } = this;
    this.start = 0;
    this.count = 0;
    for (let i = 0; i < count; i++) {
      const slot = (start + i) % this.capacity;
      const at = slot * this.frameSamples;
      onFrame(this.buf.slice(at, at + this.lengths[slot]!));
    }
  }

  clear(): void {
    this.start = 0;
    this.count = 0;
  }
}
