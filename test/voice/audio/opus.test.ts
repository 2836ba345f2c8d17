import { describe, expect, it } from 'vitest';
import { encodeOggOpus } from '../../../src/voice/audio/ogg-opus-writer.js';
import { OpusDecoder, OpusFormatError, detectOpusContainer } from '../../../src/voice/audio/opus.js';
import { chunkBytes, sine, toneAmplitude } from './signals.js';

async function decodeAll(bytes: Uint8Array, sizes: number[]): Promise<{ pcm: Int16Array; error?: Error }> {
  const parts: Int16Array[] = [];
  let error: Error | undefined;
  const dec = new OpusDecoder((p) => parts.push(p), (e) => (error = e));
  for (const c of chunkBytes(bytes, sizes)) dec.push(c);
  await dec.end();
  return { pcm: Int16Array.from(parts.flatMap((p) => Array.from(p))), error };
}

describe('Ogg Opus input', () => {
  it('decodes a real Ogg Opus stream recorded at 48 kHz to 16 kHz mono, from odd chunks', async () => {
    const ogg = encodeOggOpus(sine(440, 48000, 1), { sampleRate: 48000 });
    expect(detectOpusContainer(ogg)).toBe('ogg');
    const { pcm, error } = await decodeAll(ogg, [7, 100, 3, 999]);
    expect(error).toBeUndefined();
    expect(Math.abs(pcm.length - 16000)).toBeLessThan(400);
    const body = pcm.subarray(2000, 14000);
    expect(toneAmplitude(body, 440, 16000)).toBeGreaterThan(8000);
    expect(toneAmplitude(body, 1000, 16000)).toBeLessThan(400);
  });

  it('reports garbage as a format error, once', async () => {
    const errors: Error[] = [];
    const dec = new OpusDecoder(() => undefined, (e) => errors.push(e));
    dec.push(Buffer.from('this is not an ogg stream at all'));
    dec.push(Buffer.from('more garbage'));
    await dec.end();
    expect(errors.length).toBe(1);
    expect(errors[0]).toBeInstanceOf(OpusFormatError);
  });

  it('reports a corrupt page inside an Ogg stream', async () => {
    const ogg = Buffer.from(encodeOggOpus(sine(440, 16000, 0.3), { sampleRate: 16000 }));
    // Break the capture pattern of the third page.
    const third = ogg.indexOf('OggS', ogg.indexOf('OggS', ogg.indexOf('OggS', 1) + 1) + 1);
    ogg.write('XXXX', third, 'ascii');
    const { error } = await decodeAll(ogg, [64]);
    expect(error).toBeInstanceOf(OpusFormatError);
  });
});
