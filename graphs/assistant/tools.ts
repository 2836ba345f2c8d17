/**
 * The assistant's tools over the health domain. `createHealthTools` closes over one user's
 * `UserHealth`, so no tool takes a user id and none can reach another user's graph. The offline
 * agents call these functions directly and LLM mode calls the same functions through the
 * @langchain/core wrappers (`asLangChainTools`): one code path for every write, and every write
 * goes through UserHealth so REST, voice and chat apply the same rules (stock, alarm sync…).
 */
import { tool, type StructuredToolInterface } from '@langchain/core/tools';
import { z } from 'zod';
import { AppError } from '../../src/errors.js';
import type { UserHealth } from '../../src/health/service.js';
import { EVENT_TYPES, type EventType } from '../../src/locusgraph/schemas.js';
import { addDays, isoInZone, isoWeekday, localParts, ymd, zonedToInstant } from './nlu/clock.js';
import { computeNutrition, mealFromHour, type FoodIndex, type NutritionFood } from './nlu/food.js';
import { findMedication } from './nlu/medication.js';
import { normalize } from './nlu/normalize.js';
import { inRange, type RangeName } from './nlu/ranges.js';
import type { AlarmType, ExerciseType, FoodItem, MealType, Mood, PartOfDay, SugarContext } from './nlu/types.js';
import { label, say, type Bilingual, type Say, type Spoken } from './speech.js';

export interface Action {
  type: string;
  id: string;
}

export interface MedicationInfo {
  id: string;
  name: string;
}

export interface ToolEnv {
  health: UserHealth;
  timeZone: string;
  now: () => Date;
  foodIndex: FoodIndex;
  /** Active medications, loaded once per turn by load_context. */
  medications: readonly MedicationInfo[];
}

/** What a tool did: structured data for an LLM, speech for the reply, ids for the caller. */
export type ToolResult =
  | { ok: true; say: Say[]; actions: Action[]; data?: unknown }
  | { ok: false; error: 'invalid' | 'not_found' | 'missing' | 'past'; say: Say[]; slots?: string[] };

const fail = (error: 'invalid' | 'not_found' | 'missing' | 'past', s: Say[], slots?: string[]): ToolResult => ({ ok: false, error, say: s, ...(slots ? { slots } : {}) });

// ---------------------------------------------------------------- inputs (shared by both modes)

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
export const logDoseInput = z.object({
  medication: z.string().max(200).optional().describe('name as the user said it; omit for "the doses due now"'),
  status: z.enum(['taken', 'skipped']).default('taken'),
  part_of_day: z.enum(['morning', 'afternoon', 'evening', 'night']).optional(),
});
export const createAlarmInput = z.object({
  alarm_type: z.enum(['water', 'medication', 'meal', 'meditation', 'custom']),
  title: z.string().min(1).max(200),
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/).describe('local HH:MM, 24-hour'),
  days_of_week: z.array(z.number().int().min(1).max(7)).max(7).optional().describe('1 = Monday … 7 = Sunday; omit for a one-off'),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().describe('local YYYY-MM-DD for a one-off'),
});
export const createAppointmentInput = z.object({
  title: z.string().min(1).max(200),
  doctor: z.string().max(200).optional(),
  scheduled_at: z.iso.datetime({ offset: true }).describe('ISO 8601 with the user offset'),
});
export const getRecentInput = z.object({
  type: z.enum(['vitals', 'food', 'water', 'sleep', 'exercise', 'mood', 'medication_log', 'appointment', 'alarm']),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.number().int().min(1).max(100).default(20),
});
export const searchMemoriesInput = z.object({ query: z.string().min(1).max(500), limit: z.number().int().min(1).max(20).default(5) });
export const getInsightsInput = z.object({ days: z.number().int().min(1).max(90).default(7) });

export type LogFoodInput = z.input<typeof logFoodInput> & { unmatched?: string[] };
export type LogVitalInput = z.input<typeof logVitalInput>;
export type LogTrackingInput = z.input<typeof logTrackingInput>;
export type LogDoseInput = z.input<typeof logDoseInput>;
export type CreateAlarmInput = z.input<typeof createAlarmInput>;
export type CreateAppointmentInput = z.input<typeof createAppointmentInput>;

/** A validated write, not yet stored: lets an agent check every entry before writing any. */
export interface Prepared {
  type: EventType;
  payload: Record<string, unknown>;
  say: Say[];
}

// ---------------------------------------------------------------- helpers

const round1 = (n: number): number => Math.round(n * 10) / 10;
const DEVANAGARI = /[\u0900-\u097F]/;

/** "Roti / chapati" → "roti"; Hindi: the first Devanagari alias. */
export function foodName(food: NutritionFood): Bilingual {
  const en = food.name.split(/\s+[/(]/)[0]!.trim().toLowerCase();
  return { en, hi: food.aliases.find((a) => DEVANAGARI.test(a)) ?? en };
}

function validPayload(type: EventType, payload: Record<string, unknown>): boolean {
  return EVENT_TYPES[type].schema.safeParse(payload).success;
}

/** Whole hours, 0.5 when the half matters. */
export function sleepHours(startIso: string, endIso: string): number {
  return Math.round(((Date.parse(endIso) - Date.parse(startIso)) / 3_600_000) * 2) / 2;
}

export const POD_HOURS: Record<PartOfDay, [number, number]> = { morning: [4, 12], afternoon: [12, 17], evening: [17, 21], night: [21, 28] };

const SUGAR_LABEL: Record<SugarContext, 'fasting' | 'post_meal' | 'random'> = { fasting: 'fasting', post_meal: 'post_meal', random: 'random' };

// ---------------------------------------------------------------- the tools

export function createHealthTools(env: ToolEnv) {
  const { health, timeZone } = env;
  const nowIso = (): string => isoInZone(env.now(), timeZone);

  async function commit(prepared: readonly Prepared[]): Promise<ToolResult> {
    const actions: Action[] = [];
    const data: unknown[] = [];
    for (const p of prepared) {
      try {
        const item = await health.create(p.type, p.payload);
        actions.push({ type: p.type, id: item.id });
        data.push(item);
      } catch (err) {
        if (err instanceof AppError && err.code === 'VALIDATION_ERROR') return fail('invalid', [say('clarify.invalid')]);
        throw err;
      }
    }
    return { ok: true, say: prepared.flatMap((p) => p.say), actions, data };
  }

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
      logged_at: nowIso(),
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

    const payload: Record<string, unknown> = { logged_at: nowIso() };
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
    // Several vitals in one breath are one event; the reply names each.
    return { type: 'vitals', payload, say: parts };
  }

  function prepareTracking(input: LogTrackingInput): Prepared | ToolResult {
    switch (input.kind) {
      case 'water': {
        if (!inRange('amount_ml', input.amount_ml)) return fail('invalid', [say('clarify.invalid')], ['amount_ml']);
        const payload = { amount_ml: Math.round(input.amount_ml), logged_at: nowIso() };
        // The day's total is only known after the write; commitWater fills it in.
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
        const payload = { exercise_type: input.exercise_type, duration_minutes: Math.round(input.duration_minutes), logged_at: nowIso() };
        const known = ['walking', 'running', 'cycling', 'swimming', 'yoga', 'pranayama', 'stretching', 'dancing', 'exercise'] as const;
        const activity: Spoken = (known as readonly string[]).includes(input.exercise_type) ? label(input.exercise_type as ExerciseType) : input.exercise_type;
        return { type: 'exercise', payload, say: [say('log.exercise', { minutes: payload.duration_minutes, activity })] };
      }
      case 'mood': {
        const payload: Record<string, unknown> = { mood: input.mood, logged_at: nowIso() };
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
    return commit(prepared);
  }

  async function waterToday(): Promise<number> {
    const from = isoInZone(zonedToInstant(localParts(env.now(), timeZone), 0, 0, timeZone), timeZone);
    const items = await health.all('water', { from, to: nowIsoPlus(1), cap: 500 });
    return items.reduce((sum, w) => sum + (typeof w.amount_ml === 'number' ? w.amount_ml : 0), 0);
  }

  const nowIsoPlus = (ms: number): string => isoInZone(new Date(env.now().getTime() + ms), timeZone);

  function medicationByName(name: string): MedicationInfo | undefined {
    const lower = name.trim().toLowerCase();
    const exact = env.medications.find((m) => m.name.toLowerCase() === lower);
    if (exact) return exact;
    const matched = findMedication(normalize(name), env.medications.map((m) => m.name), false);
    return matched ? env.medications.find((m) => m.name === matched) : undefined;
  }

  /** Active schedules of active medications due today within the window, oldest first. */
  async function schedulesDue(pod?: PartOfDay): Promise<Array<{ scheduleId: string; med: MedicationInfo; time: string }>> {
    const now = env.now();
    const local = localParts(now, timeZone);
    const weekday = String(isoWeekday(local));
    const minutesNow = local.hour * 60 + local.minute;
    const [lo, hi] = pod ? [POD_HOURS[pod][0] * 60, POD_HOURS[pod][1] * 60] : [minutesNow - 180, minutesNow + 60];
    const out: Array<{ scheduleId: string; med: MedicationInfo; time: string }> = [];
    for (const s of await health.all('med_schedule')) {
      if (s.active === false) continue;
      const days = (s.days_of_week as string[]).map((d) => (d === '0' ? '7' : d));
      if (!days.includes(weekday)) continue;
      const [h, m] = String(s.time_of_day).split(':').map(Number) as [number, number];
      const at = h * 60 + m;
      if (at < lo || at > hi) continue;
      const med = env.medications.find((x) => `medication:${x.id}` === s.medication_id);
      if (med) out.push({ scheduleId: s.id, med, time: String(s.time_of_day) });
    }
    return out.sort((a, b) => a.time.localeCompare(b.time));
  }

  async function logDose(raw: LogDoseInput): Promise<ToolResult> {
    const input = logDoseInput.parse(raw);
    const takenAt = nowIso();
    const payloads: Array<{ payload: Record<string, unknown>; med: MedicationInfo }> = [];
    if (input.medication) {
      const med = medicationByName(input.medication);
      if (!med) return fail('not_found', [say('medication.unknown', { medication: input.medication })], ['medication']);
      payloads.push({ med, payload: { medication_id: `medication:${med.id}`, status: input.status, taken_at: takenAt } });
    } else {
      const due = await schedulesDue(input.part_of_day);
      const seen = new Set<string>();
      for (const d of due) {
        if (seen.has(d.med.id)) continue;
        seen.add(d.med.id);
        payloads.push({ med: d.med, payload: { schedule_id: `med_schedule:${d.scheduleId}`, medication_id: `medication:${d.med.id}`, status: input.status, taken_at: takenAt } });
      }
      if (!payloads.length && env.medications.length === 1) {
        const med = env.medications[0]!;
        payloads.push({ med, payload: { medication_id: `medication:${med.id}`, status: input.status, taken_at: takenAt } });
      }
      if (!payloads.length) return fail('missing', [say('clarify.medication')], ['medication']);
    }
    const names: Spoken = { list: payloads.map((p) => p.med.name) };
    const s = input.status === 'skipped'
      ? say('medication.dose_skipped', { medication: names })
      : !input.medication && input.part_of_day && payloads.length > 1
        ? say('medication.dose_logged_generic', { part_of_day: label(input.part_of_day) })
        : say('medication.dose_logged', { medication: names });
    const r = await commit(payloads.map((p) => ({ type: 'medication_log' as const, payload: p.payload, say: [] })));
    return r.ok ? { ...r, say: [s] } : r;
  }

  async function createAlarm(raw: CreateAlarmInput): Promise<ToolResult> {
    const input = createAlarmInput.parse(raw);
    const days = input.days_of_week?.length ? [...new Set(input.days_of_week)].sort() : undefined;
    let date = days ? undefined : input.date;
    if (!days && !date) {
      // A one-off with no day: the next time that clock time comes round.
      const local = localParts(env.now(), timeZone);
      const [h, m] = input.time.split(':').map(Number) as [number, number];
      date = ymd(h * 60 + m > local.hour * 60 + local.minute ? local : addDays(local, 1));
    }
    const payload: Record<string, unknown> = {
      type: input.alarm_type as AlarmType,
      title: input.title,
      time: input.time,
      days_of_week: days ? days.map(String) : [],
      active: true,
      ...(date ? { date } : {}),
    };
    if (!validPayload('alarm', payload)) return fail('invalid', [say('clarify.time')], ['time']);
    const when: Spoken = days
      ? days.length === 7
        ? { nested: say('labels.every_day', { time: { time: input.time } }) }
        : { nested: say('labels.weekly', { days: { list: days.map((d) => label(`day_${d}` as 'day_1')) }, time: { time: input.time } }) }
      : { nested: say('labels.once', { date: { date: date! }, time: { time: input.time } }) };
    return commit([{ type: 'alarm', payload, say: [say('reminder.alarm_set', { title: input.title, when })] }]);
  }

  async function createAppointment(raw: CreateAppointmentInput): Promise<ToolResult> {
    const input = createAppointmentInput.parse(raw);
    if (Date.parse(input.scheduled_at) <= env.now().getTime()) return fail('past', [say('clarify.past')], ['date']);
    const payload: Record<string, unknown> = {
      title: input.title,
      scheduled_at: input.scheduled_at,
      reminder_minutes_before: 60,
      ...(input.doctor ? { doctor_name: input.doctor } : {}),
    };
    const local = localParts(new Date(input.scheduled_at), timeZone);
    const s = say('reminder.appointment_set', {
      with_doctor: input.doctor ? { nested: say('labels.with_doctor', { doctor: input.doctor }) } : '',
      date: { date: ymd(local) },
      time: { time: `${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}` },
    });
    try {
      return await commit([{ type: 'appointment', payload, say: [s] }]);
    } catch (err) {
      if (err instanceof AppError && err.code === 'VALIDATION_ERROR') return fail('past', [say('clarify.past')], ['date']);
      throw err;
    }
  }

  return {
    env,
    prepareFood,
    prepareVital,
    prepareTracking,
    commitAll,
    waterToday,
    schedulesDue,
    medicationByName,

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
    logDose,
    createAlarm,
    createAppointment,

    async getProfile(): Promise<ToolResult> {
      const profile = await health.get('profile', health.store.profileId);
      const schedules = await health.all('med_schedule');
      const contacts = await health.all('emergency_contact');
      const primary = contacts.find((c) => c.is_primary);
      const data = {
        timezone: timeZone,
        preferred_language: profile?.preferred_language,
        medical_conditions: profile?.medical_conditions ?? [],
        medications: env.medications.map((m) => ({
          name: m.name,
          times: schedules.filter((s) => s.medication_id === `medication:${m.id}` && s.active !== false).map((s) => s.time_of_day).sort(),
        })),
        primary_contact: primary ? { name: primary.name } : null,
      };
      return { ok: true, say: [], actions: [], data };
    },
    async getRecent(raw: z.input<typeof getRecentInput>): Promise<ToolResult> {
      const q = getRecentInput.parse(raw);
      const page = await health.list(q.type, { limit: q.limit, from: q.from, to: q.to });
      return { ok: true, say: [], actions: [], data: page.items };
    },
    async searchMemories(raw: z.input<typeof searchMemoriesInput>): Promise<ToolResult> {
      const q = searchMemoriesInput.parse(raw);
      const r = await health.store.retrieveContext({ text: q.query, limit: q.limit });
      // Chat turns are the user's own words; leaving them out keeps the LLM on recorded facts.
      return { ok: true, say: [], actions: [], data: r.items.filter((h) => h.type !== 'chat').map((h) => ({ type: h.type, ...h.item })) };
    },
    async getInsights(raw: z.input<typeof getInsightsInput>): Promise<ToolResult> {
      const q = getInsightsInput.parse(raw);
      const to = env.now();
      const from = new Date(to.getTime() - q.days * 86_400_000);
      const data = await health.store.generateInsights({ from: isoInZone(from, timeZone), to: isoInZone(to, timeZone), timezone: timeZone });
      return { ok: true, say: [], actions: [], data };
    },
  };
}

export type HealthTools = ReturnType<typeof createHealthTools>;

/** Which tools write (their confirmations are spoken from templates, not LLM text). */
export const WRITE_TOOLS: ReadonlySet<string> = new Set(['log_food', 'log_vital', 'log_tracking', 'log_dose', 'create_alarm', 'create_appointment']);

/** Result of the latest LangChain tool call per tool run, keyed by call id, for the agent to read back. */
export type ToolLedger = Map<string, ToolResult>;

/**
 * The same functions as @langchain/core tools with zod schemas, for LLM tool calling. A tool
 * returns JSON for the model and records its full result in `ledger` so the agent can speak the
 * confirmation and report the actions.
 */
export function asLangChainTools(t: HealthTools, ledger: ToolLedger): StructuredToolInterface[] {
  const wrap = <S extends z.ZodType>(name: string, description: string, schema: S, run: (input: z.output<S>) => Promise<ToolResult>) =>
    tool(
      async (input: z.output<S>, config?: { toolCall?: { id?: string } }) => {
        const r = await run(input);
        ledger.set(config?.toolCall?.id ?? `${name}:${ledger.size}`, r);
        return JSON.stringify(r.ok ? { ok: true, data: r.data ?? null, actions: r.actions } : { ok: false, error: r.error, slots: r.slots ?? [] });
      },
      { name, description, schema },
    ) as unknown as StructuredToolInterface;
  return [
    wrap('log_food', 'Log a meal. items use ids from the nutrition list; nutrition is computed by the tool.', logFoodInput, (i) => t.logFood(i)),
    wrap('log_vital', 'Log vitals: BP (systolic and diastolic together), pulse, sugar (mg/dL with context), temperature, weight in kg, SpO2.', logVitalInput, (i) => t.logVital(i)),
    wrap('log_tracking', 'Log water (ml), sleep (start/end or hours), exercise (type, minutes) or mood.', logTrackingInput, (i) => t.logTracking(i)),
    wrap('log_dose', 'Log a medicine dose as taken or skipped. Without a name, the doses due now are logged.', logDoseInput, (i) => t.logDose(i)),
    wrap('create_alarm', 'Create a reminder alarm at a local time, repeating on weekdays or once on a date.', createAlarmInput, (i) => t.createAlarm(i)),
    wrap('create_appointment', 'Create a doctor appointment at a future date and time.', createAppointmentInput, (i) => t.createAppointment(i)),
    wrap('get_profile', "The user's profile, medicines with their times, and primary emergency contact name.", z.object({}), () => t.getProfile()),
    wrap('get_recent', "The user's recent records of one type, newest first, optionally within [from, to).", getRecentInput, (i) => t.getRecent(i)),
    wrap('search_memories', "Search the user's own records by text.", searchMemoriesInput, (i) => t.searchMemories(i)),
    wrap('get_insights', "Aggregates over the user's last N days (vitals, food, water, sleep, exercise, mood, medication).", getInsightsInput, (i) => t.getInsights(i)),
  ];
}

