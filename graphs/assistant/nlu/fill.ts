/**
 * Multi-turn slot filling: the agent asked one short question ("What was the reading?") and the
 * next utterance answers it. The answer is read in the pending intent's frame: a bare "140 over
 * 90" after a BP question is a BP; a bare "4 pm" after "what time?" is the alarm time.
 */
import { isoInZone, zonedToInstant } from './clock.js';
import { detectEmergency } from './emergency.js';
import { parseFoodSlots } from './food.js';
import { findMedication } from './medication.js';
import { normalize } from './normalize.js';
import { isNumeral } from './numbers.js';
import { defaultFoodIndex } from './nutrition.js';
import { findMetric, parseHealthQuery } from './query.js';
import { parseAlarm, parseAppointment } from './reminder.js';
import { route, safeContext, type RouteOptions } from './router.js';
import { DEFAULT_TIME_ZONE } from './time.js';
import { parseExercise, parseMood, parseSleepEntry, parseWater } from './tracking.js';
import type { LogEntry, NluContext, NluResult, Normalized, VitalsEntry } from './types.js';
import { parseVitals } from './vitals.js';

/** Read `answer` as if it followed `prefix` tokens (the words of the question being answered). */
function framed(answer: Normalized, prefix: readonly string[]): Normalized {
  const tokens = [...prefix, ...answer.tokens];
  return { ...answer, tokens, text: tokens.join(' ') };
}

const VITAL_PREFIX: Record<string, string> = {
  systolic: 'bp', diastolic: 'bp', heart_rate: 'pulse', blood_sugar: 'sugar', temperature: 'temperature', weight_kg: 'weight', spo2: 'spo2',
};

function fillVitals(entry: VitalsEntry, answer: Normalized, missing: readonly string[]): { entry: VitalsEntry; parse: ReturnType<typeof parseVitals> } {
  const slot = missing.find((m) => VITAL_PREFIX[m]) ?? 'systolic';
  const prefix = [VITAL_PREFIX[slot]!];
  // Only the lower number missing: a bare number is the diastolic.
  const onlyDiastolic = missing.includes('diastolic') && !missing.includes('systolic') && entry.systolic !== undefined;
  const tokens = onlyDiastolic && answer.tokens.filter(isNumeral).length === 1
    ? ['bp', String(entry.systolic), 'over', ...answer.tokens]
    : [...prefix, ...answer.tokens];
  const parse = parseVitals(tokens);
  const merged: VitalsEntry = { ...entry, asked: [...entry.asked] };
  const got = parse.entry;
  if (got) {
    for (const k of ['systolic', 'diastolic', 'heart_rate', 'blood_sugar', 'temperature', 'temperature_unit', 'weight_kg', 'spo2', 'sugar_context'] as const) {
      if (got[k] !== undefined) (merged as unknown as Record<string, unknown>)[k] = got[k];
    }
  }
  return { entry: merged, parse };
}

function vitalsMissing(e: VitalsEntry): string[] {
  const out: string[] = [];
  for (const k of e.asked) {
    if (k === 'bp') {
      if (e.systolic === undefined) out.push('systolic');
      if (e.diastolic === undefined) out.push('diastolic');
    } else if (k === 'heart_rate' && e.heart_rate === undefined) out.push('heart_rate');
    else if (k === 'sugar' && e.blood_sugar === undefined) out.push('blood_sugar');
    else if (k === 'temperature' && e.temperature === undefined) out.push('temperature');
    else if (k === 'weight' && e.weight_kg === undefined) out.push('weight_kg');
    else if (k === 'spo2' && e.spo2 === undefined) out.push('spo2');
  }
  return out;
}

/**
 * Complete `pending` (a result with `missing` slots) from the user's next utterance. Returns a new
 * result: an emergency always wins; a clear new request replaces the pending one; otherwise the
 * pending intent with whatever the answer supplied (unchanged if it supplied nothing).
 */
export function fillSlots(pending: NluResult, next: string | Normalized, context: NluContext, options: RouteOptions = {}): NluResult {
  const ctx = safeContext(context);
  const answer = typeof next === 'string' ? normalize(next) : next;
  const symptoms = detectEmergency(answer.tokens, answer.text);
  if (symptoms.length) return { route: 'emergency', slots: { symptoms }, missing: [], invalid: [], flags: answer.flags, lang: answer.lang };
  if (!pending.missing.length) return route(answer, ctx, options);

  // A complete, different request is a change of subject, not an answer.
  const fresh = route(answer, ctx, options);
  if (fresh.route !== 'chat' && fresh.missing.length === 0 && fresh.invalid.length === 0 && fresh.route !== pending.route) return fresh;

  switch (pending.route) {
    case 'log': {
      const entries: LogEntry[] = [];
      const missing: string[] = [];
      const invalid = [] as NluResult['invalid'];
      for (const e of pending.slots.entries) {
        if (e.kind === 'vitals') {
          const { entry, parse } = fillVitals(e, answer, pending.missing);
          entries.push(entry);
          invalid.push(...parse.invalid);
          missing.push(...vitalsMissing(entry), ...parse.invalid.map((i) => i.slot));
        } else if (e.kind === 'water' && e.amount_ml === undefined) {
          const p = parseWater(framed(answer, ['water']).tokens);
          entries.push(p.entry ?? e);
          missing.push(...p.missing);
          invalid.push(...p.invalid);
        } else if (e.kind === 'exercise' && e.duration_minutes === undefined) {
          let p = parseExercise(framed(answer, [e.exercise_type === 'walking' ? 'walk' : e.exercise_type]));
          // A bare number after "for how long?" is minutes.
          if (p.entry && p.entry.duration_minutes === undefined) {
            const n = answer.tokens.find(isNumeral);
            if (n !== undefined) p = parseExercise(framed(normalize(`${n} minutes`), [e.exercise_type === 'walking' ? 'walk' : e.exercise_type]));
          }
          entries.push(p.entry ?? e);
          missing.push(...p.missing);
          invalid.push(...p.invalid);
        } else if (e.kind === 'sleep' && e.hours === undefined && !(e.sleep_start && e.sleep_end)) {
          const p = parseSleepEntry(framed(answer, ['slept']), ctx);
          entries.push(p.entry ?? e);
          missing.push(...p.missing);
          invalid.push(...p.invalid);
        } else entries.push(e);
      }
      if (!pending.slots.entries.length) {
        const m = parseMood(answer.tokens);
        if (m.entry) entries.push(m.entry);
      }
      return { ...pending, slots: { entries }, missing: [...new Set(missing)], invalid, lang: answer.lang };
    }
    case 'food': {
      const food = parseFoodSlots(answer.tokens, options.foodIndex ?? defaultFoodIndex());
      if (!food.items.length) return pending;
      const slots = { ...pending.slots, items: food.items, unmatched: food.unmatched };
      return { ...pending, slots, missing: [] };
    }
    case 'reminder': {
      const s = pending.slots;
      if (s.kind === 'alarm') {
        const a = parseAlarm(framed(answer, ['remind']), ctx);
        const slots = { ...s };
        if (a.slots.time) slots.time = a.slots.time;
        if (a.slots.days_of_week) slots.days_of_week = a.slots.days_of_week;
        if (a.slots.date && !slots.days_of_week) slots.date = a.slots.date;
        return { ...pending, slots, missing: slots.time ? [] : ['time'] };
      }
      const a = parseAppointment(framed(answer, ['appointment']), ctx);
      const slots = { ...s };
      if (a.slots.date) slots.date = a.slots.date;
      if (a.slots.time) slots.time = a.slots.time;
      if (a.slots.doctor && !slots.doctor) slots.doctor = a.slots.doctor;
      const missing: string[] = [];
      if (!slots.date) missing.push('date');
      if (!slots.time) missing.push('time');
      if (!missing.length) slots.scheduled_at = scheduledAt(slots.date!, slots.time!, ctx);
      return { ...pending, slots, missing };
    }
    case 'medication': {
      const med = findMedication(answer, ctx.medications);
      if (!med) return pending;
      return { ...pending, slots: { ...pending.slots, medication: med }, missing: [] };
    }
    case 'health_query': {
      const metric = findMetric(answer, ctx);
      if (!metric) return pending;
      const q = parseHealthQuery(framed(answer, []), ctx);
      return { ...pending, slots: { ...q.slots, metric }, missing: [] };
    }
    default:
      return fresh;
  }
}

function scheduledAt(date: string, time: string, ctx: NluContext): string {
  const tz = ctx.timeZone ?? DEFAULT_TIME_ZONE;
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return isoInZone(zonedToInstant({ year, month, day }, hour, minute, tz), tz);
}
