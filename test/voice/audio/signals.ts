/** Test signals and a single-bin DFT (Goertzel) to measure how much of a frequency is present. */
export function sine(freq: number, rate: number, seconds: number, amplitude = 12000): Int16Array {
  const n = Math.round(rate * seconds);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * freq * i) / rate));
  return out;
}

/** Amplitude of `freq` in `x` (≈ the sine's amplitude for a pure tone). */
export function toneAmplitude(x: Int16Array, freq: number, rate: number): number {
  const c = 2 * Math.cos((2 * Math.PI * freq) / rate);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < x.length; i++) {
    const s = x[i]! + c * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  return (2 * Math.sqrt(Math.max(0, s1 * s1 + s2 * s2 - c * s1 * s2))) / x.length;
}

export function rms(x: Int16Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / Math.max(1, x.length));
}

export const db = (ratio: number) => 20 * Math.log10(ratio);

/** Splits bytes into chunks of the given sizes, cycling. */
export function chunkBytes(bytes: Uint8Array, sizes: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let o = 0;
  for (let k = 0; o < bytes.length; k++) {
    const n = sizes[k % sizes.length]!;
    out.push(bytes.subarray(o, o + n));
    o += n;
  }
  return out;
}
