/**
 * The words of the rule-based health recommendations (advice/*.json; keys are mostly rule ids).
 * A recommendation carries every language and the reader's is picked when it is shown, so advice()
 * renders them all at once.
 */
import en from './advice/en.json' with { type: 'json' };
import hi from './advice/hi.json' with { type: 'json' };
import type { Lang } from './lang.js';
import { Sentences, type Leaves } from './sentences.js';

export type AdviceKey = Leaves<typeof en>;
/** A value is the same in every language (a number) or given per language (a context word). */
export type AdviceVars = Record<string, string | number | Record<Lang, string>>;

export const ADVICE = new Sentences<AdviceKey>('advice', { en, hi });

export function advice(key: AdviceKey, vars: AdviceVars = {}): Record<Lang, string> {
  const inLang = (lang: Lang) => Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, typeof v === 'object' ? v[lang] : v]));
  return { en: ADVICE.render('en', key, inLang('en')), hi: ADVICE.render('hi', key, inLang('hi')) };
}
