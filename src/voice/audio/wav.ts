/**
 * WAV in and out. Whole files go through wavefile (any PCM depth, float, μ-law, stereo); audio
 * streamed from a child process goes through WavStreamParser, because streaming writers such as
 * espeak-ng put placeholder sizes in the header and the data runs until the pipe closes.
 */
import wavefile from 'wavefile';
import { Pcm16Decoder } from './pcm16.js';

export interface Pcm {
  pcm: Int16Array;
  sampleRate: number;
}

export class WavFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WavFormatError';
  }
}

/** Decodes a WAV file to mono 16-bit samples at the file's own rate. */
export function readWav(bytes: Uint8Array): Pcm {
  const wav = new wavefile.WaveFile();
  try {
    wav.fromBuffer(bytes);
  } catch (err) {
    throw new WavFormatError(`not a readable WAV file: ${(err as Error).message}`);
  }
  // Copied out first: wavefile's conversions reset the fmt object in place.
  const { audioFormat, numChannels: channels, sampleRate } = wav.fmt as { audioFormat: number; numChannels: number; sampleRate: number };
  if (channels < 1 || sampleRate < 1) throw new WavFormatError('WAV header has no channels or rate');
  if (audioFormat === 7) wav.fromMuLaw();
  if (wav.bitDepth !== '16') wav.toBitDepth('16');
  const interleaved = wav.getSamples(true, Int16Array) as unknown as Int16Array;
  if (channels === 1) return { pcm: interleaved, sampleRate };
  const frames = Math.floor(interleaved.length / channels);
  const mono = new Int16Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += interleaved[i * channels + c]!;
    mono[i] = Math.round(sum / channels);
  }
  return { pcm: mono, sampleRate };
}

/** A canonical 44-byte header; `dataBytes` undefined writes the streaming placeholder. */
export function wavHeader(sampleRate: number, dataBytes?: number, encoding: 'pcm16' | 'mulaw' = 'pcm16'): Buffer {
  const h = Buffer.alloc(44);
  const bytesPerSample = encoding === 'pcm16' ? 2 : 1;
  const size = dataBytes ?? 0xffffffff - 36;
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(Math.min(0xffffffff, size + 36), 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(encoding === 'pcm16' ? 1 : 7, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * bytesPerSample, 28);
  h.writeUInt16LE(bytesPerSample, 32);
  h.writeUInt16LE(bytesPerSample * 8, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(size, 40);
  return h;
}

export function writeWav(pcm: Int16Array, sampleRate: number): Buffer {
  const body = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  return Buffer.concat([wavHeader(sampleRate, body.length), body]);
}

/**
 * Incremental WAV reader for 16-bit PCM: finds `fmt ` and `data`, then hands out samples as
 * bytes arrive, ignoring the size fields.
 */
export class WavStreamParser {
  private head: Buffer = Buffer.alloc(0);
  private inData = false;
  private readonly pcm = new Pcm16Decoder();
  sampleRate: number | undefined;
  channels = 1;

  push(chunk: Uint8Array): Int16Array {
    if (this.inData) return this.downmix(this.pcm.push(chunk));
    this.head = Buffer.concat([this.head, chunk]);
    if (this.head.length < 12) return new Int16Array(0);
    if (this.head.toString('ascii', 0, 4) !== 'RIFF' || this.head.toString('ascii', 8, 12) !== 'WAVE') {
      throw new WavFormatError('stream is not RIFF/WAVE');
    }
    let o = 12;
    while (o + 8 <= this.head.length) {
      const id = this.head.toString('ascii', o, o + 4);
      const size = this.head.readUInt32LE(o + 4);
      if (id === 'data') {
        this.inData = true;
        const rest = this.head.subarray(o + 8);
        this.head = Buffer.alloc(0);
        if (this.sampleRate === undefined) throw new WavFormatError('data before fmt chunk');
        return this.downmix(this.pcm.push(rest));
      }
      if (o + 8 + size > this.head.length) break;
      if (id === 'fmt ') {
        const format = this.head.readUInt16LE(o + 8);
        const bits = this.head.readUInt16LE(o + 22);
        if ((format !== 1 && format !== 0xfffe) || bits !== 16) throw new WavFormatError('only 16-bit PCM WAV streams');
        this.channels = this.head.readUInt16LE(o + 10);
        this.sampleRate = this.head.readUInt32LE(o + 12);
      }
      o += 8 + size + (size & 1);
    }
    if (this.head.length > 65536) throw new WavFormatError('no data chunk in the first 64 KB');
    return new Int16Array(0);
  }

  private downmix(samples: Int16Array): Int16Array {
    if (this.channels === 1) return samples;
    // Streams from our own tools are mono; downmix anything else rather than play it fast.
    const n = Math.floor(samples.length / this.channels);
    const out = new Int16Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < this.channels; c++) s += samples[i * this.channels + c]!;
      out[i] = Math.round(s / this.channels);
    }
    return out;
  }
}
