/**
 * Reply templates per agent and language (replies/*.json). Templates hold `{name}` placeholders and
 * are rendered as every sentence set under prompts/ is (sentences.ts); the Hindi file must have
 * exactly the same keys as the English one (a test enforces it).
 */
import en from './replies/en.json' with { type: 'json' };
import hi from './replies/hi.json' with { type: 'json' };
import type { Lang } from './lang.js';
import { Sentences, type Leaves } from './sentences.js';

export type TemplateKey = Leaves<typeof en>;

const REPLIES = new Sentences<TemplateKey>('reply template', { en, hi });

export const { text: template, render, placeholders, keys: allKeys } = REPLIES;

/** Join a list for speech: "a, b and c" / "a, b और c". */
export function spokenList(lang: Lang, items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${template(lang, 'labels.and')} ${items[items.length - 1]}`;
}

export { LLM_PROMPTS, type LlmPromptName } from './llm.js';
export { LANGS, LOCALE, knownLangOf, langOf, speakingLocale, type Lang } from './lang.js';
export { phrase, phraseKeys, phrasePlaceholders, type PhraseKey } from './phone.js';
