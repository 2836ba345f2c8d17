import { describe, expect, it } from 'vitest';
import { MAX_INPUT_CHARS, normalize } from '../../../../graphs/assistant/nlu/index.js';

describe('normalize', () => {
  it.each([
    ['My BP is 140 over 90', 'my bp is 140 over 90'],
    ['BP 140 by 90 hai', 'bp 140 over 90 is'],
    ['blood pressure 128/82', 'bp 128 over 82'],
    ['B.P. 130 upon 85', 'bp 130 over 85'],
    ['मेरा बीपी 140 बाय 90 है', 'my bp 140 over 90 is'],
    ['बीपी १४० बटा ९०', 'bp 140 over 90'],
    ['maine do roti aur dal khayi', 'i 2 roti and dal ate'],
    ['dawai le li', 'medicine took'],
    ['दवाई ले ली', 'medicine took'],
    ['paani piya', 'water drank'],
    ['kal kitni neend aayi', 'yesterday how_much sleep aayi'],
    ['sugar 110 mg/dl fasting', 'sugar 110 mgdl fasting'],
    ["I can't breathe", 'i can not breathe'],
    ['सीने में दर्द', 'chest in pain'],
    ['shaam 4 baje', 'evening 4 oclock'],
    ['khane ke baad sugar 190', 'postmeal sugar 190'],
  ])('%s → %s', (input, expected) => {
    expect(normalize(input).text).toBe(expected);
  });

  it('folds nukta and chandrabindu so STT spelling variants compare equal', () => {
    expect(normalize('पाँच गिलास').tokens).toEqual(normalize('पांच गिलास').tokens);
    expect(normalize('ज़्यादा').text).toBe(normalize('ज्यादा').text);
  });

  it('resolves Hindi "kal" by tense: past is yesterday, plans and reminders are tomorrow', () => {
    expect(normalize('kal mera BP kya tha').tokens).toContain('yesterday');
    expect(normalize('कल कितनी नींद आई').tokens).toContain('yesterday');
    expect(normalize('kal subah 7 baje uthana').tokens).toContain('tomorrow');
    expect(normalize('kal doctor ke paas jaunga').tokens).toContain('tomorrow');
    expect(normalize('कल डॉक्टर का अपॉइंटमेंट है').tokens).toContain('tomorrow');
  });

  it.each([
    ['what was my BP yesterday', 'en'],
    ['BP 140 by 90 hai', 'hinglish'],
    ['maine dawai le li', 'hinglish'],
    ['मेरा बीपी 140 बाय 90 है', 'hi'],
    ['मेरा BP 140 है', 'hi'],
    ['hello', 'en'],
  ] as const)('detects the language form of %s as %s', (input, lang) => {
    expect(normalize(input).lang).toBe(lang);
  });

  it('flags empty, emoji-only, foreign-script and over-long input', () => {
    expect(normalize('').flags).toEqual(['empty']);
    expect(normalize('   \n ').flags).toEqual(['empty']);
    expect(normalize('😀😀👍').flags).toEqual(['emoji_only']);
    expect(normalize('?!...').flags).toEqual(['emoji_only']);
    expect(normalize('Привет как дела').flags).toEqual(['unsupported_script']);
    expect(normalize('hello Привет नमस्ते').flags).toEqual(['mixed_script']);
    const long = normalize('a '.repeat(5000));
    expect(long.flags).toContain('too_long');
    expect(long.tokens.length).toBeLessThanOrEqual(MAX_INPUT_CHARS);
  });

  it('keeps a question mark as a signal but not as a token', () => {
    const n = normalize('did I take my medicine?');
    expect(n.question).toBe(true);
    expect(n.tokens).not.toContain('?');
  });

  it('never throws on odd input', () => {
    for (const s of ['\u0000', '🙂'.repeat(3000), '१२३४५', 'BP //// over ////', '- - -', 'x'.repeat(20000)]) {
      expect(() => normalize(s)).not.toThrow();
    }
  });
});
