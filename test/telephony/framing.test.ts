import { describe, expect, it } from 'vitest';
import { EXOTEL_PCM16, Framer, MULAW_20MS } from '../../src/telephony/framing.js';

describe('Framer', () => {
  it('cuts μ-law into 160-byte frames whatever the chunking, and pads the last with μ-law silence', () => {
    const f = new Framer(MULAW_20MS);
    const out = [...f.push(Buffer.alloc(100, 1)), ...f.push(Buffer.alloc(300, 2)), ...f.flush()];
    expect(out.map((b) => b.length)).toEqual([160, 160, 160]);
    expect(Buffer.concat(out).subarray(0, 400)).toEqual(Buffer.concat([Buffer.alloc(100, 1), Buffer.alloc(300, 2)]));
    expect([...out[2]!.subarray(80)].every((b) => b === 0xff)).toBe(true);
    expect(f.flush()).toEqual([]);
  });

  it('sends Exotel multiples of 320 bytes, never fewer than 3,200, padding the end with zeros', () => {
    const f = new Framer(EXOTEL_PCM16);
    expect(f.push(Buffer.alloc(3000))).toEqual([]);
    const mid = f.push(Buffer.alloc(1000, 7));
    expect(mid.map((b) => b.length)).toEqual([3840]);
    expect(f.buffered).toBe(160);
    const tail = f.flush();
    expect(tail.map((b) => b.length)).toEqual([3200]);
    expect(tail[0]!.subarray(0, 160).every((b) => b === 7)).toBe(true);
    expect(tail[0]!.subarray(160).every((b) => b === 0)).toBe(true);
    for (const p of [...mid, ...tail]) expect(p.length % 320 === 0 && p.length >= 3200).toBe(true);
  });

  it('caps large pushes at the maximum packet and drops the rest of a reply on reset', () => {
    const f = new Framer(EXOTEL_PCM16);
    expect(f.push(Buffer.alloc(70_000)).map((b) => b.length)).toEqual([32_000, 32_000, 5_760]);
    f.reset();
    expect(f.flush()).toEqual([]);
  });
});
