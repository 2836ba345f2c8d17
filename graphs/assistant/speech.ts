/**
 * What the assistant wants to say, kept language-neutral until the respond node: agents and tools
 * produce `Say` parts (a template key plus values), and only rendering picks English or Hindi.
 * That keeps one code path for both languages and lets a tool's confirmation be re-rendered in
 * whatever language the turn replies in.
 */
import { render, spokenList, template, type Lang, type TemplateKey } from '../../prompts/index.js';
import { localParts } from './nlu/clock.js';

type LabelKey = Extract<TemplateKey, `labels.${string}`> extends `labels.${infer K}` ? K : never;

/** A value inside a reply: plain, a label to translate, a local time or date to speak, or a list. */
export type Spoken =
  | string
  | number
  | { label: LabelKey }
  | { time: string }
  | { date: string }
  | { list: Spoken[] }
  | Bilingual
  | { nested: Say };

/** Free text already written in both languages (a recommendation, a food name). */
export interface Bilingual {
  en: string;
  hi: string;
}

export type Say = { key: TemplateKey; vars?: Record<string, Spoken> } | { text: Bilingual };

export const say = (key: TemplateKey, vars?: Record<string, Spoken>): Say => (vars ? { key, vars } : { key });
export const sayText = (text: Bilingual): Say => ({ text });

export function label(key: LabelKey): { label: LabelKey } {
  return { label: key };
}

const POD_HI: Array<[number, string]> = [[4, 'रात'], [12, 'सुबह'], [16, 'दोपहर'], [20, 'शाम'], [24, 'रात']];

/** "16:30" → "4:30 pm" / "शाम 4:30" (the Hindi templates add "बजे"). */
export function speakTime(hhmm: string, lang: Lang): string {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const h12 = h % 12 === 0 ? 12 : h % 12;
  const clock = m === 0 ? String(h12) : `${h12}:${String(m).padStart(2, '0')}`;
  if (lang === 'en') return `${clock} ${h < 12 ? 'am' : 'pm'}`;
  const pod = POD_HI.find(([until]) => h < until)![1];
  return `${pod} ${clock}`;
}

const dateFormats = new Map<Lang, Intl.DateTimeFormat>();
/** "2025-12-05" → "5 December" / "5 दिसंबर". */
export function speakDate(ymd: string, lang: Lang): string {
  let f = dateFormats.get(lang);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'hi' ? 'hi-IN' : 'en-IN', { day: 'numeric', month: 'long', timeZone: 'UTC' });
    dateFormats.set(lang, f);
  }
  return f.format(new Date(`${ymd}T12:00:00Z`));
}

/** Local HH:MM of an instant in a zone. */
export function localHhmm(iso: string, timeZone: string): string {
  const p = localParts(new Date(iso), timeZone);
  return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

function value(v: Spoken, lang: Lang): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatNumber(v);
  if ('label' in v) return template(lang, `labels.${v.label}` as TemplateKey);
  if ('time' in v) return speakTime(v.time, lang);
  if ('date' in v) return speakDate(v.date, lang);
  if ('en' in v) return lang === 'hi' ? v.hi : v.en;
  if ('nested' in v) return renderSay(v.nested, lang);
  return spokenList(lang, v.list.map((x) => value(x, lang)));
}

/** Whole numbers as is, others to one decimal: a reply never says 36.6666667. */
export function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 10) / 10);
}

export function renderSay(s: Say, lang: Lang): string {
  if ('text' in s) return s.text[lang];
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.vars ?? {})) vars[k] = value(v, lang);
  return render(lang, s.key, vars);
}

/** The reply text: parts joined, with the gaps an empty label leaves ("your  sugar") closed. */
export function renderAll(parts: readonly Say[], lang: Lang): string {
  return parts
    .map((p) => renderSay(p, lang))
    .join(' ')
    .replace(/\s{2,}/g, ' ')
    .replace(/\s+([.,।?!])/g, '$1')
    .trim();
}
