/**
 * Logging tools: meals, vitals, and water, sleep, exercise or mood. Each entry is first prepared
 * (validated, its reply worded) so an agent can check every entry of an utterance before writing
 * any, then committed together.
 */
import { z } from 'zod';
import { isoInZone, localParts, zonedToInstant } from '../nlu/clock.js';
import { computeNutrition, mealFromHour, type NutritionFood } from '../nlu/food.js';
import { inRange, type RangeName } from '../nlu/ranges.js';
import type { ExerciseType, FoodItem, MealType, Mood, SugarContext } from '../nlu/types.js';
import { assessVitals } from '../../../src/health/vital-alerts.js';
import { toldSay } from './emergency.js';
import type { PayloadOf } from '../../../src/locusgraph/schemas.js';
import { label, say, sayText, type Bilingual, type Say, type Spoken } from '../speech.js';
import { commit, fail, nowIso, validPayload, type Prepared, type ToolEnv, type ToolResult } from './core.js';

const foodItem = z.object({
  food: z.string().describe('id from the nutrition list, e.g. roti, dal, rice'),
  quantity: z.number().positive().max(100),
  unit: z.string().max(30).optional().describe('katori, plate, glass, cup, piece, slice, spoon, tsp, g or ml'),
});
export const logFoodInput = z.object({
  items: z.array(foodItem).min(1).max(20),
  meal_type: z.enum(['breakfast', 'lunch', 'dinner', 'snack']).optional(),
});
export const logVitalInput = z.object({
  systolic: z.number().optional(),
  diastolic: z.number().optional(),
  heart_rate: z.number().optional(),
  blood_sugar: z.number().optional().describe('mg/dL'),
  sugar_context: z.enum(['fasting', 'post_meal', 'random']).optional(),
  temperature: z.number().optional(),
  temperature_unit: z.enum(['F', 'C']).optional(),
  weight_kg: z.number().optional(),
  spo2: z.number().optional(),
});
export const logTrackingInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('water'), amount_ml: z.number() }),
  z.object({
    kind: z.literal('sleep'),
    sleep_start: z.string().optional().describe('ISO 8601 with offset'),
    sleep_end: z.string().optional().describe('ISO 8601 with offset'),
    hours: z.number().optional(),
    quality: z.number().int().min(1).max(10).optional(),
  }),
  z.object({ kind: z.literal('exercise'), exercise_type: z.string().min(1).max(100), duration_minutes: z.number() }),
  z.object({ kind: z.literal('mood'), mood: z.string().min(1).max(50), energy_level: z.number().int().min(1).max(10).optional() }),
]);

export type LogFoodInput = z.input<typeof logFoodInput> & { unmatched?: string[] };
export type LogVitalInput = z.input<typeof logVitalInput>;
export type LogTrackingInput = z.input<typeof logTrackingInput>;

const DEVANAGARI = /[\u0900-\u097F]/;

/** "Roti / chapati" → "roti"; Hindi: the first Devanagari alias. */
export function foodName(food: NutritionFood): Bilingual {
  const en = food.name.split(/\s+[/(]/)[0]!.trim().toLowerCase();
  return { en, hi: food.aliases.find((a) => DEVANAGARI.test(a)) ?? en };
}

/** Whole hours, 0.5 when the half matters. */
export function sleepHours(startIso: string, endIso: string): number {
  return Math.round(((Date.parse(endIso) - Date.parse(startIso)) / 3_600_000) * 2) / 2;
}

const SUGAR_LABEL: Record<SugarContext, 'fasting' | 'post_meal' | 'random'> = { fasting: 'fasting', post_meal: 'post_meal', random: 'random' };

export function loggingTools(env: ToolEnv) {
  const { timeZone } = env;

  function prepareFood(input: LogFoodInput): Prepared | ToolResult {
    const summary = computeNutrition(input.items as FoodItem[], env.foodIndex, input.unmatched ?? []);
    const unmatched = summary.unmatched.length ? { list: summary.unmatched } : undefined;
    if (!summary.items.length) return fail('not_found', [say('food.none_matched', { unmatched: unmatched ?? '' })], ['items']);
    const meal: MealType = input.meal_type ?? mealFromHour(localParts(env.now(), timeZone).hour);
    const spoken: Spoken[] = [];
    const items = summary.items.map((c) => {
      const food = env.foodIndex.byId.get(c.food)!;
      const name = foodName(food);
      const qty = c.quantity;
      spoken.push(qty === 1 && !c.unit ? name : { en: `${qty} ${c.unit ? `${c.unit} ` : ''}${name.en}`, hi: `${qty} ${c.unit ? `${c.unit} ` : ''}${name.hi}` });
      return { name: food.name, quantity: qty, ...(c.unit ? { unit: c.unit } : {}), calories: c.calories };
    });
    const payload = {
      description: summary.items.map((c) => `${c.quantity}${c.unit ? ` ${c.unit}` : ''} ${env.foodIndex.byId.get(c.food)!.name}`).join(', '),
      calories: summary.totals.calories,
      protein_g: summary.totals.protein_g,
      carbs_g: summary.totals.carbs_g,
      fat_g: summary.totals.fat_g,
      meal_type: meal,
      items,
      logged_at: nowIso(env),
    };
    if (!validPayload('food', payload)) return fail('invalid', [say('clarify.items')], ['items']);
    const vars = { items: { list: spoken }, meal: label(meal), calories: summary.totals.calories };
    return { type: 'food', payload, say: [unmatched ? say('food.logged_partial', { ...vars, unmatched }) : say('food.logged', vars)] };
  }

  function prepareVital(input: LogVitalInput): Prepared | ToolResult {
    const invalid: string[] = [];
    const check = (range: RangeName, slot: string, v: number | undefined): void => {
      if (v !== undefined && !inRange(range, v)) invalid.push(slot);
    };
    check('systolic', 'systolic', input.systolic);
    check('diastolic', 'diastolic', input.diastolic);
    check('heart_rate', 'heart_rate', input.heart_rate);
    check('blood_sugar', 'blood_sugar', input.blood_sugar);
    check('weight_kg', 'weight_kg', input.weight_kg);
    check('spo2', 'spo2', input.spo2);
    const tempUnit = input.temperature_unit ?? (input.temperature !== undefined && input.temperature < 50 ? 'C' : 'F');
    check(tempUnit === 'C' ? 'temperature_c' : 'temperature_f', 'temperature', input.temperature);
    if ((input.systolic === undefined) !== (input.diastolic === undefined)) invalid.push(input.systolic === undefined ? 'systolic' : 'diastolic');
    if (input.systolic !== undefined && input.diastolic !== undefined && input.systolic <= input.diastolic) invalid.push('systolic');
    if (invalid.length) return fail('invalid', [say('clarify.invalid')], invalid);

    const payload: Record<string, unknown> = { logged_at: nowIso(env) };
    const parts: Say[] = [];
    if (input.systolic !== undefined && input.diastolic !== undefined) {
      payload.blood_pressure_systolic = Math.round(input.systolic);
      payload.blood_pressure_diastolic = Math.round(input.diastolic);
      parts.push(say('log.bp', { systolic: Math.round(input.systolic), diastolic: Math.round(input.diastolic) }));
    }
    if (input.blood_sugar !== undefined) {
      payload.blood_sugar = input.blood_sugar;
      if (input.sugar_context) payload.blood_sugar_context = input.sugar_context;
      parts.push(say('log.sugar', { context: label(SUGAR_LABEL[input.sugar_context ?? 'random']), value: input.blood_sugar }));
    }
    if (input.heart_rate !== undefined) {
      payload.heart_rate = Math.round(input.heart_rate);
      parts.push(say('log.heart_rate', { value: Math.round(input.heart_rate) }));
    }
    if (input.temperature !== undefined) {
      payload.temperature = input.temperature;
      payload.temperature_unit = tempUnit;
      parts.push(say('log.temperature', { value: input.temperature }));
    }
    if (input.weight_kg !== undefined) {
      payload.weight_kg = input.weight_kg;
      parts.push(say('log.weight', { value: input.weight_kg }));
    }
    if (input.spo2 !== undefined) {
      payload.spo2 = Math.round(input.spo2);
      parts.push(say('log.spo2', { value: Math.round(input.spo2) }));
    }
    if (!parts.length) return fail('missing', [say('clarify.systolic')], ['systolic']);
    // The store's own limits are a little tighter than the NLU's: a reading it refuses is asked again.
    if (!validPayload('vitals', payload)) return fail('invalid', [say('clarify.invalid')], ['systolic']);
    // An urgent reading's reply leads with what to do now (the same ranges and words as the
    // recommendations), then confirms it was saved. Several vitals in one breath are one event.
    // A reading that is an emergency on its own also says who is being told (the write's
    // listener raises it, as for a REST write).
    const urgent = assessVitals(payload as PayloadOf<'vitals'>, env.now().getTime(), { medical_conditions: [...(env.medicalConditions ?? [])] }).filter((a) => a.severity === 'urgent');
    const told = urgent.some((a) => a.emergency) && env.whoIsTold ? toldSay(env.whoIsTold(), true) : [];
    return { type: 'vitals', payload, say: [...urgent.map((a) => sayText(a.message)), ...told, ...parts] };
  }

  function prepareTracking(input: LogTrackingInput): Prepared | ToolResult {
    switch (input.kind) {
      case 'water': {
        if (!inRange('amount_ml', input.amount_ml)) return fail('invalid', [say('clarify.invalid')], ['amount_ml']);
        const payload = { amount_ml: Math.round(input.amount_ml), logged_at: nowIso(env) };
        // The day's total is only known after the write; commitAll fills it in.
        return { type: 'water', payload, say: [say('log.water', { amount_ml: payload.amount_ml, total_ml: payload.amount_ml })] };
      }
      case 'sleep': {
        let start = input.sleep_start;
        let end = input.sleep_end;
        if (!(start && end)) {
          if (input.hours === undefined) return fail('missing', [say('clarify.hours')], ['hours']);
          if (!inRange('sleep_hours', input.hours)) return fail('invalid', [say('clarify.invalid')], ['hours']);
          // "slept 7 hours" with no clock times: the night that ended this morning (or now, if earlier).
          const today = localParts(env.now(), timeZone);
          const wake = Math.min(env.now().getTime(), zonedToInstant(today, 7, 0, timeZone).getTime());
          end = isoInZone(new Date(wake), timeZone);
          start = isoInZone(new Date(wake - input.hours * 3_600_000), timeZone);
        }
        const hours = sleepHours(start, end);
        if (!inRange('sleep_hours', hours)) return fail('invalid', [say('clarify.invalid')], ['hours']);
        const payload: Record<string, unknown> = { sleep_start: start, sleep_end: end };
        if (input.quality !== undefined) payload.quality = input.quality;
        if (!validPayload('sleep', payload)) return fail('invalid', [say('clarify.invalid')], ['hours']);
        return { type: 'sleep', payload, say: [say('log.sleep', { hours })] };
      }
      case 'exercise': {
        if (!inRange('duration_minutes', input.duration_minutes)) return fail('invalid', [say('clarify.invalid')], ['duration_minutes']);
        const payload = { exercise_type: input.exercise_type, duration_minutes: Math.round(input.duration_minutes), logged_at: nowIso(env) };
        const known = ['walking', 'running', 'cycling', 'swimming', 'yoga', 'pranayama', 'stretching', 'dancing', 'exercise'] as const;
        const activity: Spoken = (known as readonly string[]).includes(input.exercise_type) ? label(input.exercise_type as ExerciseType) : input.exercise_type;
        return { type: 'exercise', payload, say: [say('log.exercise', { minutes: payload.duration_minutes, activity })] };
      }
      case 'mood': {
        const payload: Record<string, unknown> = { mood: input.mood, logged_at: nowIso(env) };
        if (input.energy_level !== undefined) payload.energy_level = input.energy_level;
        if (!validPayload('mood', payload)) return fail('invalid', [say('clarify.invalid')], ['mood']);
        const moods = ['happy', 'good', 'calm', 'okay', 'low', 'sad', 'anxious', 'stressed', 'tired', 'angry', 'lonely'] as const;
        const mood: Spoken = (moods as readonly string[]).includes(input.mood) ? label(input.mood as Mood) : input.mood;
        return { type: 'mood', payload, say: [say('log.mood', { mood })] };
      }
    }
  }

  /** Writes prepared entries; a water entry's reply gets the day's total once it is stored. */
  async function commitAll(prepared: readonly Prepared[]): Promise<ToolResult> {
    const water = prepared.find((p) => p.type === 'water');
    if (water) {
      // Counted before this write so a slow read-back cannot double count it.
      const before = await waterToday();
      const amount = water.payload.amount_ml as number;
      water.say = [say('log.water', { amount_ml: amount, total_ml: before + amount })];
    }
    return commit(env, prepared);
  }

  async function waterToday(): Promise<number> {
    const from = isoInZone(zonedToInstant(localParts(env.now(), timeZone), 0, 0, timeZone), timeZone);
    const to = isoInZone(new Date(env.now().getTime() + 1), timeZone);
    const items = await env.health.all('water', { from, to, cap: 500 });
    return items.reduce((sum, w) => sum + (typeof w.amount_ml === 'number' ? w.amount_ml : 0), 0);
  }

  return {
    prepareFood,
    prepareVital,
    prepareTracking,
    commitAll,
    waterToday,
    async logFood(input: LogFoodInput): Promise<ToolResult> {
      const p = prepareFood(input);
      return 'ok' in p ? p : commitAll([p]);
    },
    async logVital(input: LogVitalInput): Promise<ToolResult> {
      const p = prepareVital(input);
      return 'ok' in p ? p : commitAll([p]);
    },
    async logTracking(input: LogTrackingInput): Promise<ToolResult> {
      const p = prepareTracking(input);
      return 'ok' in p ? p : commitAll([p]);
    },
  };
}
