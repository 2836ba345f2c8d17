/**
 * Friendly reminder sentences per alarm type and language (reminders/<lang>.json), imported like
 * every other prompt file so they travel with the build. Placeholders are `{name}`; a missing
 * value renders as empty so optional parts can carry their own punctuation (dose = ", 500 mg").
 */
import en from './reminders/en.json' with { type: 'json' };
import hi from './reminders/hi.json' with { type: 'json' };
import type { Lang } from './lang.js';

const TABLES: Record<Lang, Record<string, string>> = { en, hi };

export function renderReminder(lang: Lang, key: string, values: Record<string, string | number | undefined>): string {
  const template = TABLES[lang][key] ?? TABLES.en[key];
  if (template === undefined) throw new Error(`no reminder template ${key}`);
  return template.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? '')).replace(/\s+([,.।])/g, '$1').trim();
}
