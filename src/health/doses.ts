/**
 * Dose slots: the one place that knows which doses a person's schedules ask for and which logged
 * dose satisfies which of them. A slot is one schedule's dose due at one instant (its
 * `time_of_day` on one of its days, in the person's time zone), from the minute the schedule was
 * created until it (or its medication) was deactivated. Everything that counts or shows doses uses
 * this module, so they agree: the dose write rule (UserHealth: link, refuse a second dose), the
 * reminder follow-up, the caregiver's missed-dose text and a spoken "yes" (doseLoggedSince), the
 * talk page's "Medicines due today" (GET /api/medication/today), the recommendations' adherence
 * and the insights' medication section.
 *
 * Which slot a dose satisfies: a dose stored with `schedule_id` and `due_at` names its slot. Any
 * other dose (an older record, or one written without a slot) satisfies the nearest slot of its
 * schedule (or else of its medication) due at most DOSE_EARLY_MS after it or DOSE_LATE_MS before
 * it, the earlier slot on a tie. A dose marked `extra` satisfies none. A slot is `taken` once any
 * taken dose satisfies it, else `skipped` once a skipped one does, else `due`; a second taken dose
 * for a taken slot is a repeat and satisfies nothing (it counts as extra).
 *
 * Pure functions first (no I/O, no clock: times are passed in), then the reads that feed them.
 */
import { AppError } from '../errors.js';
import { datesBetween, isoWeekday, localDate, localTime, zonedTimeToUtc } from '../locusgraph/zoned-time.js';
import type { AnyItem, UserHealth } from './service.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** A dose taken up to this long before its due time satisfies the slot (taken early). */
export const DOSE_EARLY_MS = 2 * HOUR;
/** A dose taken up to this long after its due time satisfies the slot (taken late). */
export const DOSE_LATE_MS = 6 * HOUR;
/** How far past a period's ends doses are read to decide the slots inside it. */
export const DOSE_MARGIN_MS = 2 * (DOSE_EARLY_MS + DOSE_LATE_MS);
/** A dose that names its slot must be taken within this long of it. */
export const NAMED_SLOT_MAX_MS = 24 * HOUR;

/** The id part of a reference: `medication:abc` → `abc`. (service.ts has the same; this module must not import it at run time.) */
const bare = (ref: unknown): string => (typeof ref === 'string' ? ref.slice(ref.indexOf(':') + 1) : '');
const iso = (ms: number): string => new Date(ms).toISOString();

// ---------------------------------------------------------------- records, as stored

export interface ScheduleRecord {
  id: string;
  medication_id: unknown;
  time_of_day: unknown;
  days_of_week: unknown;
  active?: unknown;
  created_at: string;
  updated_at: string;
}

export interface MedicationRecord {
  id: string;
  name?: unknown;
  dosage?: unknown;
  active?: unknown;
  updated_at: string;
}

export interface DoseRecord {
  id: string;
  medication_id?: unknown;
  schedule_id?: unknown;
  due_at?: unknown;
  extra?: unknown;
  status: unknown;
  taken_at?: unknown;
  created_at: string;
}

export interface Slot {
  scheduleId: string;
  /** Bare medication id. */
  medicationId: string;
  dueAt: number;
  /** The schedule's HH:MM (local). */
  time: string;
}

export type SlotStatus = 'taken' | 'skipped' | 'due';

export interface SlotState {
  slot: Slot;
  status: SlotStatus;
  /** The dose that decided the status: the first taken one, else the first skipped one. */
  dose?: DoseRecord;
}

export const slotKey = (scheduleId: string, dueAt: number): string => `${scheduleId}@${dueAt}`;

/** When a dose was taken (or skipped): its taken_at, else when it was written. */
export function doseTime(d: Pick<DoseRecord, 'taken_at' | 'created_at'>): number {
  const t = typeof d.taken_at === 'string' ? Date.parse(d.taken_at) : NaN;
  return Number.isFinite(t) ? t : Date.parse(d.created_at);
}

function daysOf(s: ScheduleRecord): Set<number> {
  const days = Array.isArray(s.days_of_week) ? s.days_of_week : [];
  return new Set(days.map((d) => (d === '0' ? 7 : Number(d))));
}

// ---------------------------------------------------------------- slots

/**
 * The slots of one schedule due in [fromMs, toMs): from the minute it was created, until it (or,
 * when `medication` is given, its medication) was deactivated.
 */
export function scheduleSlots(s: ScheduleRecord, fromMs: number, toMs: number, tz: string, medication?: MedicationRecord): Slot[] {
  if (typeof s.time_of_day !== 'string') return [];
  const time = s.time_of_day;
  const start = Math.max(fromMs, Math.floor(Date.parse(s.created_at) / MINUTE) * MINUTE);
  let end = toMs;
  if (s.active === false) end = Math.min(end, Date.parse(s.updated_at));
  if (medication?.active === false) end = Math.min(end, Date.parse(medication.updated_at));
  if (!(end > start)) return [];
  const days = daysOf(s);
  const medicationId = bare(s.medication_id);
  const out: Slot[] = [];
  for (const date of datesBetween(localDate(start, tz), localDate(end, tz))) {
    if (!days.has(isoWeekday(date))) continue;
    const dueAt = zonedTimeToUtc(date, time, tz);
    if (dueAt >= start && dueAt < end) out.push({ scheduleId: s.id, medicationId, dueAt, time });
  }
  return out;
}

/**
 * Every slot due in [fromMs, toMs), oldest first. A schedule whose medication no longer exists
 * has none (nothing reminds of it and nothing could be logged against it).
 */
export function slotsBetween(schedules: readonly ScheduleRecord[], medications: readonly MedicationRecord[], fromMs: number, toMs: number, tz: string): Slot[] {
  const meds = new Map(medications.map((m) => [m.id, m]));
  const out: Slot[] = [];
  for (const s of schedules) {
    const med = meds.get(bare(s.medication_id));
    if (med) out.push(...scheduleSlots(s, fromMs, toMs, tz, med));
  }
  return out.sort((a, b) => a.dueAt - b.dueAt || a.scheduleId.localeCompare(b.scheduleId));
}

/** Whether `dueAt` is one of the schedule's dose times (its time on one of its days), whenever it was created. */
export function isScheduleTime(s: ScheduleRecord, dueAt: number, tz: string): boolean {
  if (typeof s.time_of_day !== 'string' || !Number.isFinite(dueAt)) return false;
  const date = localDate(dueAt, tz);
  return daysOf(s).has(isoWeekday(date)) && zonedTimeToUtc(date, s.time_of_day, tz) === dueAt;
}

/**
 * The slot a dose at `at` satisfies by time: the nearest of the candidates (slots of `scheduleId`
 * when given, else of `medicationId`) due within [at − DOSE_LATE_MS, at + DOSE_EARLY_MS], the
 * earlier one on a tie.
 */
export function nearestSlot(slots: readonly Slot[], dose: { medicationId: string; scheduleId?: string; at: number }): Slot | undefined {
  let best: Slot | undefined;
  for (const s of slots) {
    if (dose.scheduleId ? s.scheduleId !== dose.scheduleId : s.medicationId !== dose.medicationId) continue;
    if (s.dueAt > dose.at + DOSE_EARLY_MS || s.dueAt < dose.at - DOSE_LATE_MS) continue;
    const d = Math.abs(s.dueAt - dose.at);
    if (!best || d < Math.abs(best.dueAt - dose.at) || (d === Math.abs(best.dueAt - dose.at) && s.dueAt < best.dueAt)) best = s;
  }
  return best;
}

const isTaken = (d: DoseRecord): boolean => d.status === 'taken';

/** Whether a dose already on a slot leaves no room for `d`: a taken dose takes it; a skip is only overridden by a taken dose. */
function occupied(on: readonly DoseRecord[], d: DoseRecord): boolean {
  return isTaken(d) ? on.some(isTaken) : on.length > 0;
}

export interface DoseMatch {
  /** Per slot key, the doses that satisfy it, oldest first. */
  bySlot: Map<string, DoseRecord[]>;
  /** Taken or skipped doses that satisfy no slot: extra doses, repeats, as-needed medicines, off-schedule times. */
  unmatched: DoseRecord[];
}

/** Which dose satisfies which slot (see the module comment). `slots` should reach DOSE_MARGIN_MS past the doses' times. */
export function matchDoses(slots: readonly Slot[], doses: readonly DoseRecord[]): DoseMatch {
  const keys = new Set(slots.map((s) => slotKey(s.scheduleId, s.dueAt)));
  const bySlot = new Map<string, DoseRecord[]>();
  const unmatched: DoseRecord[] = [];
  const sorted = [...doses].sort((a, b) => doseTime(a) - doseTime(b) || a.created_at.localeCompare(b.created_at));
  const put = (key: string, d: DoseRecord) => {
    const on = bySlot.get(key) ?? [];
    on.push(d);
    bySlot.set(key, on);
  };
  const byTime: DoseRecord[] = [];
  for (const d of sorted) {
    if (d.extra === true) unmatched.push(d);
    else if (typeof d.schedule_id === 'string' && typeof d.due_at === 'string') {
      // A named slot is kept even when it is not counted (due before the schedule existed): the
      // dose was for it, so it must not be moved onto a neighbour.
      const key = slotKey(bare(d.schedule_id), Date.parse(d.due_at));
      if (keys.has(key)) put(key, d);
    } else byTime.push(d);
  }
  for (const d of byTime) {
    const scheduleId = typeof d.schedule_id === 'string' ? bare(d.schedule_id) : undefined;
    const slot = nearestSlot(slots, { medicationId: bare(d.medication_id), scheduleId, at: doseTime(d) });
    const key = slot ? slotKey(slot.scheduleId, slot.dueAt) : undefined;
    if (key && !occupied(bySlot.get(key) ?? [], d)) put(key, d);
    else unmatched.push(d);
  }
  return { bySlot, unmatched };
}

export function slotState(slot: Slot, match: DoseMatch): SlotState {
  const on = match.bySlot.get(slotKey(slot.scheduleId, slot.dueAt)) ?? [];
  const taken = on.find(isTaken);
  if (taken) return { slot, status: 'taken', dose: taken };
  return on.length ? { slot, status: 'skipped', dose: on[0] } : { slot, status: 'due' };
}

// ---------------------------------------------------------------- adherence

export type AdherenceCounts = {
  /** Slots due in the period up to now, plus slots later in it already answered (taken early). */
  scheduled: number;
  /** Of those, taken. */
  taken: number;
  /** Of those, skipped (and not taken after all). */
  skipped: number;
  /** Taken doses in the period that satisfied no slot: extra doses, repeats, as-needed medicines. */
  extra: number;
};

export type MedicationAdherence = AdherenceCounts & {
  medication_id: string;
  name: string | null;
  /** taken / scheduled; null when nothing was scheduled. */
  adherence: number | null;
};

export interface AdherenceInput {
  schedules: readonly ScheduleRecord[];
  medications: readonly MedicationRecord[];
  /** Doses from DOSE_MARGIN_MS before fromMs to DOSE_MARGIN_MS after toMs. */
  doses: readonly DoseRecord[];
  fromMs: number;
  toMs: number;
  nowMs: number;
  timezone: string;
}

export type AdherenceReport = AdherenceCounts & {
  adherence: number | null;
  per_medication: MedicationAdherence[];
};

const ratio = (taken: number, scheduled: number) => (scheduled > 0 ? Math.round((taken / scheduled) * 1000) / 1000 : null);

/** Scheduled, taken, skipped and extra doses in [fromMs, toMs), in total and per medication. */
export function adherence(input: AdherenceInput): AdherenceReport {
  const { fromMs, toMs, nowMs, timezone: tz } = input;
  const slots = slotsBetween(input.schedules, input.medications, fromMs - DOSE_MARGIN_MS, toMs + DOSE_MARGIN_MS, tz);
  const match = matchDoses(slots, input.doses);
  const names = new Map(input.medications.map((m) => [m.id, typeof m.name === 'string' ? m.name : null]));
  const rows = new Map<string, MedicationAdherence>();
  const row = (medId: string) => {
    let r = rows.get(medId);
    if (!r) {
      r = { medication_id: `medication:${medId}`, name: names.get(medId) ?? null, scheduled: 0, taken: 0, skipped: 0, extra: 0, adherence: null };
      rows.set(medId, r);
    }
    return r;
  };
  for (const slot of slots) {
    if (slot.dueAt < fromMs || slot.dueAt >= toMs) continue;
    const st = slotState(slot, match);
    if (slot.dueAt > nowMs && st.status === 'due') continue;
    const r = row(slot.medicationId);
    r.scheduled++;
    if (st.status === 'taken') r.taken++;
    else if (st.status === 'skipped') r.skipped++;
  }
  for (const d of match.unmatched) {
    const t = doseTime(d);
    if (isTaken(d) && t >= fromMs && t < toMs && bare(d.medication_id)) row(bare(d.medication_id)).extra++;
  }
  const total: AdherenceCounts = { scheduled: 0, taken: 0, skipped: 0, extra: 0 };
  for (const r of rows.values()) {
    r.adherence = ratio(r.taken, r.scheduled);
    total.scheduled += r.scheduled;
    total.taken += r.taken;
    total.skipped += r.skipped;
    total.extra += r.extra;
  }
  return { ...total, adherence: ratio(total.taken, total.scheduled), per_medication: [...rows.values()].sort((a, b) => a.medication_id.localeCompare(b.medication_id)) };
}

// ---------------------------------------------------------------- reads

type DoseReader = Pick<UserHealth, 'all' | 'timezone'>;

interface Loaded {
  schedules: ScheduleRecord[];
  medications: MedicationRecord[];
  doses: DoseRecord[];
}

async function load(health: Pick<UserHealth, 'all'>, fromMs: number, toMs: number): Promise<Loaded> {
  const [schedules, medications, doses] = await Promise.all([
    health.all('med_schedule'),
    health.all('medication'),
    health.all('medication_log', { from: iso(fromMs), to: iso(toMs), cap: 5000 }),
  ]);
  return { schedules: schedules as ScheduleRecord[], medications: medications as MedicationRecord[], doses: doses as unknown as DoseRecord[] };
}

/** Adherence over [fromMs, toMs) as of nowMs, read from the person's own records. */
export async function adherenceBetween(health: DoseReader, fromMs: number, toMs: number, nowMs: number, tz?: string): Promise<AdherenceReport> {
  const timezone = tz ?? (await health.timezone());
  const data = await load(health, fromMs - DOSE_MARGIN_MS, toMs + DOSE_MARGIN_MS);
  return adherence({ ...data, fromMs, toMs, nowMs, timezone });
}

/** One dose of the day as the talk page lists it. */
export interface DayDose {
  /** `medication:<id>`. */
  medication_id: string;
  name: string;
  dosage?: string;
  /** `med_schedule:<id>`; null for an as-needed medication (no schedule). */
  schedule_id: string | null;
  /** HH:MM local, null for as-needed. */
  time: string | null;
  /** The slot's instant (ISO), null for as-needed. */
  due_at: string | null;
  status: SlotStatus;
  /** The dose behind a taken or skipped status. */
  dose_id?: string;
  taken_at?: string;
}

/**
 * The person's local day around `nowMs`: every slot due that day (from its schedule's creation,
 * until its schedule or medication was deactivated), with its status, and each active medication
 * without any schedule (as needed: taken once a taken dose exists that day), by time then name.
 */
export async function dosesOfDay(health: DoseReader, nowMs: number, tz?: string): Promise<{ date: string; timezone: string; items: DayDose[] }> {
  const timezone = tz ?? (await health.timezone());
  const date = localDate(nowMs, timezone);
  const dayStart = zonedTimeToUtc(date, '00:00', timezone);
  const dayEnd = zonedTimeToUtc(localDate(dayStart + 36 * HOUR, timezone), '00:00', timezone);
  const { schedules, medications, doses } = await load(health, dayStart - DOSE_MARGIN_MS, dayEnd + DOSE_MARGIN_MS);
  // Slots of every medication (a deactivated one's end when it was deactivated, as in adherence).
  const slots = slotsBetween(schedules, medications, dayStart - DOSE_MARGIN_MS, dayEnd + DOSE_MARGIN_MS, timezone);
  const match = matchDoses(slots, doses);
  const meds = new Map(medications.map((m) => [m.id, m]));
  const active = medications.filter((m) => m.active !== false);
  const describe = (m: MedicationRecord) => ({
    medication_id: `medication:${m.id}`,
    name: String(m.name),
    ...(typeof m.dosage === 'string' ? { dosage: m.dosage } : {}),
  });
  const withDose = (d: DoseRecord | undefined) => (d ? { dose_id: d.id, taken_at: iso(doseTime(d)) } : {});
  const items: DayDose[] = [];
  for (const slot of slots) {
    if (slot.dueAt < dayStart || slot.dueAt >= dayEnd) continue;
    const st = slotState(slot, match);
    items.push({ ...describe(meds.get(slot.medicationId)!), schedule_id: `med_schedule:${slot.scheduleId}`, time: slot.time, due_at: iso(slot.dueAt), status: st.status, ...withDose(st.dose) });
  }
  const scheduled = new Set(schedules.map((s) => bare(s.medication_id)));
  for (const m of active) {
    if (scheduled.has(m.id)) continue;
    const today = doses.filter((d) => bare(d.medication_id) === m.id && doseTime(d) >= dayStart && doseTime(d) < dayEnd);
    const taken = today.find(isTaken);
    const st: SlotStatus = taken ? 'taken' : today.length ? 'skipped' : 'due';
    items.push({ ...describe(m), schedule_id: null, time: null, due_at: null, status: st, ...withDose(taken ?? today[0]) });
  }
  items.sort((a, b) => (a.time ?? '99:99').localeCompare(b.time ?? '99:99') || a.name.localeCompare(b.name));
  return { date, timezone, items };
}

/** What a new dose would do: the slot it satisfies, and the earlier dose already there if it is a repeat. */
export interface DosePlan {
  slot?: Slot;
  earlier?: DoseRecord;
}

export interface NewDose {
  medicationId: string;
  scheduleId?: string;
  /** A slot the dose names (REST `due_at`, the reminder a "yes" answers). */
  dueAt?: number;
  at: number;
  status: 'taken' | 'skipped';
}

/**
 * The slot a new dose satisfies and whether it repeats one already there. A named slot must be a
 * time of its schedule within NAMED_SLOT_MAX_MS of the dose (VALIDATION_ERROR otherwise).
 */
export async function planDose(health: DoseReader, dose: NewDose, tz?: string): Promise<DosePlan> {
  const timezone = tz ?? (await health.timezone());
  const centre = dose.dueAt ?? dose.at;
  const { schedules, medications, doses } = await load(health, centre - DOSE_MARGIN_MS, centre + DOSE_MARGIN_MS);
  const slots = slotsBetween(schedules, medications, centre - DOSE_MARGIN_MS, centre + DOSE_MARGIN_MS, timezone);
  let slot: Slot | undefined;
  if (dose.dueAt !== undefined) {
    const schedule = schedules.find((s) => s.id === dose.scheduleId);
    if (!schedule || !isScheduleTime(schedule, dose.dueAt, timezone)) {
      throw new AppError('VALIDATION_ERROR', 'Dose does not match its schedule', { due_at: 'is not one of the schedule’s dose times' });
    }
    if (Math.abs(dose.at - dose.dueAt) > NAMED_SLOT_MAX_MS) {
      throw new AppError('VALIDATION_ERROR', 'Dose does not match its schedule', { due_at: 'must be within 24 hours of taken_at' });
    }
    slot = slots.find((s) => s.scheduleId === schedule.id && s.dueAt === dose.dueAt) ?? {
      scheduleId: schedule.id,
      medicationId: bare(schedule.medication_id),
      dueAt: dose.dueAt,
      time: String(schedule.time_of_day),
    };
    if (!slots.includes(slot)) slots.push(slot);
  } else {
    slot = nearestSlot(slots, { medicationId: dose.medicationId, scheduleId: dose.scheduleId, at: dose.at });
  }
  if (!slot) return {};
  const on = matchDoses(slots, doses).bySlot.get(slotKey(slot.scheduleId, slot.dueAt)) ?? [];
  const candidate = { id: '', status: dose.status, created_at: '' };
  if (!occupied(on, candidate)) return { slot };
  return { slot, earlier: on.find(isTaken) ?? on[0] };
}

/** The refusal of a repeated dose, naming the earlier one (REST answers it as 409). */
export function repeatedDose(earlier: DoseRecord, slot: Slot): AppError {
  return new AppError('CONFLICT', 'This dose is already logged; send "extra": true to log another', {
    dose_id: earlier.id,
    status: earlier.status,
    taken_at: iso(doseTime(earlier)),
    schedule_id: `med_schedule:${slot.scheduleId}`,
    due_at: iso(slot.dueAt),
  });
}

/** The earlier dose a CONFLICT from repeatedDose names, for a spoken answer. */
export function repeatedDoseOf(err: unknown): { dose_id: string; status: 'taken' | 'skipped'; taken_at: string } | undefined {
  if (!(err instanceof AppError) || err.code !== 'CONFLICT' || typeof err.details.dose_id !== 'string' || typeof err.details.taken_at !== 'string') return undefined;
  return { dose_id: err.details.dose_id, status: err.details.status === 'skipped' ? 'skipped' : 'taken', taken_at: err.details.taken_at };
}

/**
 * The dose (taken or skipped) that satisfies `schedule`'s slot due at `dueAt` — the reminder that
 * fired then: one rule for the scheduler's "did you take it?" follow-up, the caregiver's
 * missed-dose alert and a spoken "yes". A reminder whose time is not (or no longer) a slot of the
 * schedule is matched as if it were one. Undefined when none.
 */
export async function doseLoggedSince(
  health: Pick<UserHealth, 'all' | 'timezone'>,
  schedule: { id: string; medication_id?: unknown },
  dueAt: number,
): Promise<AnyItem | undefined> {
  const timezone = await health.timezone();
  const { schedules, medications, doses } = await load(health, dueAt - DOSE_MARGIN_MS, dueAt + DOSE_MARGIN_MS);
  const slots = slotsBetween(schedules, medications, dueAt - DOSE_MARGIN_MS, dueAt + DOSE_MARGIN_MS, timezone);
  let slot = slots.find((s) => s.scheduleId === schedule.id && s.dueAt === dueAt);
  if (!slot) {
    slot = { scheduleId: schedule.id, medicationId: bare(schedule.medication_id), dueAt, time: localTime(dueAt, timezone) };
    slots.push(slot);
  }
  return slotState(slot, matchDoses(slots, doses)).dose as AnyItem | undefined;
}
