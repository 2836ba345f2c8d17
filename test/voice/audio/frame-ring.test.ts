import { describe, expect, it } from 'vitest';
import { FrameRing } from '../../../src/voice/audio/frame-ring.js';

const frame = (value: number, n = 4) => new Int16Array(n).fill(value);
const drained = (ring: FrameRing) => {
  const out: number[][] = [];
  ring.drain((f) => out.push(Array.from(f)));
  return out;
};

describe('FrameRing (pre-roll)', () => {
  it('keeps the newest frames in order once full, and empties on drain', () => {
    const ring = new FrameRing(4, 3);
    for (let v = 1; v <= 5; v++) ring.push(frame(v));
    expect(ring.size).toBe(3);
    expect(drained(ring)).toEqual([frame(3), frame(4), frame(5)].map((f) => Array.from(f)));
    expect(ring.size).toBe(0);
    expect(drained(ring)).toEqual([]);
    ring.push(frame(9));
    expect(drained(ring)).toEqual([[9, 9, 9, 9]]);
  });

  it('copies frames in and out: neither side sees the other change them', () => {
    const ring = new FrameRing(4, 2);
    const input = frame(7);
    ring.push(input);
    input.fill(0);
    const out: Int16Array[] = [];
    ring.drain((f) => out.push(f));
    ring.push(frame(8));
    expect(Array.from(out[0]!)).toEqual([7, 7, 7, 7]);
  });

  it('keeps a short last frame at its own length and cuts a long one to the frame size', () => {
    const ring = new FrameRing(4, 3);
    ring.push(Int16Array.from([1, 2]));
    ring.push(Int16Array.from([3, 4, 5, 6, 7, 8]));
    expect(drained(ring)).toEqual([[1, 2], [3, 4, 5, 6]]);
  });

  it('clear() forgets everything', () => {
    const ring = new FrameRing(4, 3);
    ring.push(frame(1));
    ring.clear();
    expect(drained(ring)).toEqual([]);
  });
});
