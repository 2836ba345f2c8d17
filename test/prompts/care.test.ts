import { describe, expect, it } from 'vitest';
import { CARE_TEXT, fill } from '../../prompts/care.js';

const leaves = (node: unknown, prefix = ''): Array<[string, string]> =>
  typeof node === 'string' ? [[prefix, node]] : Object.entries(node as object).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('what Podd writes to a family', () => {
  it('has the same keys and placeholders in English and Hindi, Hindi in Devanagari', () => {
    const en = new Map(leaves(CARE_TEXT.en));
    const hi = new Map(leaves(CARE_TEXT.hi));
    expect([...hi.keys()].sort()).toEqual([...en.keys()].sort());
    for (const [k, v] of en) expect(placeholders(hi.get(k)!), k).toEqual(placeholders(v));
    for (const [k, v] of hi) expect(v, k).toMatch(/[\u0900-\u097F]/);
  });

  it('fits one SMS segment in English, and never leaves a placeholder unfilled', () => {
    const body = fill(CARE_TEXT.en.vitals_sms, { name: 'Shakuntala', reading: CARE_TEXT.en.reading.sugar_very_high, time: '23:59', pronoun: CARE_TEXT.en.pronoun.other });
    expect(body.length).toBeLessThanOrEqual(160);
    expect(() => fill(CARE_TEXT.en.vitals_sms, { name: 'A' })).toThrow(/\{reading\}/);
  });
});
