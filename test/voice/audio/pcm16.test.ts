import { describe, expect, it } from 'vitest';
import { FrameSplitter, Pcm16Decoder, int16ToBytes } from '../../../src/voice/audio/pcm16.js';
import { chunkBytes } from './signals.js';

describe('PCM16 chunking', () => {
  const samples = Int16Array.from({ length: 1001 }, (_, i) => ((i * 7919) % 65536) - 32768);
  const bytes = int16ToBytes(samples);

  it('reassembles samples split across odd-sized chunks', () => {
    for (const sizes of [[1], [3, 5, 7], [2], [1, 2, 999], [4097]]) {
      const dec = new Pcm16Decoder();
      const parts = chunkBytes(bytes, sizes).map((c) => dec.push(c));
      const joined = Int16Array.from(parts.flatMap((p) => Array.from(p)));
      expect(joined).toEqual(samples);
      expect(dec.pending).toBe(false);
    }
  });

  it('holds a trailing odd byte until its pair arrives', () => {
    const dec = new Pcm16Decoder();
    expect(dec.push(Uint8Array.from([0x34])).length).toBe(0);
    expect(dec.pending).toBe(true);
    expect(Array.from(dec.push(Uint8Array.from([0x12, 0xff, 0xff])))).toEqual([0x1234, -1]);
    expect(dec.pending).toBe(false);
  });

  it('cuts any stream into fixed frames and pads only the flushed tail', () => {
    const split = new FrameSplitter(320);
    const frames: Int16Array[] = [];
    for (const n of [100, 333, 7, 500, 61]) split.push(samples.subarray(0, n), (f) => frames.push(f));
    expect(frames.length).toBe(3);
    expect(frames.every((f) => f.length === 320)).toBe(true);
    expect(frames[0]!.subarray(0, 100)).toEqual(samples.subarray(0, 100));
    split.flush((f) => frames.push(f));
    expect(frames.length).toBe(4);
    expect(frames[3]!.subarray(1001 - 960).every((v) => v === 0)).toBe(true);
  });
});
