/**
 * Audio helpers for the fake Sarvam server and for tests that feed it: real WAV/PCM/G.711 output,
 * a crude energy VAD, and the two ways a test can name an utterance (content hash or marker).
 */
import { createHash } from 'node:crypto';

/** The key a script uses for a piece of audio: sha256 (hex) of the exact bytes sent. */
export function audioKey(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const MARKER_PREFIX = 'FAKEMARK:';

/** Bytes a test embeds in audio so the fake answers with `script.transcripts[name]`. */
export function markerBytes(name: string): Buffer {
  if (!/^[\w.-]{1,64}$/.test(name)) throw new Error('marker names are 1-64 word characters');
  const text = `${MARKER_PREFIX}${name};`;
  // Even length keeps the 16-bit samples that follow aligned.
  return Buffer.from(text.length % 2 ? `${text};` : text, 'latin1');
}

/** Finds the first marker embedded anywhere in the audio. */
export function findMarker(bytes: Uint8Array): string | undefined {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const m = /FAKEMARK:([\w.-]{1,64});/.exec(text);
  return m?.[1];
}

/** 16-bit mono PCM of a sine tone (or silence when hz is 0), with short fades to avoid clicks. */
export function tonePcm(durationMs: number, sampleRate: number, hz = 220, amplitude = 0.25): Buffer {
  const n = Math.max(0, Math.round((durationMs * sampleRate) / 1000));
  const out = Buffer.alloc(n * 2);
  if (hz <= 0) return out;
  const fade = Math.min(Math.round(sampleRate / 100), Math.floor(n / 2));
  for (let i = 0; i < n; i++) {
    const env = fade > 0 ? Math.min(1, i / fade, (n - 1 - i) / fade) : 1;
    const v = Math.sin((2 * Math.PI * hz * i) / sampleRate) * amplitude * env;
    out.writeInt16LE(Math.round(v * 32767), i * 2);
  }
  return out;
}

export function silencePcm(durationMs: number, sampleRate: number): Buffer {
  return tonePcm(durationMs, sampleRate, 0);
}

/** Wraps PCM in a canonical 44-byte RIFF header. formatTag 1 = PCM16, 6 = A-law, 7 = mu-law. */
export function wavFile(data: Buffer, sampleRate: number, formatTag: 1 | 6 | 7 = 1): Buffer {
  return Buffer.concat([wavHeader(data.length, sampleRate, formatTag), data]);
}

export function wavHeader(dataBytes: number, sampleRate: number, formatTag: 1 | 6 | 7 = 1): Buffer {
  const bits = formatTag === 1 ? 16 : 8;
  const blockAlign = bits / 8;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(formatTag, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * blockAlign, 28);
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(bits, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes, 40);
  return header;
}

export interface ParsedWav {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  formatTag: number;
  data: Buffer;
}

/** Parses a RIFF/WAVE file chunk by chunk (headers are not always 44 bytes). */
export function parseWav(buf: Buffer): ParsedWav | undefined {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    return undefined;
  }
  let offset = 12;
  let fmt: Omit<ParsedWav, 'data'> | undefined;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ' && body + 16 <= buf.length) {
      fmt = {
        formatTag: buf.readUInt16LE(body),
        channels: buf.readUInt16LE(body + 2),
        sampleRate: buf.readUInt32LE(body + 4),
        bitsPerSample: buf.readUInt16LE(body + 14),
      };
    } else if (id === 'data' && fmt) {
      // Streaming writers put 0 or 0xFFFFFFFF here; take what is present.
      const end = size === 0 || size === 0xffffffff ? buf.length : Math.min(buf.length, body + size);
      return { ...fmt, data: buf.subarray(body, end) };
    }
    offset = body + size + (size % 2);
  }
  return undefined;
}

/** PCM16 samples of a chunk the client sent: a WAV file is unwrapped, anything else taken as raw s16le. */
export function pcmOf(chunk: Buffer): Buffer {
  return parseWav(chunk)?.data ?? chunk;
}

/** Per-window speech flags from a crude RMS detector; enough to drive VAD events deterministically. */
export function speechWindows(pcm: Buffer, sampleRate: number, windowMs = 20, threshold = 500): boolean[] {
  const perWindow = Math.max(1, Math.round((sampleRate * windowMs) / 1000));
  const samples = Math.floor(pcm.length / 2);
  const flags: boolean[] = [];
  for (let start = 0; start < samples; start += perWindow) {
    const end = Math.min(samples, start + perWindow);
    let sum = 0;
    for (let i = start; i < end; i++) {
      const s = pcm.readInt16LE(i * 2);
      sum += s * s;
    }
    flags.push(Math.sqrt(sum / (end - start)) >= threshold);
  }
  return flags;
}

function linearToMulaw(sample: number): number {
  const BIAS = 0x84;
  const sign = sample < 0 ? 0x80 : 0;
  let s = Math.min(32635, Math.abs(sample)) + BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

function linearToAlaw(sample: number): number {
  const sign = sample >= 0 ? 0xd5 : 0x55;
  let s = Math.min(32767, Math.abs(sample)) >> 3;
  let exponent = 0;
  if (s >= 0x20) {
    exponent = 1;
    for (let v = s >> 5; v > 1 && exponent < 7; v >>= 1) exponent++;
    s = (s >> exponent) & 0x0f;
  } else {
    s = s >> 1;
  }
  return ((exponent << 4) | s) ^ sign;
}

export function pcmToG711(pcm: Buffer, law: 'mulaw' | 'alaw'): Buffer {
  const out = Buffer.alloc(Math.floor(pcm.length / 2));
  const enc = law === 'mulaw' ? linearToMulaw : linearToAlaw;
  for (let i = 0; i < out.length; i++) out[i] = enc(pcm.readInt16LE(i * 2));
  return out;
}

/** Codecs the fake can really produce; compressed ones (mp3, opus, …) it refuses rather than fake. */
export const FAKE_TTS_CODECS = ['wav', 'linear16', 'mulaw', 'alaw'] as const;
export type FakeTtsCodec = (typeof FAKE_TTS_CODECS)[number];

export const CONTENT_TYPES: Record<FakeTtsCodec, string> = {
  wav: 'audio/wav',
  linear16: 'audio/pcm',
  mulaw: 'audio/basic',
  alaw: 'audio/x-alaw-basic',
};

/** Encodes PCM16 as the requested codec; `wav` gives a complete file per call. */
export function encodeAudio(pcm: Buffer, sampleRate: number, codec: FakeTtsCodec): Buffer {
  switch (codec) {
    case 'wav':
      return wavFile(pcm, sampleRate);
    case 'linear16':
      return pcm;
    case 'mulaw':
    case 'alaw':
      return pcmToG711(pcm, codec);
  }
}

/**
 * A test utterance as 16-bit PCM: a tone (speech to the fake's VAD), an optional marker inside it,
 * then trailing silence.
 */
export function utterancePcm(opts: { speechMs?: number; silenceMs?: number; marker?: string; sampleRate?: number; hz?: number } = {}): Buffer {
  const rate = opts.sampleRate ?? 16000;
  const speech = tonePcm(opts.speechMs ?? 600, rate, opts.hz ?? 300, 0.3);
  const half = Math.floor(speech.length / 4) * 2;
  const parts = [speech.subarray(0, half)];
  if (opts.marker !== undefined) parts.push(markerBytes(opts.marker));
  parts.push(speech.subarray(half), silencePcm(opts.silenceMs ?? 0, rate));
  return Buffer.concat(parts);
}

/** Splits audio into chunks of `ms` milliseconds of 16-bit PCM, as a microphone would deliver it. */
export function chunksOf(pcm: Buffer, ms: number, sampleRate = 16000): Buffer[] {
  const size = Math.max(2, Math.round((sampleRate * ms) / 1000) * 2);
  const out: Buffer[] = [];
  for (let i = 0; i < pcm.length; i += size) out.push(pcm.subarray(i, i + size));
  return out;
}
