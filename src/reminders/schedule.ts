/**
 * When an alarm fires, in the user's own time zone. Alarms are local wall-clock times (HH:MM)
 * on ISO weekdays, or on one local date; an instant is computed per local date so that DST
 * changes move the instant, never the wall-clock time the user chose.
 */
import { localDate, zonedTimeToUtc } from '../locusgraph/zoned-time.js';

export interface AlarmTiming {
  time: string;
  /** ISO weekdays as strings, "1" = Monday … "7" = Sunday ("0" also means Sunday). Empty = one-shot. */
  days_of_week?: readonly string[];
  /** Local YYYY-MM-DD of a one-shot alarm. */
  date?: string;
  active?: boolean;
}

export interface Fire {
  /** The instant, ms since the epoch. */
  at: number;
  /** Local date and time of the fire, which also name it (exactly-once key). */
  localDate: string;
  localTime: string;
}

const DAY_MS = 86_400_000;

function weekdays(alarm: AlarmTiming): Set<number> {
  return new Set((alarm.days_of_week ?? []).map((d) => (d === '0' ? 7 : Number(d))));
}

function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + n * DAY_MS).toISOString().slice(0, 10);
}

function isoWeekdayOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const dow = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return dow === 0 ? 7 : dow;
}

function fireOn(alarm: AlarmTiming, days: Set<number>, date: string, tz: string): Fire | null {
  const oneShot = days.size === 0;
  if (oneShot ? alarm.date !== date : !days.has(isoWeekdayOf(date))) return null;
  return { at: zonedTimeToUtc(date, alarm.time, tz), localDate: date, localTime: alarm.time };
}

/** The first fire strictly after `afterMs`, or null (inactive, or a one-shot already past). */
export function nextFire(alarm: AlarmTiming, tz: string, afterMs: number): Fire | null {
  if (alarm.active === false) return null;
  const days = weekdays(alarm);
  if (days.size === 0) {
    if (!alarm.date) return null;
    const f = fireOn(alarm, days, alarm.date, tz);
    return f && f.at > afterMs ? f : null;
  }
  // Start a day early: the local date of `afterMs` may be behind the fire's local date.
  const start = addDays(localDate(afterMs, tz), -1);
  for (let i = 0; i < 9; i++) {
    const f = fireOn(alarm, days, addDays(start, i), tz);
    if (f && f.at > afterMs) return f;
  }
  return null;
}

/** Every fire in (fromMs, toMs], oldest first. */
export function firesBetween(alarm: AlarmTiming, tz: string, fromMs: number, toMs: number): Fire[] {
  const out: Fire[] = [];
  let cursor = fromMs;
  for (;;) {
    const f = nextFire(alarm, tz, cursor);
    if (!f || f.at > toMs) return out;
    out.push(f);
    cursor = f.at;
  }
}
