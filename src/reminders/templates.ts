/**
 * Friendly reminder sentences per alarm type and language, from prompts/reminders/<lang>.json.
 * Placeholders are `{name}`; a missing value renders as empty so optional parts can carry their
 * own punctuation (e.g. dose = ", 500 mg").
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Lang } from '../../prompts/lang.js';


const root = fileURLToPath(new URL('../../../prompts/reminders/', import.meta.url));
const rootFromSource = fileURLToPath(new URL('../../prompts/reminders/', import.meta.url));

function load(lang: Lang): Record<string, string> {
  for (const dir of [rootFromSource, root]) {
    try {
      return JSON.parse(readFileSync(`${dir}${lang}.json`, 'utf8')) as Record<string, string>;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  throw new Error(`reminder templates for ${lang} not found`);
}

const TABLES: Record<Lang, Record<string, string>> = { en: load('en'), hi: load('hi') };

export function renderReminder(lang: Lang, key: string, values: Record<string, string | number | undefined>): string {
  const template = TABLES[lang][key] ?? TABLES.en[key];
  if (template === undefined) throw new Error(`no reminder template ${key}`);
  return template.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? '')).replace(/\s+([,.।])/g, '$1').trim();
}
