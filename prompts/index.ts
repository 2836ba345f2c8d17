/**
 * Reply templates per agent and language (replies/*.json) and a tiny renderer. Templates hold
 * `{name}` placeholders; keys are checked at compile time against the English file, and the Hindi
 * file must have exactly the same keys (a test enforces it).
 */
import en from './replies/en.json' with { type: 'json' };
import hi from './replies/hi.json' with { type: 'json' };
import type { Lang } from './lang.js';

type Leaves<T> = { [K in keyof T & string]: T[K] extends string ? K : `${K}.${Leaves<T[K]>}` }[keyof T & string];
export type TemplateKey = Leaves<typeof en>;

const TEMPLATES: Record<Lang, unknown> = { en, hi };
const PLACEHOLDER = /\{(\w+)\}/g;

export function template(lang: Lang, key: TemplateKey): string {
  let cur: unknown = TEMPLATES[lang];
  for (const part of key.split('.')) cur = (cur as Record<string, unknown> | undefined)?.[part];
  if (typeof cur !== 'string') throw new Error(`no reply template ${lang}:${key}`);
  return cur;
}

/** Fill a template; a placeholder without a value is an error (a reply must never say "{value}"). */
export function render(lang: Lang, key: TemplateKey, vars: Record<string, string | number> = {}): string {
  return template(lang, key).replace(PLACEHOLDER, (_, name: string) => {
    const v = vars[name];
    if (v === undefined) throw new Error(`reply template ${lang}:${key} needs {${name}}`);
    return String(v);
  });
}

/** Join a list for speech: "a, b and c" / "a, b और c". */
export function spokenList(lang: Lang, items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${template(lang, 'labels.and')} ${items[items.length - 1]}`;
}

export function placeholders(lang: Lang, key: TemplateKey): string[] {
  return [...template(lang, key).matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

export function allKeys(lang: Lang): string[] {
  const out: string[] = [];
  const walk = (node: unknown, prefix: string): void => {
    if (typeof node === 'string') out.push(prefix);
    else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, prefix ? `${prefix}.${k}` : k);
  };
  walk(TEMPLATES[lang], '');
  return out.sort();
}

export { LLM_PROMPTS, type LlmPromptName } from './llm.js';
export { LANGS, LOCALE, knownLangOf, langOf, speakingLocale, type Lang } from './lang.js';
export { phrase, phraseKeys, phrasePlaceholders, type PhraseKey } from './phone.js';
