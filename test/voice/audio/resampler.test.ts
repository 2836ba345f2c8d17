import { describe, expect, it } from 'vitest';
import { Resampler, resampleAll } from '../../../src/voice/audio/resampler.js';
import { db, sine, toneAmplitude } from './signals.js';

async function streamed(x: Int16Array, inRate: number, outRate: number, chunk: number): Promise<Int16Array> {
  const r = await Resampler.create(inRate, outRate);
  const parts: number[] = [];
  for (let o = 0; o < x.length; o += chunk) parts.push(...r.process(x.subarray(o, o + chunk)));
  parts.push(...r.flush());
  r.release();
  return Int16Array.from(parts);
}

describe('Resampler', () => {
  it('keeps a 1 kHz tone at 1 kHz going 48 kHz → 16 kHz, in small odd chunks', async () => {
    const y = await streamed(sine(1000, 48000, 1), 48000, 16000, 331);
    expect(Math.abs(y.length - 16000)).toBeLessThanOrEqual(2);
    const body = y.subarray(800, 15200);
    expect(toneAmplitude(body, 1000, 16000)).toBeGreaterThan(11000);
    // The energy is at 1 kHz, not smeared elsewhere.
    expect(toneAmplitude(body, 1500, 16000)).toBeLessThan(100);
  });

  it('removes a 12 kHz tone instead of folding it to 4 kHz (anti-aliasing)', async () => {
    const y = await resampleAll(sine(12000, 48000, 1), 48000, 16000);
    const body = y.subarray(800, 15200);
    // Sample dropping would put a full-scale 4 kHz alias here.
    expect(db(12000 / Math.max(1, toneAmplitude(body, 4000, 16000)))).toBeGreaterThan(60);
  });

  it('attenuates a 7 kHz tone near the 8 kHz Nyquist edge of 16 kHz output', async () => {
    const pass = toneAmplitude((await resampleAll(sine(1000, 48000, 1), 48000, 16000)).subarray(800, 15200), 1000, 16000);
    const edge = toneAmplitude((await resampleAll(sine(7000, 48000, 1), 48000, 16000)).subarray(800, 15200), 7000, 16000);
    expect(db(pass / edge)).toBeGreaterThan(6);
  });

  it('upsamples 8 kHz → 16 kHz without an image of the tone', async () => {
    const y = await streamed(sine(1000, 8000, 1), 8000, 16000, 160);
    expect(Math.abs(y.length - 16000)).toBeLessThanOrEqual(2);
    const body = y.subarray(800, 15200);
    expect(toneAmplitude(body, 1000, 16000)).toBeGreaterThan(11000);
    expect(toneAmplitude(body, 7000, 16000)).toBeLessThan(120);
  });

  it('gives the same samples whatever the chunking', async () => {
    const x = sine(440, 24000, 0.5);
    const a = await streamed(x, 24000, 16000, 480);
    const b = await streamed(x, 24000, 16000, 37);
    expect(b.length).toBe(a.length);
    let maxDiff = 0;
    for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
    expect(maxDiff).toBeLessThanOrEqual(2);
  });

  it('passes audio through untouched when the rates match', async () => {
    const r = await Resampler.create(16000, 16000);
    const x = sine(300, 16000, 0.1);
    expect(r.process(x)).toBe(x);
    expect(r.flush().length).toBe(0);
  });

  it('starts a reused converter with no memory of its previous stream', async () => {
    const first = await Resampler.create(48000, 16000);
    first.process(sine(1000, 48000, 0.2, 30000));
    first.release();
    const second = await Resampler.create(48000, 16000);
    const out = second.process(new Int16Array(4800));
    second.release();
    expect(out.every((v) => v === 0)).toBe(true);
  });
});
