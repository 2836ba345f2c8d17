/**
 * Health insights as plain aggregates over a user's events in a period. Pure: the adapter loads
 * the events, this module only counts, so every figure is testable by hand.
 */
import { adherence, type AdherenceReport } from '../health/doses.js';
import type { PayloadOf } from './schemas.js';
import { datesBetween, localDate } from './zoned-time.js';

export type Item<P> = P & { id: string; created_at: string; updated_at: string };

export interface InsightInput {
  fromMs: number;
  toMs: number;
  /** Doses due after this are not yet "scheduled". */
  nowMs: number;
  timezone: string;
  vitals: Item<PayloadOf<'vitals'>>[];
  food: Item<PayloadOf<'food'>>[];
  water: Item<PayloadOf<'water'>>[];
  sleep: Item<PayloadOf<'sleep'>>[];
  exercise: Item<PayloadOf<'exercise'>>[];
  mood: Item<PayloadOf<'mood'>>[];
  meditation_log: Item<PayloadOf<'meditation_log'>>[];
  medication: Item<PayloadOf<'medication'>>[];
  med_schedule: Item<PayloadOf<'med_schedule'>>[];
  /** Doses from DOSE_MARGIN_MS (src/health/doses.ts) before fromMs to as long after toMs: a dose near an end can satisfy a slot inside. */
  medication_log: Item<PayloadOf<'medication_log'>>[];
}

export type Trend = 'rising' | 'falling' | 'stable' | 'insufficient_data';

export interface MetricSummary {
  count: number;
  avg: number;
  min: number;
  max: number;
  first: number;
  last: number;
  trend: Trend;
  /** Least-squares slope, in the metric's unit per week; null when too few points. */
  change_per_week: number | null;
}

export type { MedicationAdherence } from '../health/doses.js';

export interface Insights {
  period: { from: string; to: string; timezone: string; days: number };
  vitals: Partial<Record<VitalMetric, MetricSummary>>;
  nutrition: {
    days_logged: number;
    avg_daily_calories: number | null;
    per_day: Array<{ date: string; meals: number; calories: number; protein_g: number; carbs_g: number; fat_g: number }>;
  };
  water: { total_ml: number; days_logged: number; avg_daily_ml: number; per_day: Array<{ date: string; ml: number }> };
  sleep: { nights: number; avg_hours: number | null; min_hours: number | null; max_hours: number | null; avg_quality: number | null };
  exercise: {
    sessions: number;
    total_minutes: number;
    total_calories_burned: number;
    by_type: Record<string, { sessions: number; minutes: number }>;
  };
  mood: { entries: number; counts: Record<string, number>; most_common: string | null; avg_energy: number | null };
  meditation: { sessions: number; completed: number; total_minutes: number };
  /** Scheduled doses (slots) and what became of them: src/health/doses.ts, shared with the talk page and the advice. */
  medication: AdherenceReport;
}

export const VITAL_METRICS = [
  'blood_pressure_systolic',
  'blood_pressure_diastolic',
  'heart_rate',
  'blood_sugar',
  'temperature_f',
  'spo2',
  'weight_kg',
] as const;
export type VitalMetric = (typeof VITAL_METRICS)[number];

const round = (n: number, dp = 1) => Math.round(n * 10 ** dp) / 10 ** dp;
const DAY = 86_400_000;
// A change smaller than this share of the mean over the period reads as noise, not a trend.
const STABLE_FRACTION = 0.03;

function summarize(points: Array<{ t: number; v: number }>): MetricSummary {
  points.sort((a, b) => a.t - b.t);
  const vs = points.map((p) => p.v);
  const n = vs.length;
  const mean = vs.reduce((a, b) => a + b, 0) / n;
  const span = points[n - 1]!.t - points[0]!.t;
  let trend: Trend = 'insufficient_data';
  let perWeek: number | null = null;
  if (n >= 3 && span >= DAY) {
    const tMean = points.reduce((a, p) => a + p.t, 0) / n;
    let num = 0;
    let den = 0;
    for (const p of points) {
      num += (p.t - tMean) * (p.v - mean);
      den += (p.t - tMean) ** 2;
    }
    const perMs = den === 0 ? 0 : num / den;
    perWeek = round(perMs * 7 * DAY, 2);
    const change = perMs * span;
    trend = Math.abs(change) < STABLE_FRACTION * Math.abs(mean) ? 'stable' : change > 0 ? 'rising' : 'falling';
  }
  return { count: n, avg: round(mean), min: Math.min(...vs), max: Math.max(...vs), first: vs[0]!, last: vs[n - 1]!, trend, change_per_week: perWeek };
}

function vitalValue(v: PayloadOf<'vitals'>, m: VitalMetric): number | undefined {
  if (m === 'temperature_f') {
    if (v.temperature === undefined) return undefined;
    return v.temperature_unit === 'C' ? round(v.temperature * 1.8 + 32, 2) : v.temperature;
  }
  return v[m];
}

export function computeInsights(input: InsightInput): Insights {
  const { fromMs, toMs, timezone: tz } = input;
  const periodDates = datesBetween(localDate(fromMs, tz), localDate(toMs - 1, tz));
  const day = (iso: string | undefined, fallback: string) => localDate(Date.parse(iso ?? fallback), tz);

  const vitals: Insights['vitals'] = {};
  for (const m of VITAL_METRICS) {
    const points = input.vitals.flatMap((v) => {
      const value = vitalValue(v, m);
      return value === undefined ? [] : [{ t: Date.parse(v.logged_at ?? v.created_at), v: value }];
    });
    if (points.length) vitals[m] = summarize(points);
  }

  const food = new Map<string, Insights['nutrition']['per_day'][number]>();
  for (const f of input.food) {
    const date = day(f.logged_at, f.created_at);
    const d = food.get(date) ?? { date, meals: 0, calories: 0, protein_g: 0, carbs_g: 0, fat_g: 0 };
    d.meals++;
    d.calories += f.calories ?? 0;
    d.protein_g += f.protein_g ?? 0;
    d.carbs_g += f.carbs_g ?? 0;
    d.fat_g += f.fat_g ?? 0;
    food.set(date, d);
  }
  const perDayFood = [...food.values()]
    .sort((a, b) => a.date.localeCompare(b.date))
    .map((d) => ({ ...d, calories: round(d.calories), protein_g: round(d.protein_g), carbs_g: round(d.carbs_g), fat_g: round(d.fat_g) }));

  const water = new Map<string, number>();
  for (const w of input.water) {
    const date = day(w.logged_at, w.created_at);
    water.set(date, (water.get(date) ?? 0) + w.amount_ml);
  }
  const totalWater = [...water.values()].reduce((a, b) => a + b, 0);

  const hours = input.sleep.map((s) => (Date.parse(s.sleep_end) - Date.parse(s.sleep_start)) / 3_600_000);
  const qualities = input.sleep.flatMap((s) => (s.quality === undefined ? [] : [s.quality]));
  const avg = (xs: number[], dp = 1) => (xs.length ? round(xs.reduce((a, b) => a + b, 0) / xs.length, dp) : null);

  const byType: Insights['exercise']['by_type'] = {};
  for (const e of input.exercise) {
    const k = e.exercise_type.toLowerCase();
    const t = (byType[k] ??= { sessions: 0, minutes: 0 });
    t.sessions++;
    t.minutes += e.duration_minutes;
  }

  const moods: Record<string, number> = {};
  for (const m of input.mood) moods[m.mood] = (moods[m.mood] ?? 0) + 1;
  const mostCommon = Object.entries(moods).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;

  return {
    period: { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), timezone: tz, days: periodDates.length },
    vitals,
    nutrition: {
      days_logged: perDayFood.length,
      avg_daily_calories: avg(perDayFood.map((d) => d.calories)),
      per_day: perDayFood,
    },
    water: {
      total_ml: totalWater,
      days_logged: water.size,
      avg_daily_ml: periodDates.length ? round(totalWater / periodDates.length) : 0,
      per_day: [...water.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([date, ml]) => ({ date, ml })),
    },
    sleep: {
      nights: hours.length,
      avg_hours: avg(hours, 2),
      min_hours: hours.length ? round(Math.min(...hours), 2) : null,
      max_hours: hours.length ? round(Math.max(...hours), 2) : null,
      avg_quality: avg(qualities),
    },
    exercise: {
      sessions: input.exercise.length,
      total_minutes: round(input.exercise.reduce((a, e) => a + e.duration_minutes, 0)),
      total_calories_burned: round(input.exercise.reduce((a, e) => a + (e.calories_burned ?? 0), 0)),
      by_type: byType,
    },
    mood: {
      entries: input.mood.length,
      counts: moods,
      most_common: mostCommon,
      avg_energy: avg(input.mood.flatMap((m) => (m.energy_level === undefined ? [] : [m.energy_level]))),
    },
    meditation: {
      sessions: input.meditation_log.length,
      completed: input.meditation_log.filter((m) => m.completed).length,
      total_minutes: round(input.meditation_log.reduce((a, m) => a + m.duration_minutes, 0)),
    },
    medication: adherence({
      schedules: input.med_schedule,
      medications: input.medication,
      doses: input.medication_log,
      fromMs,
      toMs,
      nowMs: input.nowMs,
      timezone: tz,
    }),
  };
}
