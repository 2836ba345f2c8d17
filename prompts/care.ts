/**
 * What Podd writes to a person's family (caregiver SMS), per language. Keys are checked against
 * the English file; the Hindi one must have the same keys (test/prompts).
 */
import en from './care/en.json' with { type: 'json' };
import hi from './care/hi.json' with { type: 'json' };
import type { Lang } from './lang.js';

export type CareText = typeof en;
export const CARE_TEXT: Record<Lang, CareText> = { en, hi };

/** Fills `{name}` placeholders; a missing value is an error (a message must never say "{name}"). */
export function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = vars[k];
    if (v === undefined) throw new Error(`care text needs {${k}}`);
    return v;
  });
}
