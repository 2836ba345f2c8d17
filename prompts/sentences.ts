/**
 * A set of sentences with one JSON file per language (nested objects of strings) and `{name}`
 * placeholders. Keys are checked at compile time against the English file; every other language
 * must have exactly the same keys and placeholders (tests enforce it with keys() and placeholders()).
 */
import type { Lang } from './lang.js';

/** The dotted paths to the strings of a JSON object: `food.logged`, `log.bp`, … */
export type Leaves<T> = { [K in keyof T & string]: T[K] extends string ? K : `${K}.${Leaves<T[K]>}` }[keyof T & string];
export type Vars = Record<string, string | number>;

const PLACEHOLDER = /\{(\w+)\}/g;

export class Sentences<K extends string> {
  /** `what` names the set in errors: "no reply template hi:log.bp". */
  constructor(
    private readonly what: string,
    private readonly tables: Record<Lang, unknown>,
  ) {}

  text = (lang: Lang, key: K): string => {
    let cur: unknown = this.tables[lang];
    for (const part of key.split('.')) cur = (cur as Record<string, unknown> | undefined)?.[part];
    if (typeof cur !== 'string') throw new Error(`no ${this.what} ${lang}:${key}`);
    return cur;
  };

  /** Fill a sentence; a placeholder without a value is an error (Podd must never say "{value}"). */
  render = (lang: Lang, key: K, vars: Vars = {}): string =>
    this.text(lang, key).replace(PLACEHOLDER, (_, name: string) => {
      const v = vars[name];
      if (v === undefined) throw new Error(`${this.what} ${lang}:${key} needs {${name}}`);
      return String(v);
    });

  placeholders = (lang: Lang, key: K): string[] => [...this.text(lang, key).matchAll(PLACEHOLDER)].map((m) => m[1]!);

  keys = (lang: Lang): string[] => {
    const out: string[] = [];
    const walk = (node: unknown, prefix: string): void => {
      if (typeof node === 'string') out.push(prefix);
      else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, prefix ? `${prefix}.${k}` : k);
    };
    walk(this.tables[lang], '');
    return out.sort();
  };
}
