import { describe, expect, it } from 'vitest';
import { CARE, readingWords, type CareKey } from '../../prompts/care.js';

describe('what Podd writes to a family', () => {
  it('has the same keys and placeholders in English and Hindi, Hindi in Devanagari', () => {
    const keys = CARE.keys('en') as CareKey[];
    expect(CARE.keys('hi')).toEqual(keys);
    for (const k of keys) {
      expect(CARE.placeholders('hi', k).sort(), k).toEqual(CARE.placeholders('en', k).sort());
      expect(CARE.text('hi', k), k).toMatch(/[\u0900-\u097F]/);
    }
  });

  it('names every urgent rule’s reading, falls back to the kind, fits one SMS segment, and never leaves a placeholder', () => {
    for (const code of ['bp_crisis', 'sugar_very_low', 'sugar_very_high', 'fever_high', 'spo2_very_low']) expect(readingWords(code, 'blood_pressure')).toBe(`reading.${code}`);
    expect(readingWords('hr_very_high', 'heart_rate')).toBe('reading.heart_rate');
    const body = CARE.render('en', 'vitals_sms', { name: 'Shakuntala', reading: CARE.text('en', 'reading.sugar_very_high'), time: '23:59', pronoun: CARE.text('en', 'pronoun.other') });
    expect(body.length).toBeLessThanOrEqual(160);
    expect(() => CARE.render('en', 'vitals_sms', { name: 'A' })).toThrow(/\{reading\}/);
  });
});
