import { describe, expect, it } from 'vitest';
import { findMedication, normalize } from '../../../../graphs/assistant/nlu/index.js';

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
