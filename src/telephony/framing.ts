/**
 * Reply audio arrives from the pipeline in chunks of whatever size the resampler produced; each
 * provider wants its own packet sizes (Twilio: 20 ms μ-law frames of 160 bytes; Exotel: PCM16 in
 * multiples of 320 bytes and at least 3,200; Plivo: μ-law frames). A Framer carries the remainder
 * between chunks and pads the last packet of a reply with silence so no packet is short.
 */
export interface FramingRule {
  /** Every packet is a multiple of this many bytes. */
  unit: number;
  /** Smallest packet (a multiple of `unit`). */
  min: number;
  /** Largest packet (a multiple of `unit`). */
  max: number;
  /** The byte that encodes silence (0xFF in μ-law, 0 in PCM16). */
  silence: number;
}

/** 160 bytes = 20 ms of 8 kHz μ-law. */
export const MULAW_20MS: FramingRule = { unit: 160, min: 160, max: 160, silence: 0xff };
/** Exotel: multiples of 320 bytes (20 ms of PCM16 8 kHz), at least 3,200 (100 ms), well under 100 KB. */
export const EXOTEL_PCM16: FramingRule = { unit: 320, min: 3200, max: 32_000, silence: 0 };

export class Framer {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly rule: FramingRule) {
    if (rule.min % rule.unit !== 0 || rule.max % rule.unit !== 0 || rule.max < rule.min) throw new RangeError('bad framing rule');
  }

  /** Bytes held back until enough arrive for a full packet. */
  get buffered(): number {
    return this.pending.length;
  }

  /** Appends audio and returns every full packet now available. */
  push(bytes: Uint8Array): Buffer[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, bytes]) : Buffer.from(bytes);
    const out: Buffer[] = [];
    const { min, max, unit } = this.rule;
    while (this.pending.length >= min) {
      const size = Math.min(max, this.pending.length - (this.pending.length % unit));
      out.push(this.pending.subarray(0, size));
      this.pending = this.pending.subarray(size);
    }
    return out;
  }

  /** End of a reply: what is left, padded with silence to a valid packet (nothing when empty). */
  flush(): Buffer[] {
    if (this.pending.length === 0) return [];
    const { min, unit, silence } = this.rule;
    const size = Math.max(min, Math.ceil(this.pending.length / unit) * unit);
    const last = Buffer.alloc(size, silence);
    this.pending.copy(last);
    this.pending = Buffer.alloc(0);
    return [last];
  }

  /** Barge-in: what was not sent yet is dropped with the rest of the reply. */
  reset(): void {
    this.pending = Buffer.alloc(0);
  }
}
