/**
 * What a caregiver sees of a person: only the parts their scopes grant, each read through the
 * person's own store scope (UserHealth) like any other read of theirs. Aggregates and the latest
 * values, never the raw event stream.
 */
import type { HealthItem } from '../locusgraph/health.js';
import type { UserHealth } from '../health/service.js';
import { localDate, zonedTimeToUtc } from '../locusgraph/zoned-time.js';
import { highlights } from '../health/highlights.js';
import type { CareScope } from './circle.js';

const DAY_MS = 86_400_000;

export interface Overview {
  user_id: string;
  date: string;
  timezone: string;
  scopes: CareScope[];
  summary?: { highlights: string[]; adherence_7d: { scheduled: number; taken: number; skipped: number; adherence: number | null } };
  vitals?: { latest: HealthItem<'vitals'> | null; last_7_days: Record<string, unknown> };
  medications?: {
    active: Array<{ id: string; name: string; dosage: string | null }>;
    today: Array<{ medication_id: string; name: string | null; scheduled: number; taken: number; skipped: number }>;
    adherence_7d: { scheduled: number; taken: number; adherence: number | null };
  };
  food?: { today: { meals: number; calories: number }; avg_daily_calories_7d: number | null };
  activity?: {
    today: { water_ml: number; exercise_minutes: number; mood: string | null };
    last_7_days: { sleep_avg_hours: number | null; nights: number; water_avg_daily_ml: number; exercise_minutes: number };
  };
  alerts?: Array<HealthItem<'alert'>>;
}

export async function overviewOf(health: UserHealth, userId: string, scopes: readonly CareScope[], now: number): Promise<Overview> {
  const tz = await health.timezone();
  const date = localDate(now, tz);
  const dayStart = zonedTimeToUtc(date, '00:00', tz);
  const to = new Date(now + 1000).toISOString();
  const has = (s: CareScope) => scopes.includes(s);
  const needsInsights = has('summary') || has('vitals') || has('medications') || has('food') || has('activity');
  const [day, week] = needsInsights
    ? await Promise.all([
        health.store.generateInsights({ from: new Date(dayStart).toISOString(), to, timezone: tz }),
        health.store.generateInsights({ from: new Date(now - 7 * DAY_MS).toISOString(), to, timezone: tz }),
      ])
    : [undefined, undefined];
  const out: Overview = { user_id: userId, date, timezone: tz, scopes: [...scopes] };
  if (has('summary') && day && week) {
    const m = week.medication;
    out.summary = { highlights: highlights(day, week), adherence_7d: { scheduled: m.scheduled, taken: m.taken, skipped: m.skipped, adherence: m.adherence } };
  }
  if (has('vitals') && week) {
    const latest = (await health.list('vitals', { limit: 1 })).items[0] ?? null;
    out.vitals = { latest, last_7_days: week.vitals as Record<string, unknown> };
  }
  if (has('medications') && day && week) {
    const meds = await health.all('medication', { cap: 200 });
    out.medications = {
      active: meds.filter((m) => m.active !== false).map((m) => ({ id: m.id, name: m.name, dosage: m.dosage ?? null })),
      today: day.medication.per_medication.map((p) => ({ medication_id: p.medication_id, name: p.name, scheduled: p.scheduled, taken: p.taken, skipped: p.skipped })),
      adherence_7d: { scheduled: week.medication.scheduled, taken: week.medication.taken, adherence: week.medication.adherence },
    };
  }
  if (has('food') && day && week) {
    const meals = day.nutrition.per_day.reduce((s, d) => s + d.meals, 0);
    const calories = Math.round(day.nutrition.per_day.reduce((s, d) => s + d.calories, 0));
    out.food = { today: { meals, calories }, avg_daily_calories_7d: week.nutrition.avg_daily_calories === null ? null : Math.round(week.nutrition.avg_daily_calories) };
  }
  if (has('activity') && day && week) {
    out.activity = {
      today: { water_ml: day.water.total_ml, exercise_minutes: Math.round(day.exercise.total_minutes), mood: day.mood.most_common },
      last_7_days: { sleep_avg_hours: week.sleep.avg_hours, nights: week.sleep.nights, water_avg_daily_ml: Math.round(week.water.avg_daily_ml), exercise_minutes: Math.round(week.exercise.total_minutes) },
    };
  }
  if (has('alerts')) out.alerts = (await health.list('alert', { limit: 10 })).items;
  return out;
}
