import { normalize } from './normalize.js';
import { isNumeral } from './numbers.js';
import type { Normalized } from './types.js';

/** Every number said, in order, from digits or English/Hindi number words ("ek sau chalis" → 140). */
export function parseNumbers(input: string | Normalized): number[] {
  const tokens = typeof input === 'string' ? normalize(input).tokens : input.tokens;
  const out: number[] = [];
  for (const t of tokens) if (isNumeral(t)) out.push(Number(t));
  return out;
}
