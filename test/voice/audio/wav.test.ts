import { describe, expect, it } from 'vitest';
import wavefile from 'wavefile';
import { WavFormatError, WavStreamParser, readWav, wavHeader, writeWav } from '../../../src/voice/audio/wav.js';
import { chunkBytes, sine } from './signals.js';

describe('WAV', () => {
  it('writes a file that reads back to the same samples and rate', () => {
    const x = sine(440, 24000, 0.2);
    const { pcm, sampleRate } = readWav(writeWav(x, 24000));
    expect(sampleRate).toBe(24000);
    expect(pcm).toEqual(x);
  });

  it('reads stereo 24-bit files as mono 16-bit', () => {
    const w = new wavefile.WaveFile();
    const left = Array.from({ length: 100 }, () => 1_000_000);
    const right = Array.from({ length: 100 }, () => -200_000);
    w.fromScratch(2, 44100, '24', [left, right]);
    const { pcm, sampleRate } = readWav(w.toBuffer());
    expect(sampleRate).toBe(44100);
    expect(pcm.length).toBe(100);
    expect(Math.abs(pcm[0]! - Math.round((1_000_000 - 200_000) / 2 / 256))).toBeLessThanOrEqual(1);
  });

  it('rejects bytes that are not WAV', () => {
    expect(() => readWav(Buffer.from('definitely not a wav file at all'))).toThrow(WavFormatError);
  });

  it('streams samples from a header with placeholder sizes, in odd chunks', () => {
    const x = sine(300, 22050, 0.1);
    const bytes = Buffer.concat([wavHeader(22050), Buffer.from(x.buffer)]);
    const p = new WavStreamParser();
    const got = chunkBytes(bytes, [5, 13, 1, 400]).flatMap((c) => Array.from(p.push(c)));
    expect(p.sampleRate).toBe(22050);
    expect(Int16Array.from(got)).toEqual(x);
  });

  it('skips extra chunks before the data chunk', () => {
    const x = Int16Array.from([1, -2, 3]);
    const full = writeWav(x, 16000);
    const list = Buffer.concat([Buffer.from('LIST'), Buffer.from([4, 0, 0, 0]), Buffer.from('INFO')]);
    const withList = Buffer.concat([full.subarray(0, 36), list, full.subarray(36)]);
    const p = new WavStreamParser();
    expect(Array.from(p.push(withList))).toEqual([1, -2, 3]);
  });
});
