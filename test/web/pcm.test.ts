/**
 * The talk page's microphone and speaker arithmetic (web/src/audio/pcm.ts), run under node: the
 * same module the AudioWorklet imports.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resampleAll } from '../../src/voice/audio/resampler.js';
import { readWav } from '../../src/voice/audio/wav.js';
import { floatToInt16, frameDbfs, int16ToBytesLE, LoudnessGate, MicEncoder, Pcm16Decoder, Pcm16Framer, StreamResampler } from '../../web/src/audio/pcm.js';

const tone = (hz: number, rate: number, seconds: number, amp = 0.5) =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / rate));

/** Amplitude of one frequency (Goertzel), over a window that skips the filter's start-up. */
function amplitudeAt(x: Float32Array, hz: number, rate: number): number {
  const w = 2 * Math.cos((2 * Math.PI * hz) / rate);
  let s1 = 0;
  let s2 = 0;
  for (const v of x) {
    const s = v + w * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  const power = s1 * s1 + s2 * s2 - w * s1 * s2;
  return (2 * Math.sqrt(Math.max(0, power))) / x.length;
}

const rms = (x: ArrayLike<number>) => Math.sqrt(Array.from(x).reduce((a, v) => a + v * v, 0) / x.length);

/** Feeds a signal in AudioWorklet-sized blocks. */
function inBlocks(r: StreamResampler, x: Float32Array, block = 128): Float32Array {
  const parts: Float32Array[] = [];
  for (let i = 0; i < x.length; i += block) parts.push(r.process(x.subarray(i, i + block)));
  parts.push(r.flush());
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) (out.set(p, o), (o += p.length));
  return out;
}

describe('StreamResampler: microphone rate → 16 kHz', () => {
  it.each([48000, 44100, 24000])('keeps a 1 kHz tone at %i Hz: one third of the samples, same pitch, same level', (rate) => {
    const out = inBlocks(new StreamResampler(rate, 16000), tone(1000, rate, 1));
    expect(Math.abs(out.length - 16000)).toBeLessThanOrEqual(2);
    const mid = out.subarray(800, 15200);
    expect(amplitudeAt(mid, 1000, 16000)).toBeCloseTo(0.5, 2);
    // Nothing else: the residual after removing the 1 kHz component is tiny.
    expect(amplitudeAt(mid, 1500, 16000)).toBeLessThan(0.005);
  });

  it('removes content above the 8 kHz output Nyquist instead of folding it into speech', () => {
    const out = inBlocks(new StreamResampler(48000, 16000), tone(12000, 48000, 0.5));
    // A naive decimator would turn 12 kHz into a loud 4 kHz tone.
    expect(amplitudeAt(out.subarray(400, 7600), 4000, 16000)).toBeLessThan(0.005);
    expect(rms(out.subarray(400, 7600))).toBeLessThan(0.005);
  });

  it('gives the same output whatever block sizes the audio thread delivers', () => {
    const x = tone(440, 44100, 0.3);
    const a = inBlocks(new StreamResampler(44100), x, 128);
    const b = inBlocks(new StreamResampler(44100), x, 1000);
    const c = inBlocks(new StreamResampler(44100), x, 7);
    expect(b.length).toBe(a.length);
    expect(c.length).toBe(a.length);
    for (let i = 0; i < a.length; i++) {
      expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-6);
      expect(Math.abs(a[i]! - c[i]!)).toBeLessThan(1e-6);
    }
  });

  it('passes 16 kHz through untouched', () => {
    const x = tone(300, 16000, 0.1);
    expect(Array.from(inBlocks(new StreamResampler(16000), x))).toEqual(Array.from(x));
  });

  it('refuses nonsense rates', () => {
    expect(() => new StreamResampler(0)).toThrow(RangeError);
  });
});

describe('PCM16 encoding and framing', () => {
  it('clips, rounds and maps the full scale asymmetrically', () => {
    expect(Array.from(floatToInt16(Float32Array.from([1, -1, 0.5, -0.5, 2, -2, Number.NaN, 0])))).toEqual([32767, -32768, 16384, -16384, 32767, -32768, 0, 0]);
  });

  it('writes little-endian bytes', () => {
    expect(Array.from(int16ToBytesLE(Int16Array.from([0x0102, -2])))).toEqual([0x02, 0x01, 0xfe, 0xff]);
  });

  it('cuts any block sizes into 20 ms frames in order, with the remainder on flush', () => {
    const framer = new Pcm16Framer(320);
    const samples = Int16Array.from({ length: 1000 }, (_, i) => i);
    const frames: Uint8Array[] = [];
    for (let i = 0; i < samples.length; i += 128) frames.push(...framer.push(samples.subarray(i, i + 128)));
    expect(frames.map((f) => f.length)).toEqual([640, 640, 640]);
    const tail = framer.flush()!;
    expect(tail.length).toBe(80);
    expect(framer.flush()).toBeNull();
    const all = new Pcm16Decoder().decode(Uint8Array.from([...frames.flatMap((f) => [...f]), ...tail]));
    expect(Array.from(all, (v) => Math.round(v * 32768))).toEqual(Array.from(samples));
  });

  it('decodes socket frames that split a sample across messages', () => {
    const bytes = int16ToBytesLE(Int16Array.from([1000, -1000, 32767, -32768, 5]));
    const whole = new Pcm16Decoder().decode(bytes);
    const d = new Pcm16Decoder();
    const parts = [d.decode(bytes.subarray(0, 3)), d.decode(bytes.subarray(3, 4)), d.decode(bytes.subarray(4, 9)), d.decode(bytes.subarray(9))];
    expect(parts.map((p) => p.length)).toEqual([1, 1, 2, 1]);
    expect(parts.flatMap((p) => Array.from(p))).toEqual(Array.from(whole));
    expect(whole[3]).toBe(-1);
  });
});

describe('MicEncoder: the worklet chain', () => {
  it('turns one second at 48 kHz into 50 frames of 640 bytes', () => {
    const enc = new MicEncoder(48000);
    const x = tone(500, 48000, 1);
    const frames: Uint8Array[] = [];
    for (let i = 0; i < x.length; i += 128) frames.push(...enc.push(x.subarray(i, i + 128)));
    frames.push(...enc.flush());
    const total = frames.reduce((n, f) => n + f.length, 0);
    expect(Math.abs(total - 32000)).toBeLessThanOrEqual(4);
    expect(frames.slice(0, -1).every((f) => f.length === 640)).toBe(true);
  });

  it('round-trips a spoken fixture: 16 kHz → 48 kHz (libsamplerate) → our encoder → 16 kHz, faithfully', async () => {
    const wav = readWav(readFileSync(join(import.meta.dirname, '../../fixtures/audio/vitals-bp.wav')));
    const up = await resampleAll(wav.pcm, 16000, 48000);
    const enc = new MicEncoder(48000);
    const f32 = Float32Array.from(up, (s) => s / 32768);
    const frames: Uint8Array[] = [];
    for (let i = 0; i < f32.length; i += 128) frames.push(...enc.push(f32.subarray(i, i + 128)));
    frames.push(...enc.flush());
    const back = new Pcm16Decoder().decode(Uint8Array.from(frames.flatMap((f) => [...f])));
    const orig = Float32Array.from(wav.pcm, (s) => s / 32768);
    // Align on the best lag (each resampler adds a few samples of delay), then compare.
    let best = { lag: 0, err: Infinity };
    for (let lag = -20; lag <= 20; lag++) {
      let err = 0;
      for (let i = 1000; i < orig.length - 1000; i++) err += (orig[i]! - (back[i + lag] ?? 0)) ** 2;
      if (err < best.err) best = { lag, err };
    }
    let sig = 0;
    for (let i = 1000; i < orig.length - 1000; i++) sig += orig[i]! ** 2;
    const snrDb = 10 * Math.log10(sig / best.err);
    expect(Math.abs(back.length - orig.length)).toBeLessThanOrEqual(4);
    expect(snrDb).toBeGreaterThan(25);
  });
});

describe('levels and the local barge-in gate', () => {
  it('measures a full-scale sine near -3 dBFS and silence as -Infinity', () => {
    expect(frameDbfs(int16ToBytesLE(floatToInt16(tone(1000, 16000, 0.02, 1))))).toBeCloseTo(-3.01, 1);
    expect(frameDbfs(new Uint8Array(640))).toBe(-Infinity);
  });

  it('opens once after enough consecutive loud frames and re-arms after a quiet one', () => {
    const gate = new LoudnessGate(-35, 3);
    expect([-20, -20, -50, -20, -20, -20, -20].map((d) => gate.push(d))).toEqual([false, false, false, false, false, true, false]);
    gate.reset();
    expect([-10, -10, -10].map((d) => gate.push(d))).toEqual([false, false, true]);
  });
});
