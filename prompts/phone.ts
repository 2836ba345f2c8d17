/**
 * What the phone line says on its own (greeting, reminder call, keypad menu, unknown caller) and
 * the caregiver's missed-dose text, per language (phone/*.json); everything else a call says comes
 * from the assistant. Keys are checked at compile time against the English file, and the Hindi
 * file must have exactly the same keys and placeholders (a test enforces it).
 */
import en from './phone/en.json' with { type: 'json' };
import hi from './phone/hi.json' with { type: 'json' };
import type { Lang } from './lang.js';

export type PhraseKey = keyof typeof en;

const PHRASES: Record<Lang, Record<PhraseKey, string>> = { en, hi };
const PLACEHOLDER = /\{(\w+)\}/g;

/** A phrase with its `{placeholders}` filled; one without a value is left empty. */
export function phrase(lang: Lang, key: PhraseKey, values: Record<string, string | number> = {}): string {
  return PHRASES[lang][key].replace(PLACEHOLDER, (_, k: string) => String(values[k] ?? ''));
}

export function phraseKeys(lang: Lang): string[] {
  return Object.keys(PHRASES[lang]).sort();
}

export function phrasePlaceholders(lang: Lang, key: PhraseKey): string[] {
  return [...PHRASES[lang][key].matchAll(PLACEHOLDER)].map((m) => m[1]!).sort();
}
