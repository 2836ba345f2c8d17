/**
 * PCM → Ogg Opus (RFC 7845) with opusscript: what a browser's MediaRecorder or a speaker with an
 * Opus encoder sends. The CLI and the tests use it to produce real Ogg Opus without ffmpeg
 * (Debian's sox here has no Opus support).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const OpusScript = require('opusscript') as {
  new (rate: number, channels: number, application: number): { encode(pcm: Buffer, frameSize: number): Buffer; delete(): void };
  Application: { VOIP: number; AUDIO: number };
};

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    t[i] = r >>> 0;
  }
  return t;
})();

function oggCrc(bytes: Uint8Array): number {
  let crc = 0;
  for (const b of bytes) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) & 0xff) ^ b]!) >>> 0;
  return crc;
}

function page(packet: Buffer, serial: number, sequence: number, granule: bigint, flags: number): Buffer {
  const lacing: number[] = [];
  let left = packet.length;
  while (left >= 255) {
    lacing.push(255);
    left -= 255;
  }
  lacing.push(left);
  if (lacing.length > 255) throw new RangeError('Opus packet too large for one Ogg page');
  const h = Buffer.alloc(27 + lacing.length);
  h.write('OggS', 0, 'ascii');
  h.writeUInt8(0, 4);
  h.writeUInt8(flags, 5);
  h.writeBigUInt64LE(granule, 6);
  h.writeUInt32LE(serial, 14);
  h.writeUInt32LE(sequence, 18);
  h.writeUInt8(lacing.length, 26);
  Buffer.from(lacing).copy(h, 27);
  const out = Buffer.concat([h, packet]);
  out.writeUInt32LE(oggCrc(out), 22);
  return out;
}

export interface OggOpusOptions {
  /** 8000, 12000, 16000, 24000 or 48000. */
  sampleRate: number;
  /** Opus frame length; 20 ms is what WebRTC and MediaRecorder use. */
  frameMs?: 10 | 20 | 40 | 60;
  serial?: number;
}

/** Encodes mono PCM16 into a complete Ogg Opus file (one packet per page, easy to chunk). */
export function encodeOggOpus(pcm: Int16Array, opts: OggOpusOptions): Buffer {
  const rate = opts.sampleRate;
  const frame = (rate / 1000) * (opts.frameMs ?? 20);
  const serial = opts.serial ?? 0x504f4444;
  const enc = new OpusScript(rate, 1, OpusScript.Application.VOIP);
  const preSkip = 312;
  const head = Buffer.alloc(19);
  head.write('OpusHead', 0, 'ascii');
  head.writeUInt8(1, 8);
  head.writeUInt8(1, 9);
  head.writeUInt16LE(preSkip, 10);
  head.writeUInt32LE(rate, 12);
  head.writeInt16LE(0, 16);
  head.writeUInt8(0, 18);
  const vendor = Buffer.from('podd', 'ascii');
  const tags = Buffer.alloc(8 + 4 + vendor.length + 4);
  tags.write('OpusTags', 0, 'ascii');
  tags.writeUInt32LE(vendor.length, 8);
  vendor.copy(tags, 12);
  tags.writeUInt32LE(0, 12 + vendor.length);

  const pages = [page(head, serial, 0, 0n, 0x02), page(tags, serial, 1, 0n, 0)];
  const frames = Math.ceil(pcm.length / frame);
  const scale = 48000 / rate; // granule positions count 48 kHz samples
  try {
    for (let f = 0; f < frames; f++) {
      const chunk = new Int16Array(frame);
      chunk.set(pcm.subarray(f * frame, Math.min(pcm.length, (f + 1) * frame)));
      // opusscript wants the samples as little-endian bytes, not as an Int16Array.
      const packet = enc.encode(Buffer.from(chunk.buffer), frame);
      const granule = BigInt(Math.min(pcm.length, (f + 1) * frame) * scale + preSkip);
      pages.push(page(packet, serial, 2 + f, granule, f === frames - 1 ? 0x04 : 0));
    }
  } finally {
    enc.delete();
  }
  return Buffer.concat(pages);
}
