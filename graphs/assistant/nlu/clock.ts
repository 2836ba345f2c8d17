/**
 * Wall-clock arithmetic in an IANA time zone using only Intl, so the NLU needs no date library.
 * Formatters are cached per zone because constructing one costs far more than using it.
 */
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

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    if (formatters.size > 64) formatters.clear();
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * Zone offsets only change on quarter-hour boundaries, so one Intl lookup per zone per 15 minutes
 * serves every call in between (Intl formatting costs microseconds; turns call it many times).
 */
const OFFSET_BUCKET_MS = 15 * 60_000;
const offsetCache = new Map<string, number>();

function cachedOffset(ms: number, timeZone: string): number {
  const key = `${timeZone}|${Math.floor(ms / OFFSET_BUCKET_MS)}`;
  let off = offsetCache.get(key);
  if (off === undefined) {
    off = intlOffsetMinutes(new Date(ms), timeZone);
    if (offsetCache.size > 4096) offsetCache.clear();
    offsetCache.set(key, off);
  }
  return off;
}

export function localParts(date: Date, timeZone: string): LocalDateTime {
  const t = Math.floor(date.getTime() / 1000) * 1000;
  const shifted = new Date(t + cachedOffset(t, timeZone) * 60_000);
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

function intlParts(date: Date, timeZone: string): LocalDateTime {
  const out: LocalDateTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, weekday: 1 };
  for (const p of formatter(timeZone).formatToParts(date)) {
    switch (p.type) {
      case 'year': out.year = Number(p.value); break;
      case 'month': out.month = Number(p.value); break;
      case 'day': out.day = Number(p.value); break;
      case 'hour': out.hour = Number(p.value) % 24; break;
      case 'minute': out.minute = Number(p.value); break;
      case 'second': out.second = Number(p.value); break;
      case 'weekday': out.weekday = WEEKDAY[p.value] ?? 1; break;
      default: break;
    }
  }
  return out;
}

function intlOffsetMinutes(date: Date, timeZone: string): number {
  const p = intlParts(date, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
}

/** Minutes east of UTC at the given instant. */
export function offsetMinutes(date: Date, timeZone: string): number {
  return cachedOffset(Math.floor(date.getTime() / 1000) * 1000, timeZone);
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
