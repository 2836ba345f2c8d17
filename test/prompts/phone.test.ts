import { describe, expect, it } from 'vitest';
import { phrase, phraseKeys, phrasePlaceholders, type PhraseKey } from '../../prompts/index.js';

describe('phone phrases', () => {
  it('have the same keys and placeholders in English and Hindi', () => {
    const keys = phraseKeys('en');
    expect(phraseKeys('hi')).toEqual(keys);
    for (const key of keys as PhraseKey[]) expect(phrasePlaceholders('hi', key), key).toEqual(phrasePlaceholders('en', key));
  });

  it('write Hindi in Devanagari', () => {
    for (const key of phraseKeys('hi') as PhraseKey[]) expect(phrase('hi', key), key).toMatch(/[\u0900-\u097F]/);
  });

  it('fill their placeholders', () => {
    expect(phrase('en', 'greeting', { name: 'Asha' })).toBe('Hello Asha, this is Podd. How can I help you?');
    expect(phrase('hi', 'unread_count', { count: 3 })).toBe('आपके 3 बिना पढ़े रिमाइंडर हैं।');
    expect(phrase('en', 'caregiver_missed_dose_female', { name: 'Asha', time: '8:00', medication: 'Metformin' })).toBe('Asha has not confirmed her 8:00 Metformin');
  });
});
