/**
 * Sarvam's audio comes at the rate we asked for, or the nearest it offers; this turns it into the
 * session's rate, in order, whatever size the chunks arrive in.
 */
import { Resampler } from '../../audio/resampler.js';

export class PcmOut {
  private resampler: Resampler | undefined;
  private chain: Promise<void> = Promise.resolve();
  private released = false;

  constructor(
    readonly outRate: number,
    private readonly emit: (pcm: Int16Array) => void,
  ) {}

  /** Queues a chunk; the returned promise settles once it (and all before it) went out. */
  push(pcm: Int16Array, rate: number): Promise<void> {
    this.chain = this.chain.then(async () => {
      if (this.released || pcm.length === 0) return;
      if (rate === this.outRate) return this.emit(pcm);
      if (!this.resampler || this.resampler.inRate !== rate) {
        this.resampler?.release();
        this.resampler = await Resampler.create(rate, this.outRate);
        if (this.released) return this.resampler.release();
      }
      const out = this.resampler.process(pcm);
      if (out.length) this.emit(out);
    });
    return this.chain;
  }

  /** After the last chunk: what the filter still holds. */
  finish(): Promise<void> {
    this.chain = this.chain.then(() => {
      if (this.released) return;
      const tail = this.resampler?.flush();
      if (tail?.length) this.emit(tail);
      this.release();
    });
    return this.chain;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.resampler?.release();
    this.resampler = undefined;
  }
}
