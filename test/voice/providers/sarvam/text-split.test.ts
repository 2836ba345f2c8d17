import { describe, expect, it } from 'vitest';
import { sentencesOf, splitTextForTts } from '../../../../src/voice/providers/sarvam/text-split.js';

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('sentencesOf', () => {
  it('splits at Latin and Devanagari sentence ends and line breaks, keeping the punctuation', () => {
    expect(sentencesOf('Take your tablet. Did you eat? नमस्ते। आप कैसे हैं॥ Yes!\nNew line')).toEqual([
      'Take your tablet.',
      'Did you eat?',
      'नमस्ते।',
      'आप कैसे हैं॥',
      'Yes!',
      'New line',
    ]);
  });

  it('does not split decimals or closing quotes away from their sentence', () => {
    expect(sentencesOf('Take 2.5 mg daily. He said "stop." Then rest.')).toEqual(['Take 2.5 mg daily.', 'He said "stop."', 'Then rest.']);
  });
});

describe('splitTextForTts', () => {
  it('keeps text under the limit as one chunk', () => {
    expect(splitTextForTts('One. Two.', 2500)).toEqual(['One. Two.']);
  });

  it('packs whole sentences into chunks no longer than the limit', () => {
    const sentence = 'This sentence is exactly forty chars ok.'; // 40
    const text = Array.from({ length: 100 }, () => sentence).join(' ');
    const chunks = splitTextForTts(text, 2500);
    expect(chunks.length).toBe(2);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(2500);
      expect(c.endsWith('.')).toBe(true);
    }
    expect(squash(chunks.join(' '))).toBe(squash(text));
  });

  it('cuts a sentence longer than the limit at a clause or word boundary', () => {
    const long = `${'word '.repeat(15)}then, ${'more '.repeat(30)}end.`;
    const chunks = splitTextForTts(long, 100);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(100);
    // Every piece is made of whole words of the input: nothing was cut mid-word.
    for (const c of chunks) for (const w of c.split(' ')) expect(['word', 'then,', 'more', 'end.']).toContain(w);
    expect(chunks[0]!.endsWith('then,')).toBe(true);
    expect(squash(chunks.join(' '))).toBe(squash(long));
  });

  it('cuts a run without spaces only as a last resort', () => {
    const chunks = splitTextForTts('x'.repeat(250), 100);
    expect(chunks.map((c) => c.length)).toEqual([100, 100, 50]);
  });

  it('returns nothing for blank text', () => {
    expect(splitTextForTts('  \n ', 100)).toEqual([]);
  });
});
