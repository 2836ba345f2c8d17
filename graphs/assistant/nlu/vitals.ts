/** Vital-sign readings from canonical tokens: BP pairs, pulse, sugar with context, temperature, weight, SpO2. */
import { isNumeral } from './numbers.js';
import { check } from './ranges.js';
import type { InvalidSlot, VitalKind, VitalsEntry } from './types.js';

const KEYWORD: Record<string, VitalKind> = {
  bp: 'bp', pressure: 'bp', pulse: 'heart_rate', sugar: 'sugar', temperature: 'temperature', fever: 'temperature', weight: 'weight', spo2: 'spo2',
};
export const VITAL_KEYWORDS: ReadonlySet<string> = new Set(Object.keys(KEYWORD));
const STOP_SCAN = new Set([...Object.keys(KEYWORD), 'and', 'with']);

export interface VitalsParse {
  entry?: VitalsEntry;
  invalid: InvalidSlot[];
  missing: string[];
  used: Set<number>;
}

function num(tokens: readonly string[], i: number): number | undefined {
  const t = tokens[i];
  return t !== undefined && isNumeral(t) ? Number(t) : undefined;
}

/** First free numeral after `k` (before the next vital keyword), within `window` tokens. */
function valueAfter(tokens: readonly string[], k: number, used: Set<number>, window = 5): number | undefined {
  for (let i = k + 1; i < tokens.length && i <= k + window; i++) {
    if (STOP_SCAN.has(tokens[i]!) && i > k + 1) return undefined;
    if (used.has(i)) continue;
    if (num(tokens, i) !== undefined) return i;
  }
  return undefined;
}
function valueBefore(tokens: readonly string[], k: number, used: Set<number>, window = 2): number | undefined {
  for (let i = k - 1; i >= 0 && i >= k - window; i--) {
    if (used.has(i)) continue;
    if (num(tokens, i) !== undefined) return i;
  }
  return undefined;
}

/** "N over M" anywhere (over ⇐ by, upon, /, बटा). */
function findPairs(tokens: readonly string[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 1; i + 1 < tokens.length; i++) {
    // Romanized "bata" (बटा) is spelled like "bata" (tell): between two numbers it is "over".
    const sep = tokens[i] === 'over' || tokens[i] === 'tell';
    if (sep && num(tokens, i - 1) !== undefined && num(tokens, i + 1) !== undefined) out.push([i - 1, i + 1]);
  }
  return out;
}

export function mentionsVital(tokens: readonly string[]): boolean {
  for (const t of tokens) if (VITAL_KEYWORDS.has(t)) return true;
  return false;
}

export function parseVitals(tokens: readonly string[]): VitalsParse {
  const used = new Set<number>();
  const invalid: InvalidSlot[] = [];
  const missing: string[] = [];
  const e: VitalsEntry = { kind: 'vitals', asked: [] };
  const ask = (k: VitalKind): void => {
    if (!e.asked.includes(k)) e.asked.push(k);
  };
  const hasBpWord = tokens.includes('bp') || tokens.includes('pressure');

  // Blood pressure: an explicit pair wins; a bare pair counts when it looks like a BP.
  let sys: number | undefined;
  let dia: number | undefined;
  for (const [a, b] of findPairs(tokens)) {
    const x = Number(tokens[a]);
    const y = Number(tokens[b]);
    if (hasBpWord || (x >= 70 && y >= 40)) {
      sys = x;
      dia = y;
      used.add(a).add(b);
      break;
    }
  }
  if (hasBpWord) {
    ask('bp');
    if (sys === undefined) {
      const k = tokens.findIndex((t) => t === 'bp' || t === 'pressure');
      const i = valueAfter(tokens, k, used);
      if (i !== undefined) {
        sys = Number(tokens[i]);
        used.add(i);
        const j = num(tokens, i + 1) !== undefined ? i + 1 : undefined; // "140 90"
        if (j !== undefined) {
          dia = Number(tokens[j]);
          used.add(j);
        }
      }
    }
  } else if (sys !== undefined) ask('bp');
  if (sys !== undefined && check('systolic', 'systolic', sys, invalid)) e.systolic = sys;
  if (dia !== undefined && check('diastolic', 'diastolic', dia, invalid)) e.diastolic = dia;
  if (e.systolic !== undefined && e.diastolic !== undefined && e.systolic <= e.diastolic) {
    invalid.push({ slot: 'systolic', value: e.systolic, reason: 'out_of_range' }, { slot: 'diastolic', value: e.diastolic, reason: 'out_of_range' });
    delete e.systolic;
    delete e.diastolic;
  }

  for (let k = 0; k < tokens.length; k++) {
    const kind = KEYWORD[tokens[k]!];
    if (!kind || kind === 'bp') continue;
    ask(kind);
    let i = valueAfter(tokens, k, used);
    if (i === undefined && (kind === 'heart_rate' || kind === 'sugar' || kind === 'weight')) i = valueBefore(tokens, k, used, kind === 'heart_rate' ? 1 : 2);
    if (i === undefined) continue;
    const v = Number(tokens[i]);
    used.add(i);
    const unit = tokens[i + 1];
    switch (kind) {
      case 'heart_rate':
        if (e.heart_rate === undefined && check('heart_rate', 'heart_rate', v, invalid)) e.heart_rate = v;
        break;
      case 'sugar': {
        const mgdl = unit === 'mmol' ? Math.round(v * 18) : v;
        if (e.blood_sugar === undefined && check('blood_sugar', 'blood_sugar', mgdl, invalid)) e.blood_sugar = mgdl;
        break;
      }
      case 'temperature':
        setTemperature(e, v, tokens, i, invalid);
        break;
      case 'weight': {
        const kg = unit === 'lb' ? Math.round(v * 0.4536 * 10) / 10 : v;
        if (e.weight_kg === undefined && check('weight_kg', 'weight_kg', kg, invalid)) e.weight_kg = kg;
        break;
      }
      case 'spo2':
        if (e.spo2 === undefined && check('spo2', 'spo2', v, invalid)) e.spo2 = v;
        break;
    }
  }

  // Unit-only mentions: "98.6 degree", "68 kg", "72 pulse" (bpm).
  for (let i = 0; i < tokens.length; i++) {
    if (used.has(i) || num(tokens, i) === undefined) continue;
    const next = tokens[i + 1];
    const v = Number(tokens[i]);
    if ((next === 'degree' || next === 'fahrenheit' || next === 'celsius') && e.temperature === undefined) {
      ask('temperature');
      used.add(i);
      setTemperature(e, v, tokens, i, invalid);
    } else if ((next === 'kg' || next === 'lb') && e.weight_kg === undefined && !e.asked.includes('weight')) {
      ask('weight');
      used.add(i);
      const kg = next === 'lb' ? Math.round(v * 0.4536 * 10) / 10 : v;
      if (check('weight_kg', 'weight_kg', kg, invalid)) e.weight_kg = kg;
    }
  }

  if (e.asked.includes('sugar')) {
    if (tokens.includes('fasting')) e.sugar_context = 'fasting';
    else if (tokens.includes('postmeal')) e.sugar_context = 'post_meal';
    else if (tokens.includes('random')) e.sugar_context = 'random';
  }

  const invalidSlots = new Set(invalid.map((x) => x.slot));
  const need = (slot: string, present: boolean): void => {
    if (!present || invalidSlots.has(slot)) missing.push(slot);
  };
  for (const k of e.asked) {
    if (k === 'bp') {
      need('systolic', e.systolic !== undefined);
      need('diastolic', e.diastolic !== undefined);
    } else if (k === 'heart_rate') need('heart_rate', e.heart_rate !== undefined);
    else if (k === 'sugar') need('blood_sugar', e.blood_sugar !== undefined);
    else if (k === 'temperature') need('temperature', e.temperature !== undefined);
    else if (k === 'weight') need('weight_kg', e.weight_kg !== undefined);
    else if (k === 'spo2') need('spo2', e.spo2 !== undefined);
  }
  return { entry: e.asked.length ? e : undefined, invalid, missing: [...new Set(missing)], used };
}

/** °C or °F from the word said, otherwise from the value (37.5 is Celsius, 99.5 is Fahrenheit). */
function setTemperature(e: VitalsEntry, v: number, tokens: readonly string[], i: number, invalid: InvalidSlot[]): void {
  if (e.temperature !== undefined) return;
  let unit: 'F' | 'C' | undefined;
  for (let j = i + 1; j <= i + 2; j++) {
    if (tokens[j] === 'fahrenheit') unit = 'F';
    if (tokens[j] === 'celsius') unit = 'C';
  }
  unit ??= v < 50 ? 'C' : 'F';
  const ok = unit === 'C' ? check('temperature_c', 'temperature', v, invalid) : check('temperature_f', 'temperature', v, invalid);
  if (ok) {
    e.temperature = v;
    e.temperature_unit = unit;
  }
}
