/**
 * Scoring of the NLU against labelled utterances. Route accuracy is per utterance; slot accuracy
 * is per expected leaf value (a wrong route fails all of that utterance's slots).
 */
import { normalize } from './normalize.js';
import { route } from './router.js';
import type { NluContext, NluResult, Route } from './types.js';

export interface EvalCase {
  id: string;
  lang: 'en' | 'hi' | 'hinglish';
  text: string;
  route: Route;
  slots: Record<string, unknown>;
  split: 'dev' | 'holdout';
  context?: { now?: string; timeZone?: string; medications?: string[] };
}

/** The fixed clock and user the eval set was written against. */
export const EVAL_CONTEXT = {
  now: '2025-03-10T13:15:00+05:30',
  timeZone: 'Asia/Kolkata',
  medications: ['Metformin', 'Amlodipine', 'Atorvastatin', 'Thyroxine', 'Telmisartan'],
} as const;

export function parseEvalFile(text: string): EvalCase[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('//'))
    .map((l) => JSON.parse(l) as EvalCase);
}

/** Special expected keys compared against the result rather than its slots. */
const RESULT_KEYS = new Set(['missing', 'invalid', 'flags']);

function leaves(expected: unknown, path: string, out: Array<[string, unknown]>): void {
  if (Array.isArray(expected) && expected.some((e) => typeof e === 'object' && e !== null)) {
    out.push([`${path}.length`, expected.length]);
    expected.forEach((e, i) => leaves(e, `${path}[${i}]`, out));
  } else if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    for (const [k, v] of Object.entries(expected)) leaves(v, path ? `${path}.${k}` : k, out);
  } else out.push([path, expected]);
}

function get(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (cur === null || cur === undefined) return undefined;
    if (part === 'length' && Array.isArray(cur)) return cur.length;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) < 1e-6;
  if (Array.isArray(a) && Array.isArray(b)) return JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
  return a === b;
}

export interface CaseOutcome {
  id: string;
  split: string;
  lang: string;
  text: string;
  expectedRoute: Route;
  route: Route;
  slotTotal: number;
  slotOk: number;
  failures: string[];
}

export interface SplitFigures {
  n: number;
  route_accuracy: number;
  slot_accuracy: number;
}

export interface EvalReport {
  outcomes: CaseOutcome[];
  summary: { all: SplitFigures; dev: SplitFigures; holdout: SplitFigures; by_lang: Record<string, SplitFigures> };
}

export function scoreCase(c: EvalCase, r: NluResult): CaseOutcome {
  const exp: Array<[string, unknown]> = [];
  const resultSide: Record<string, unknown> = {
    missing: r.missing,
    invalid: [...new Set(r.invalid.map((i) => i.slot))],
    flags: r.flags,
  };
  for (const [k, v] of Object.entries(c.slots)) {
    if (RESULT_KEYS.has(k)) exp.push([`#${k}`, v]);
    else leaves(v, k, exp);
  }
  const failures: string[] = [];
  let ok = 0;
  const routeOk = r.route === c.route;
  for (const [path, want] of exp) {
    const got = path.startsWith('#') ? resultSide[path.slice(1)] : get(r.slots, path);
    if (routeOk && same(want, got)) ok++;
    else failures.push(`${path}: want ${JSON.stringify(want)} got ${JSON.stringify(got)}`);
  }
  if (!routeOk) failures.unshift(`route: want ${c.route} got ${r.route}`);
  return { id: c.id, split: c.split, lang: c.lang, text: c.text, expectedRoute: c.route, route: r.route, slotTotal: exp.length, slotOk: ok, failures };
}

function figures(outcomes: readonly CaseOutcome[]): SplitFigures {
  const n = outcomes.length;
  const routeOk = outcomes.filter((o) => o.route === o.expectedRoute).length;
  const total = outcomes.reduce((s, o) => s + o.slotTotal, 0);
  const ok = outcomes.reduce((s, o) => s + o.slotOk, 0);
  const r3 = (v: number): number => Math.round(v * 1000) / 1000;
  return { n, route_accuracy: n ? r3(routeOk / n) : 0, slot_accuracy: total ? r3(ok / total) : 1 };
}

export function contextFor(c: EvalCase): NluContext {
  return {
    now: new Date(c.context?.now ?? EVAL_CONTEXT.now),
    timeZone: c.context?.timeZone ?? EVAL_CONTEXT.timeZone,
    medications: c.context?.medications ?? [...EVAL_CONTEXT.medications],
  };
}

export function evaluate(cases: readonly EvalCase[]): EvalReport {
  const outcomes = cases.map((c) => scoreCase(c, route(normalize(c.text), contextFor(c))));
  const byLang: Record<string, SplitFigures> = {};
  for (const lang of ['en', 'hinglish', 'hi']) byLang[lang] = figures(outcomes.filter((o) => o.lang === lang));
  return {
    outcomes,
    summary: {
      all: figures(outcomes),
      dev: figures(outcomes.filter((o) => o.split === 'dev')),
      holdout: figures(outcomes.filter((o) => o.split === 'holdout')),
      by_lang: byLang,
    },
  };
}

export function formatReport(report: EvalReport, showFailures: boolean): string {
  const lines: string[] = [];
  const f = (name: string, s: SplitFigures): string =>
    `${name.padEnd(9)} n=${String(s.n).padStart(3)}  route ${(s.route_accuracy * 100).toFixed(1)}%  slots ${(s.slot_accuracy * 100).toFixed(1)}%`;
  if (showFailures) {
    for (const o of report.outcomes) if (o.failures.length) lines.push(`FAIL ${o.id} [${o.split}] "${o.text}"\n     ${o.failures.join('\n     ')}`);
  }
  const s = report.summary;
  lines.push(f('all', s.all), f('dev', s.dev), f('holdout', s.holdout));
  for (const [lang, v] of Object.entries(s.by_lang)) lines.push(f(lang, v));
  return lines.join('\n');
}
