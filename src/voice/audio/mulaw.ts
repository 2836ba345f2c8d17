/**
 * G.711 μ-law, the telephone codec (Twilio and Plivo media streams, 8 kHz). Table-driven: a
 * 256-entry decode table and a 16k-entry encode table indexed by the top 14 bits of the sample.
 */
const BIAS = 0x84;
const CLIP = 32635;

function encodeSample(sample: number): number {
  const sign = sample < 0 ? 0x80 : 0;
  let magnitude = Math.min(sign ? -sample : sample, CLIP) + BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

function decodeByte(byte: number): number {
  const u = ~byte & 0xff;
  const exponent = (u >> 4) & 0x07;
  const magnitude = ((((u & 0x0f) << 3) + BIAS) << exponent) - BIAS;
  return u & 0x80 ? -magnitude : magnitude;
}

const DECODE = new Int16Array(256);
for (let i = 0; i < 256; i++) DECODE[i] = decodeByte(i);

// Index by sample >> 2: the two lowest bits never change the μ-law code.
const ENCODE = new Uint8Array(1 << 14);
for (let i = 0; i < ENCODE.length; i++) ENCODE[i] = encodeSample((i - (1 << 13)) << 2);

export function mulawDecode(bytes: Uint8Array): Int16Array {
  const out = new Int16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = DECODE[bytes[i]!]!;
  return out;
}

export function mulawEncode(pcm: Int16Array): Uint8Array {
  const out = new Uint8Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = ENCODE[(pcm[i]! >> 2) + (1 << 13)]!;
  return out;
}
