import { describe, expect, it } from 'vitest';
import { findMedication, normalize, understand } from '../../../../graphs/assistant/nlu/index.js';

const meds = ['Metformin', 'Amlodipine', 'Atorvastatin', 'Thyroxine', 'Vitamin D3'];

describe('findMedication', () => {
  it.each([
    ['I took my Metformin', 'Metformin'],
    ['took metformin', 'Metformin'],
    ['took my metphormin', 'Metformin'],
    ['maine amlodipin le li', 'Amlodipine'],
    ['मैंने मेटफॉर्मिन ले ली', 'Metformin'],
    ['एमलोडिपिन ली', 'Amlodipine'],
    ['थायरोक्सिन ले ली', 'Thyroxine'],
    ['vitamin d3 le li', 'Vitamin D3'],
  ])('%s → %s (from the user list)', (input, name) => {
    expect(findMedication(normalize(input), meds)).toBe(name);
  });

  it('falls back to known drug words, then to a capitalized word', () => {
    expect(findMedication(normalize('took my ecosprin'))).toBe('Ecosprin');
    expect(findMedication(normalize('I took my Zyrtec'))).toBe('Zyrtec');
    expect(findMedication(normalize('I took my Zyrtec'), meds, false)).toBeUndefined();
  });

  it('finds nothing when no medicine is named', () => {
    expect(findMedication(normalize('dawai le li'), meds)).toBeUndefined();
    expect(findMedication(normalize('I took my medicine'), meds)).toBeUndefined();
  });
});

describe('an extra dose ("one more", "ek aur") is told apart from a repeat of the same dose', () => {
  const ctx = { now: new Date('2026-03-02T08:20:00+05:30'), timeZone: 'Asia/Kolkata', medications: ['Metformin'] };
  it.each([
    ['I took an extra Metformin', true],
    ['I took one more Metformin', true],
    ['I took another Metformin', true],
    ['ek aur Metformin le li', true],
    ['Metformin ek aur li', true],
    ['मैंने एक और मेटफॉर्मिन ली', true],
    ['I took my Metformin', false],
    ['I took my Metformin again', false],
    ['मैंने मेटफॉर्मिन ले ली', false],
    ['I skipped one more Metformin', false],
  ])('%s → extra: %s', (text, extra) => {
    const r = understand(text, ctx);
    expect(r.route).toBe('medication');
    expect(r.slots).toMatchObject({ intent: 'log_dose', medication: 'Metformin' });
    expect((r.slots as { extra?: boolean }).extra === true).toBe(extra);
  });
});
