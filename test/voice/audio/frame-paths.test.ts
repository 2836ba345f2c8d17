/**
 * The per-frame fast paths (whole 20 ms frames copied in one go) must give exactly what the
 * sample-by-sample paths give, and must never hand out memory the caller still owns.
 */
import { describe, expect, it } from 'vitest';
import { FrameSplitter, Pcm16Decoder, int16ToBytes } from '../../../src/voice/audio/pcm16.js';
import { Endpointer, type EndpointEvent } from '../../../src/voice/audio/vad.js';
import { fixtureManifest, fixturePcm } from './fixtures.js';
import { chunkBytes } from './signals.js';

const samples = Int16Array.from({ length: 2000 }, (_, i) => ((i * 7919) % 65536) - 32768);

describe('PCM16 fast paths', () => {
  it('decodes frame-aligned chunks exactly as odd-sized ones, into memory of its own', () => {
    const bytes = int16ToBytes(samples);
    const aligned = new Pcm16Decoder();
    const frames = chunkBytes(Uint8Array.from(bytes), [640]);
    const out = frames.map((c) => aligned.push(c));
    for (const c of frames) c.fill(0x55); // the socket's buffer is reused or changed afterwards
    expect(Int16Array.from(out.flatMap((p) => Array.from(p)))).toEqual(samples);

    // An odd chunk in the middle: the carried byte switches to the slow path and back.
    const mixed = new Pcm16Decoder();
    const parts = chunkBytes(bytes, [640, 641, 1, 640, 3, 1]).map((c) => mixed.push(c));
    expect(Int16Array.from(parts.flatMap((p) => Array.from(p)))).toEqual(samples);
  });

  it('encodes a view into a larger array from its own offset, as a copy', () => {
    const source = samples.slice(0, 10);
    const bytes = int16ToBytes(source.subarray(3, 7));
    expect(bytes.length).toBe(8);
    expect(Array.from({ length: 4 }, (_, i) => bytes.readInt16LE(i * 2))).toEqual(Array.from(samples.subarray(3, 7)));
    source.fill(1);
    expect(bytes.readInt16LE(0)).toBe(samples[3]);
  });

  it('cuts whole frames from a push and keeps partial ones in order', () => {
    const input = samples.slice();
    const split = new FrameSplitter(320);
    const frames: Int16Array[] = [];
    let o = 0;
    for (const n of [960, 100, 860, 80]) {
      split.push(input.subarray(o, o + n), (f) => frames.push(f));
      o += n;
    }
    expect(frames.length).toBe(6);
    input.fill(0); // frames are copies: later changes to the input do not reach them
    frames.forEach((f, k) => expect(f, `frame ${k}`).toEqual(samples.subarray(k * 320, (k + 1) * 320)));
  });
});

describe('Endpointer fast path', () => {
  it('finds the same events whether fed whole frames, one long buffer or tiny chunks', async () => {
    const pcm = fixturePcm(fixtureManifest()[0]!.file);
    const feed = async (chunk: number) => {
      const ep = await Endpointer.create({ endSilenceMs: 400 });
      const events: EndpointEvent[] = [];
      for (let o = 0; o < pcm.length; o += chunk) events.push(...ep.push(pcm.subarray(o, o + chunk)));
      ep.close();
      return events;
    };
    const frames = await feed(320);
    expect(frames.map((e) => e.type)).toEqual(['speech-start', 'speech-end']);
    expect(await feed(pcm.length)).toEqual(frames);
    expect(await feed(7)).toEqual(frames);
    expect(await feed(650)).toEqual(frames);
  });
});
