/**
 * The "Today" numbers, computed from the REST lists: pure functions of the records and a clock,
 * so they are tested in node. Local time is the browser's.
 */

export interface FoodRecord { calories?: number; protein_g?: number; carbs_g?: number; fat_g?: number; logged_at?: string }
export interface WaterRecord { amount_ml: number; logged_at?: string }
export interface VitalsRecord { blood_pressure_systolic?: number; blood_pressure_diastolic?: number; blood_sugar?: number; blood_sugar_context?: string; logged_at?: string; created_at?: string }
export interface AlarmRecord { id: string; title: string; message?: string; time: string; days_of_week?: string[]; date?: string; active?: boolean }

export interface Totals { calories: number; protein_g: number; carbs_g: number; fat_g: number; meals: number; water_ml: number }

/** Ids travel both bare and as `type:<id>` references. */
export const bareId = (ref: string) => ref.slice(ref.indexOf(':') + 1);

export function startOfLocalDay(now: number): Date {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d;
}

/** ISO weekday 1 (Monday) … 7 (Sunday) of a local date. */
const isoWeekday = (d: Date) => d.getDay() || 7;
const hasDay = (days: string[] | undefined, d: Date) => (days ?? []).some((x) => (x === '0' ? 7 : Number(x)) === isoWeekday(d));

export function dayTotals(food: FoodRecord[], water: WaterRecord[]): Totals {
  const t: Totals = { calories: 0, protein_g: 0, carbs_g: 0, fat_g: 0, meals: food.length, water_ml: 0 };
  for (const f of food) {
    t.calories += f.calories ?? 0;
    t.protein_g += f.protein_g ?? 0;
    t.carbs_g += f.carbs_g ?? 0;
    t.fat_g += f.fat_g ?? 0;
  }
  for (const w of water) t.water_ml += w.amount_ml;
  for (const k of ['calories', 'protein_g', 'carbs_g', 'fat_g'] as const) t[k] = Math.round(t[k]);
  return t;
}

const timeOf = (v: VitalsRecord) => Date.parse(v.logged_at ?? v.created_at ?? '');

export interface Reading<T> { at: number; value: T }

/** Latest blood pressure and sugar, whatever order the list came in. */
export function latestVitals(vitals: VitalsRecord[]) {
  let bp: Reading<{ systolic: number; diastolic: number }> | null = null;
  let sugar: Reading<{ mg_dl: number; context?: string }> | null = null;
  for (const v of vitals) {
    const at = timeOf(v);
    if (!Number.isFinite(at)) continue;
    if (v.blood_pressure_systolic !== undefined && v.blood_pressure_diastolic !== undefined && (!bp || at > bp.at)) {
      bp = { at, value: { systolic: v.blood_pressure_systolic, diastolic: v.blood_pressure_diastolic } };
    }
    if (v.blood_sugar !== undefined && (!sugar || at > sugar.at)) sugar = { at, value: { mg_dl: v.blood_sugar, context: v.blood_sugar_context } };
  }
  return { bp, sugar };
}

/** Chart series of the last `days` days, oldest first. */
export function vitalsSeries(vitals: VitalsRecord[], now: number, days = 7) {
  const from = startOfLocalDay(now).getTime() - (days - 1) * 86_400_000;
  const inRange = vitals.map((v) => ({ v, at: timeOf(v) })).filter(({ at }) => Number.isFinite(at) && at >= from && at <= now).sort((a, b) => a.at - b.at);
  return {
    from,
    to: now,
    systolic: inRange.filter(({ v }) => v.blood_pressure_systolic !== undefined).map(({ v, at }) => ({ t: at, v: v.blood_pressure_systolic! })),
    diastolic: inRange.filter(({ v }) => v.blood_pressure_diastolic !== undefined).map(({ v, at }) => ({ t: at, v: v.blood_pressure_diastolic! })),
    sugar: inRange.filter(({ v }) => v.blood_sugar !== undefined).map(({ v, at }) => ({ t: at, v: v.blood_sugar! })),
  };
}

/**
 * One dose of today as GET /api/medication/today lists it: the server decides which dose times
 * are due today (in the person's time zone) and which logged dose satisfies each, by the same rule
 * as the voice assistant, the recommendations and the insights.
 */
export interface DueDose {
  /** `medication:<id>`. */
  medication_id: string;
  name: string;
  dosage?: string;
  /** `med_schedule:<id>`, or null for a medication taken as needed. */
  schedule_id: string | null;
  /** HH:MM, or null as needed. */
  time: string | null;
  /** The dose time, sent back when the dose is marked taken; null as needed. */
  due_at: string | null;
  status: 'taken' | 'skipped' | 'due';
}

/** The body that marks a listed dose taken: its own dose time, so it is linked to exactly that one. */
export function takenBody(d: DueDose, now: number): Record<string, unknown> {
  return {
    medication_id: d.medication_id,
    ...(d.schedule_id && d.due_at ? { schedule_id: d.schedule_id, due_at: d.due_at } : {}),
    status: 'taken',
    taken_at: new Date(now).toISOString(),
  };
}

export interface Upcoming { alarmId: string; title: string; message?: string; at: number }

function atLocal(day: Date, hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  const d = new Date(day);
  d.setHours(h!, m!, 0, 0);
  return d.getTime();
}

/** The next firing of each active alarm within `horizonDays`, soonest first. */
export function upcomingReminders(alarms: AlarmRecord[], now: number, horizonDays = 7, limit = 5): Upcoming[] {
  const out: Upcoming[] = [];
  const today = startOfLocalDay(now);
  for (const a of alarms) {
    if (a.active === false) continue;
    let at: number | null = null;
    if (a.date) {
      const [y, mo, d] = a.date.split('-').map(Number);
      const t = atLocal(new Date(y!, mo! - 1, d!), a.time);
      if (t > now && t <= now + horizonDays * 86_400_000) at = t;
    } else {
      for (let i = 0; i <= horizonDays && at === null; i++) {
        const day = new Date(today);
        day.setDate(today.getDate() + i);
        const t = atLocal(day, a.time);
        if (t > now && hasDay(a.days_of_week, day)) at = t;
      }
    }
    if (at !== null) out.push({ alarmId: bareId(a.id), title: a.title, message: a.message, at });
  }
  return out.sort((a, b) => a.at - b.at).slice(0, limit);
}
