/**
 * Provider audio (mono Int16 at the provider's rate) → the bytes a session asked for: raw
 * PCM16 LE, μ-law, or WAV (a streaming header with placeholder sizes once per reply, then PCM),
 * at the requested rate.
 */
import type { OutputFormat } from './format.js';
import { mulawEncode } from './mulaw.js';
import { int16ToBytes } from './pcm16.js';
import { Resampler } from './resampler.js';
import { wavHeader } from './wav.js';

export class AudioOutput {
  private resampler: Resampler | undefined;
  private headerSent = false;

  constructor(readonly format: OutputFormat) {}

  /** Starts a new reply: the next bytes begin with a WAV header when the format is wav. */
  begin(): void {
    this.headerSent = false;
    this.resampler?.release();
    this.resampler = undefined;
  }

  /** Encodes one chunk; may return an empty buffer while the resampler fills. */
  async write(pcm: Int16Array, sampleRate: number): Promise<Buffer> {
    if (!this.resampler || this.resampler.inRate !== sampleRate) {
      const tail = this.resampler ? this.resampler.flush() : undefined;
      this.resampler?.release();
      this.resampler = await Resampler.create(sampleRate, this.format.sampleRate);
      if (tail && tail.length) return Buffer.concat([this.encode(tail), this.encode(this.resampler.process(pcm))]);
    }
    return this.encode(this.resampler.process(pcm));
  }

  /** Ends the reply: the resampler's last samples. */
  end(): Buffer {
    const tail = this.resampler?.flush() ?? new Int16Array(0);
    this.resampler?.release();
    this.resampler = undefined;
    return tail.length || (this.format.encoding === 'wav' && !this.headerSent) ? this.encode(tail) : Buffer.alloc(0);
  }

  close(): void {
    this.resampler?.release();
    this.resampler = undefined;
  }

  private encode(pcm: Int16Array): Buffer {
    switch (this.format.encoding) {
      case 'mulaw': {
        const m = mulawEncode(pcm);
        return Buffer.from(m.buffer, m.byteOffset, m.byteLength);
      }
      case 'pcm_s16le':
        return int16ToBytes(pcm);
      case 'wav': {
        const body = int16ToBytes(pcm);
        if (this.headerSent) return body;
        this.headerSent = true;
        return Buffer.concat([wavHeader(this.format.sampleRate), body]);
      }
    }
  }
}
