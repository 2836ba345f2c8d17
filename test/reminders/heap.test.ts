import { expect, it } from 'vitest';
import { MinHeap } from '../../src/reminders/heap.js';

it('pops entries in order of time whatever the insertion order', () => {
  const h = new MinHeap();
  const times = Array.from({ length: 500 }, (_, i) => (i * 7919) % 1000);
  times.forEach((at, i) => h.push({ at, key: String(i), seq: i }));
  const out: number[] = [];
  while (h.size) out.push(h.pop()!.at);
  expect(out).toEqual([...times].sort((a, b) => a - b));
  expect(h.pop()).toBeUndefined();
});
