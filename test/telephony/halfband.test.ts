import { describe, expect, it } from 'vitest';
import { Downsampler2x, Upsampler2x } from '../../src/telephony/halfband.js';

const tone = (hz: number, rate: number, ms: number, amp = 10_000) => Int16Array.from({ length: (rate * ms) / 1000 }, (_, i) => Math.round(amp * Math.sin((2 * Math.PI * hz * i) / rate)));
/** RMS after the filter has settled (skips the first 10 ms). */
const rms = (x: Int16Array, rate: number) => {
  const s = x.subarray(rate / 100);
  return Math.sqrt(s.reduce((a, v) => a + v * v, 0) / s.length);
};
const db = (a: number, b: number) => 20 * Math.log10(a / b);
/** Amplitude of one frequency (a single DFT bin over the settled part). */
function level(x: Int16Array, rate: number, hz: number): number {
  const s = x.subarray(rate / 100);
  let re = 0;
  let im = 0;
  for (let i = 0; i < s.length; i++) {
    re += s[i]! * Math.cos((2 * Math.PI * hz * i) / rate);
    im -= s[i]! * Math.sin((2 * Math.PI * hz * i) / rate);
  }
  return (2 * Math.hypot(re, im)) / s.length;
}

describe('Upsampler2x (8 → 16 kHz)', () => {
  it('keeps speech-band tones at their level and frequency, and puts almost nothing at the image', () => {
    for (const hz of [300, 1000, 3000]) {
      const out = new Upsampler2x().process(tone(hz, 8000, 200));
      expect(out.length).toBe(3200);
      expect(Math.abs(db(level(out, 16000, hz), 10_000))).toBeLessThan(0.5);
      // Zero-stuffing images hz at 8000 - hz; the low-pass must remove it.
      expect(db(level(out, 16000, 8000 - hz), 10_000)).toBeLessThan(-50);
    }
  });

  it('gives the same samples whether fed at once or in odd-sized chunks', () => {
    const input = tone(700, 8000, 100);
    const whole = new Upsampler2x().process(input);
    const u = new Upsampler2x();
    const parts = [input.subarray(0, 37), input.subarray(37, 160), input.subarray(160, 161), input.subarray(161)].map((p) => u.process(p));
    expect(Int16Array.from(parts.flatMap((p) => [...p]))).toEqual(whole);
  });
});

describe('Downsampler2x (16 → 8 kHz)', () => {
  it('passes the telephone band and rejects what would alias into it', () => {
    expect(Math.abs(db(rms(new Downsampler2x().process(tone(1000, 16000, 200)), 8000), 10_000 / Math.SQRT2))).toBeLessThan(0.5);
    expect(Math.abs(db(rms(new Downsampler2x().process(tone(3300, 16000, 200)), 8000), 10_000 / Math.SQRT2))).toBeLessThan(1);
    // 6 kHz would fold to 2 kHz at 8 kHz.
    expect(db(rms(new Downsampler2x().process(tone(6000, 16000, 200)), 8000), 10_000 / Math.SQRT2)).toBeLessThan(-55);
  });

  it('gives the same samples whether fed at once or in odd-sized chunks', () => {
    const input = tone(500, 16000, 100);
    const whole = new Downsampler2x().process(input);
    const d = new Downsampler2x();
    const parts = [input.subarray(0, 333), input.subarray(333, 334), input.subarray(334, 1001), input.subarray(1001)].map((p) => d.process(p));
    expect(Int16Array.from(parts.flatMap((p) => [...p]))).toEqual(whole);
  });
});
