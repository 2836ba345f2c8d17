import { describe, expect, it } from 'vitest';
import { AudioInput } from '../../../src/voice/audio/input.js';
import { mulawEncode } from '../../../src/voice/audio/mulaw.js';
import { encodeOggOpus } from '../../../src/voice/audio/ogg-opus-writer.js';
import { int16ToBytes } from '../../../src/voice/audio/pcm16.js';
import { resampleAll } from '../../../src/voice/audio/resampler.js';
import type { InputFormat } from '../../../src/voice/audio/format.js';
import { chunkBytes, sine, toneAmplitude } from './signals.js';

async function collect(format: InputFormat, bytes: Uint8Array, sizes: number[]) {
  const frames: Int16Array[] = [];
  const errors: Error[] = [];
  const input = await AudioInput.create(format, { onFrame: (f) => frames.push(f), onError: (e) => errors.push(e) });
  for (const c of chunkBytes(bytes, sizes)) input.push(c);
  await input.flush();
  input.close();
  return { frames, errors, pcm: Int16Array.from(frames.flatMap((f) => Array.from(f))) };
}

describe('AudioInput', () => {
  for (const rate of [8000, 16000, 24000, 48000] as const) {
    it(`turns ${rate / 1000} kHz PCM16 in odd-sized chunks into 20 ms frames at 16 kHz`, async () => {
      const { frames, errors, pcm } = await collect({ encoding: 'pcm_s16le', sampleRate: rate }, int16ToBytes(sine(500, rate, 1)), [77, 1, 1283]);
      expect(errors).toEqual([]);
      expect(frames.every((f) => f.length === 320)).toBe(true);
      expect(Math.abs(pcm.length - 16000)).toBeLessThanOrEqual(320);
      expect(toneAmplitude(pcm.subarray(1000, 15000), 500, 16000)).toBeGreaterThan(11000);
    });
  }

  it('decodes 8 kHz μ-law (telephony) to 16 kHz', async () => {
    const { pcm } = await collect({ encoding: 'mulaw', sampleRate: 8000 }, mulawEncode(sine(700, 8000, 1)), [160]);
    expect(Math.abs(pcm.length - 16000)).toBeLessThanOrEqual(320);
    expect(toneAmplitude(pcm.subarray(1000, 15000), 700, 16000)).toBeGreaterThan(10500);
  });

  it('decodes Ogg Opus whatever rate the start message declares', async () => {
    const ogg = encodeOggOpus(await resampleAll(sine(600, 16000, 1), 16000, 48000), { sampleRate: 48000 });
    const { frames, errors, pcm } = await collect({ encoding: 'opus', sampleRate: 48000 }, ogg, [500]);
    expect(errors).toEqual([]);
    expect(frames.every((f) => f.length === 320)).toBe(true);
    expect(toneAmplitude(pcm.subarray(2000, 14000), 600, 16000)).toBeGreaterThan(8000);
  });

  it('reports garbage Opus through onError and then ignores further input', async () => {
    const { frames, errors } = await collect({ encoding: 'opus', sampleRate: 48000 }, Buffer.alloc(5000, 0x41), [1000]);
    expect(errors.length).toBe(1);
    expect(frames.length).toBe(0);
  });
});
