/**
 * What Podd writes to a person's family (caregiver SMS), per language: prompts/care/<lang>.json
 * through the one sentence renderer. Hindi must have the same keys as English (test/prompts).
 */
import en from './care/en.json' with { type: 'json' };
import hi from './care/hi.json' with { type: 'json' };
import { Sentences, type Leaves } from './sentences.js';

export type CareKey = Leaves<typeof en>;
export const CARE = new Sentences<CareKey>('family text', { en, hi });

/** The words for a kind of reading: the rule's own (`reading.bp_crisis`), else the kind's. */
export function readingWords(code: string, kind: keyof typeof en.reading): CareKey {
  return (code in en.reading ? `reading.${code}` : `reading.${kind}`) as CareKey;
}
