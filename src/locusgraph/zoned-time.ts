/**
 * Calendar arithmetic in a user's IANA time zone with only Intl: which local date an instant
 * falls on, and which instant a local date + HH:MM is (DST gaps resolve forward, as clocks do).
 * The one place zone offsets are computed and cached; the NLU's clock
 * (graphs/assistant/nlu/clock.ts) builds its calendar helpers on it.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    // Zone names come from profiles: bound the cache so odd ones cannot grow it without end.
    if (formatters.size > 64) formatters.clear();
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

function wallClock(ms: number, tz: string): { y: number; m: number; d: number; h: number; mi: number; s: number } {
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(new Date(ms))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { y: p.year!, m: p.month!, d: p.day!, h: p.hour! % 24, mi: p.minute!, s: p.second! };
}

/** Local wall-clock time minus UTC, in ms, at the given instant. */
export function offsetMs(ms: number, tz: string): number {
  const w = wallClock(ms, tz);
  return Date.UTC(w.y, w.m - 1, w.d, w.h, w.mi, w.s) - (ms - (((ms % 1000) + 1000) % 1000));
}

// Zones change offset only on quarter-hour boundaries, so one Intl call per quarter hour serves
// every instant inside it; insights over thousands of events would otherwise spend most of their
// time in formatToParts.
const QUARTER_HOUR = 900_000;
const offsetCache = new Map<string, number>();

/** True when Intl knows the IANA zone name. */
export function isValidTimeZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** offsetMs, answered from a per-quarter-hour cache: the one used on hot paths (NLU, insights). */
export function zoneOffsetMs(ms: number, tz: string): number {
  const bucket = Math.floor(ms / QUARTER_HOUR);
  const key = `${tz}|${bucket}`;
  let off = offsetCache.get(key);
  if (off === undefined) {
    if (offsetCache.size > 50_000) offsetCache.clear();
    off = offsetMs(bucket * QUARTER_HOUR, tz);
    offsetCache.set(key, off);
  }
  return off;
}

/** The local calendar date (YYYY-MM-DD) of an instant. */
export function localDate(ms: number, tz: string): string {
  return new Date(ms + zoneOffsetMs(ms, tz)).toISOString().slice(0, 10);
}

/** The local wall-clock HH:MM (24-hour) of an instant. */
export function localTime(ms: number, tz: string): string {
  const w = wallClock(ms, tz);
  return `${String(w.h).padStart(2, '0')}:${String(w.mi).padStart(2, '0')}`;
}

/** The instant of a local date and HH:MM in the zone. */
export function zonedTimeToUtc(date: string, hhmm: string, tz: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = hhmm.split(':').map(Number) as [number, number];
  const guess = Date.UTC(y, m - 1, d, h, mi);
  const o1 = offsetMs(guess, tz);
  const t1 = guess - o1;
  const o2 = offsetMs(t1, tz);
  if (o1 === o2) return t1;
  const t2 = guess - o2;
  if (offsetMs(t2, tz) === o2) return t2;
  // The wall time falls in a DST gap: take the later instant, as a clock springing forward would.
  return Math.max(t1, t2);
}

/** ISO weekday of a calendar date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const dow = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return dow === 0 ? 7 : dow;
}

/** Every calendar date from `first` to `last`, inclusive. */
export function datesBetween(first: string, last: string): string[] {
  const out: string[] = [];
  const [y, m, d] = first.split('-').map(Number) as [number, number, number];
  for (let t = Date.UTC(y, m - 1, d); ; t += 86_400_000) {
    const s = new Date(t).toISOString().slice(0, 10);
    if (s > last) break;
    out.push(s);
    if (out.length > 4000) break;
  }
  return out;
}
