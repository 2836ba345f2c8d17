import { describe, expect, it } from 'vitest';
import { mulawDecode, mulawEncode } from '../../../src/voice/audio/mulaw.js';
import { db, rms, sine } from './signals.js';

describe('G.711 μ-law', () => {
  it('matches the standard code points', () => {
    expect(mulawEncode(Int16Array.from([0]))[0]).toBe(0xff);
    expect(Array.from(mulawDecode(Uint8Array.from([0xff, 0x7f, 0x80, 0x00])))).toEqual([0, 0, 32124, -32124]);
  });

  it('round-trips every 16-bit sample within half a quantisation step', () => {
    const all = new Int16Array(65536);
    for (let i = 0; i < all.length; i++) all[i] = i - 32768;
    const back = mulawDecode(mulawEncode(all));
    let worst = 0;
    for (let i = 0; i < all.length; i++) {
      const x = all[i]!;
      const err = Math.abs(back[i]! - x);
      // Segment step is |x|/16 at most; beyond the clip level (32635) the error grows to ~650.
      const bound = Math.abs(x) > 32635 ? 700 : Math.abs(x) / 32 + 16;
      if (err > bound) worst = Math.max(worst, err - bound);
    }
    expect(worst).toBe(0);
  });

  it('keeps speech-level signals above 35 dB SNR', () => {
    const x = sine(440, 8000, 0.5, 8000);
    const y = mulawDecode(mulawEncode(x));
    const noise = new Int16Array(x.length);
    for (let i = 0; i < x.length; i++) noise[i] = y[i]! - x[i]!;
    expect(db(rms(x) / rms(noise))).toBeGreaterThan(35);
  });
});
