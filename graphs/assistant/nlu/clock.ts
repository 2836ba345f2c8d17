/**
 * Wall-clock arithmetic in an IANA time zone for the NLU: local parts, the instant of a local
 * time, ISO strings with offsets. Offsets come from src/locusgraph/zoned-time.ts (Intl, cached
 * per quarter hour), shared with the store, reminders and REST.
 */
import { zoneOffsetMs } from '../../../src/locusgraph/zoned-time.js';

export interface LocalDate {
  year: number;
  month: number; // 1-12
  day: number;
}
export interface LocalDateTime extends LocalDate {
  hour: number;
  minute: number;
  second: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
}

export { isValidTimeZone } from '../../../src/locusgraph/zoned-time.js';

const offsetMinutesAt = (ms: number, timeZone: string): number => Math.round(zoneOffsetMs(ms, timeZone) / 60_000);

export function localParts(date: Date, timeZone: string): LocalDateTime {
  const t = Math.floor(date.getTime() / 1000) * 1000;
  const shifted = new Date(t + offsetMinutesAt(t, timeZone) * 60_000);
  const wd = shifted.getUTCDay();
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
    weekday: wd === 0 ? 7 : wd,
  };
}

/** Minutes east of UTC at the given instant. */
export function offsetMinutes(date: Date, timeZone: string): number {
  return offsetMinutesAt(Math.floor(date.getTime() / 1000) * 1000, timeZone);
}

/** The instant at which the zone's wall clock shows the given local time (first match across a DST fold). */
export function zonedToInstant(d: LocalDate, hour: number, minute: number, timeZone: string): Date {
  const guess = Date.UTC(d.year, d.month - 1, d.day, hour, minute);
  let t = guess - offsetMinutes(new Date(guess), timeZone) * 60_000;
  const second = guess - offsetMinutes(new Date(t), timeZone) * 60_000;
  if (second !== t) t = second;
  return new Date(t);
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const m = Math.abs(minutes);
  return `${sign}${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

/** `YYYY-MM-DDTHH:MM:SS+05:30`, the zone's wall time with its offset. */
export function isoInZone(date: Date, timeZone: string): string {
  const p = localParts(date, timeZone);
  return `${ymd(p)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${formatOffset(offsetMinutes(date, timeZone))}`;
}

export function ymd(d: LocalDate): string {
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
}

export function hhmm(hour: number, minute: number): string {
  return `${pad(hour)}:${pad(minute)}`;
}

export function addDays(d: LocalDate, n: number): LocalDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + n));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

export function compareDates(a: LocalDate, b: LocalDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

export function isoWeekday(d: LocalDate): number {
  const w = new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
  return w === 0 ? 7 : w;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
