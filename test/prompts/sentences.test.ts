import { describe, expect, it } from 'vitest';
import { ADVICE, advice } from '../../prompts/advice.js';
import { LANGS } from '../../prompts/lang.js';
import type { Sentences } from '../../prompts/sentences.js';
import { SPEECH_UNAVAILABLE, VOICE } from '../../prompts/voice.js';

function bothLanguages<K extends string>(name: string, set: Sentences<K>): void {
  describe(`${name} sentences`, () => {
    const keys = set.keys('en') as K[];

    it('have the same keys and placeholders in English and Hindi', () => {
      expect(set.keys('hi')).toEqual(keys);
      for (const key of keys) expect(set.placeholders('hi', key).sort(), key).toEqual(set.placeholders('en', key).sort());
    });

    it('write Hindi in Devanagari', () => {
      for (const key of keys) {
        const t = set.text('hi', key);
        if (t.replace(/\{\w+\}/g, '').trim().length > 3) expect(t, key).toMatch(/[\u0900-\u097F]/);
      }
    });
  });
}

bothLanguages('advice', ADVICE);
bothLanguages('voice', VOICE);

describe('advice', () => {
  it('renders every language at once, a per-language value in its own language', () => {
    expect(advice('sugar_high.message', { context: advice('sugar_context.fasting'), value: 130 })).toEqual({
      en: 'Your fasting blood sugar of 130 is high.',
      hi: 'आपकी खाली पेट शुगर 130 ज़्यादा है।',
    });
  });

  it('refuses to render with a missing value rather than show a placeholder', () => {
    expect(() => advice('bp_normal.message')).toThrow(/advice en:bp_normal.message needs \{bp\}/);
  });
});

describe('the speech-unavailable apology', () => {
  it('exists for every language Podd speaks, keyed by base language code as speechApology looks it up', () => {
    for (const lang of LANGS) expect(SPEECH_UNAVAILABLE[lang], lang).toBeTruthy();
    for (const code of Object.keys(SPEECH_UNAVAILABLE)) expect(code).toMatch(/^[a-z]{2,3}$/);
  });
});
