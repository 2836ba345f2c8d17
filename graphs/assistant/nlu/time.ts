/**
 * Dates, clock times, durations and sleep ranges from canonical tokens, relative to a given
 * instant in the user's zone. Ambiguous hours ("at 4") are resolved by a caller-chosen policy
 * because the right answer depends on what is being said (a reminder vs. going to bed).
 */
import {
  addDays, compareDates, daysInMonth, hhmm, isoInZone, isoWeekday, localParts, ymd, zonedToInstant,
  type LocalDate,
} from './clock.js';
import { normalize } from './normalize.js';
import { isNumeral } from './numbers.js';
import type { Normalized, PartOfDay } from './types.js';

export const DEFAULT_TIME_ZONE = 'Asia/Kolkata';

export interface TimeContext {
  /** The caller's clock: required, so no parse depends on the host's date. */
  now: Date;
  timeZone?: string;
}

export type HourPolicy = 'future' | 'sleep_start' | 'wake' | 'literal';

export interface ClockTime {
  hour: number;
  minute: number;
  /** Token span [start, end). */
  start: number;
  end: number;
  part_of_day?: PartOfDay;
}

export interface TimeParse {
  /** Local HH:MM. */
  time?: string;
  /** Local YYYY-MM-DD. */
  date?: string;
  /** ISO 8601 with offset, when both date and time are known. */
  iso?: string;
  /** ISO weekdays 1–7 for a repeating time. */
  days_of_week?: number[];
  part_of_day?: PartOfDay;
  /** True for "in 10 minutes" style times. */
  relative?: boolean;
}

const POD = new Set<string>(['morning', 'afternoon', 'evening', 'night']);
const POD_DEFAULT: Record<PartOfDay, [number, number]> = { morning: [8, 0], afternoon: [14, 0], evening: [18, 0], night: [21, 0] };
const MERIDIEM = new Set(['am', 'pm']);
const AT = new Set(['at', 'around', 'by']);
const NOT_A_TIME_AFTER = new Set([
  'minute', 'hour', 'day', 'week', 'month', 'glass', 'ml', 'litre', 'kg', 'katori', 'plate', 'cup', 'piece', 'percent', 'date_word',
  'over', 'g', 'slice', 'spoon', 'tsp', 'degree', 'pulse', 'mgdl', 'lb', 'bottle', 'year', 'years', 'times', 'baar', 'steps',
]);
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const WEEKDAY_NUM = new Map(WEEKDAYS.map((d, i) => [d, i + 1]));
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH_NUM = new Map(MONTHS.map((m, i) => [m, i + 1]));
const ORDINAL = /^(\d{1,2})(?:st|nd|rd|th)$/;
const CLOCK = /^(\d{1,2}):(\d{2})$/;
const ORDINAL_WORDS = new Map(
  'first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth'
    .split(' ')
    .map((w, i) => [w, i + 1] as const),
);

function toTokens(input: string | Normalized): string[] {
  return typeof input === 'string' ? normalize(input).tokens : input.tokens;
}

function ctxNow(ctx: TimeContext): { now: Date; tz: string } {
  return { now: ctx.now, tz: ctx.timeZone ?? DEFAULT_TIME_ZONE };
}

// ---------------------------------------------------------------- durations

export interface DurationSpan {
  minutes: number;
  start: number;
  end: number;
}

/** "30 minute", "1.5 hour", "an hour", "2 hour 15 minute", "0.5 hour" (aadha ghanta). */
export function durationAt(tokens: readonly string[], i: number): DurationSpan | undefined {
  let j = i;
  let total = 0;
  let found = false;
  for (;;) {
    const t = tokens[j];
    const next = tokens[j + 1];
    let value: number | undefined;
    if (t !== undefined && isNumeral(t)) value = Number(t);
    else if (t === 'a' || t === 'an') value = 1;
    if (value !== undefined && (next === 'hour' || next === 'minute')) {
      total += next === 'hour' ? value * 60 : value;
      j += 2;
      found = true;
      if (tokens[j] === 'and') j++;
      continue;
    }
    break;
  }
  if (!found) return undefined;
  if (tokens[j - 1] === 'and') j--; // a trailing "and" belongs to what follows
  return { minutes: Math.round(total), start: i, end: j };
}

/** The first duration in the input, in minutes. */
export function parseDuration(input: string | Normalized): number | undefined {
  const tokens = toTokens(input);
  for (let i = 0; i < tokens.length; i++) {
    const d = durationAt(tokens, i);
    if (d) return d.minutes;
  }
  return undefined;
}

// ---------------------------------------------------------------- clock times

function fractionMinutes(token: string, value: number): number | undefined {
  const dot = token.indexOf('.');
  if (dot < 0) return 0;
  const frac = token.slice(dot + 1);
  if (frac.length === 2 && Number(frac) < 60) return Number(frac); // "10.30"
  const m = Math.round((value - Math.floor(value)) * 60); // saadhe das → 10.5 → :30
  return m < 60 ? m : undefined;
}

function nearbyPartOfDay(tokens: readonly string[], start: number, end: number): PartOfDay | undefined {
  for (let d = 1; d <= 3; d++) {
    const before = tokens[start - d];
    if (before !== undefined && POD.has(before)) return before as PartOfDay;
    const after = tokens[end - 1 + d];
    if (after !== undefined && POD.has(after)) return after as PartOfDay;
  }
  return undefined;
}

/** Every clock time said, with its hour still on a 12-hour dial unless am/pm or 24-hour was explicit. */
export function findClockTimes(tokens: readonly string[]): Array<ClockTime & { meridiem?: 'am' | 'pm' }> {
  const out: Array<ClockTime & { meridiem?: 'am' | 'pm' }> = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    let hour: number | undefined;
    let minute = 0;
    let end = i + 1;
    const clock = CLOCK.exec(t);
    if (clock) {
      hour = Number(clock[1]);
      minute = Number(clock[2]);
    } else if (t === 'midnight') {
      out.push({ hour: 0, minute: 0, start: i, end: i + 1 });
      continue;
    } else if (isNumeral(t)) {
      const v = Number(t);
      const next = tokens[i + 1];
      const prev = tokens[i - 1];
      const hasMeridiem = next !== undefined && MERIDIEM.has(next);
      const isOclock = next === 'oclock';
      const afterAt = prev !== undefined && AT.has(prev) && !(next !== undefined && NOT_A_TIME_AFTER.has(next));
      const afterPod = prev !== undefined && POD.has(prev) && !(next !== undefined && NOT_A_TIME_AFTER.has(next));
      if (!(hasMeridiem || isOclock || afterAt || afterPod)) continue;
      if (Number.isInteger(v) && v >= 100 && v <= 2359 && v % 100 < 60 && (hasMeridiem || afterAt)) {
        hour = Math.floor(v / 100); // "at 1030", "230 pm" (from "two thirty pm")
        minute = v % 100;
      } else if (v < 25) {
        hour = Math.floor(v);
        const m = fractionMinutes(t, v);
        if (m === undefined) continue;
        minute = m;
        // "at 10 30"
        const after = tokens[i + 1];
        if (Number.isInteger(v) && after !== undefined && /^\d{2}$/.test(after) && Number(after) < 60 && !NOT_A_TIME_AFTER.has(tokens[i + 2] ?? '')) {
          minute = Number(after);
          end++;
        }
      } else continue;
    } else continue;
    let meridiem: 'am' | 'pm' | undefined;
    if (MERIDIEM.has(tokens[end] ?? '')) {
      meridiem = tokens[end] as 'am' | 'pm';
      end++;
    }
    if (tokens[end] === 'oclock') end++;
    if (hour === undefined || hour > 24 || minute > 59) continue;
    const pod = nearbyPartOfDay(tokens, i, end);
    out.push({ hour, minute, start: i, end, part_of_day: pod, meridiem });
    i = end - 1;
  }
  return out;
}

export function resolveHour(t: { hour: number; part_of_day?: PartOfDay; meridiem?: 'am' | 'pm' }, policy: HourPolicy): number {
  const h = t.hour % 24;
  if (t.meridiem === 'am') return h === 12 ? 0 : h;
  if (t.meridiem === 'pm') return h < 12 ? h + 12 : h;
  if (h > 12 || h === 0) return h;
  switch (t.part_of_day) {
    case 'morning': return h === 12 ? 12 : h;
    case 'afternoon': return h <= 7 ? h + 12 : h;
    case 'evening': return h < 12 ? h + 12 : h;
    case 'night': return h === 12 ? 0 : h >= 6 ? h + 12 : h;
    default: break;
  }
  switch (policy) {
    case 'future': return h <= 6 ? h + 12 : h;
    case 'sleep_start': return h === 12 ? 0 : h >= 6 ? h + 12 : h;
    case 'wake':
    case 'literal':
    default: return h;
  }
}

// ---------------------------------------------------------------- dates

export interface DateSpan extends LocalDate {
  start: number;
  end: number;
}

function monthDay(today: LocalDate, month: number, day: number, year?: number): LocalDate | undefined {
  let y = year ?? today.year;
  if (day < 1 || day > daysInMonth(y, month)) return undefined;
  let d: LocalDate = { year: y, month, day };
  if (year === undefined && compareDates(d, today) < 0) {
    y++;
    if (day > daysInMonth(y, month)) return undefined;
    d = { year: y, month, day };
  }
  return d;
}

function dayNumber(t: string | undefined): number | undefined {
  if (t === undefined) return undefined;
  const o = ORDINAL.exec(t);
  if (o) return Number(o[1]);
  if (/^\d{1,2}$/.test(t)) return Number(t);
  return ORDINAL_WORDS.get(t);
}

/** The first calendar date mentioned, resolved forward from today for bare weekdays and days. */
export function findDate(tokens: readonly string[], today: LocalDate): DateSpan | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    switch (t) {
      case 'today': return { ...today, start: i, end: i + 1 };
      case 'tomorrow': return { ...addDays(today, 1), start: i, end: i + 1 };
      case 'yesterday': return { ...addDays(today, -1), start: i, end: i + 1 };
      case 'day_after_tomorrow': return { ...addDays(today, 2), start: i, end: i + 1 };
      case 'day_before_yesterday': return { ...addDays(today, -2), start: i, end: i + 1 };
      default: break;
    }
    const wd = WEEKDAY_NUM.get(t);
    if (wd !== undefined) {
      const prev = tokens[i - 1];
      if (prev === 'every' || prev === 'har' || prev === 'daily') continue;
      const delta = ((wd - isoWeekday(today) + 7) % 7) || 7;
      return { ...addDays(today, delta), start: prev === 'next' || prev === 'on' ? i - 1 : i, end: i + 1 };
    }
    const month = MONTH_NUM.get(t);
    if (month !== undefined) {
      // "december 5", "december 5th" (and an optional year)
      const after = dayNumber(tokens[i + 1]);
      let end = i + 2;
      let year: number | undefined;
      if (/^\d{4}$/.test(tokens[end] ?? '')) year = Number(tokens[end++]);
      if (after !== undefined && (tokens[i + 1] !== undefined && !MERIDIEM.has(tokens[i + 2] ?? '') && tokens[i + 2] !== 'oclock')) {
        const d = monthDay(today, month, after, year);
        if (d) return { ...d, start: i, end };
      }
      // "5th december", "5 of december"
      let k = i - 1;
      if (tokens[k] === 'of') k--;
      if (tokens[k] === 'the') k--;
      const before = dayNumber(tokens[k]);
      if (before !== undefined) {
        let e = i + 1;
        let y: number | undefined;
        if (/^\d{4}$/.test(tokens[e] ?? '')) y = Number(tokens[e++]);
        const d = monthDay(today, month, before, y);
        if (d) return { ...d, start: k, end: e };
      }
      continue;
    }
    // "5 tarikh", "15 तारीख", "on the 15th"
    if (t === 'date_word' || (ORDINAL.test(t) && !MONTH_NUM.has(tokens[i + 1] ?? '') && tokens[i + 1] !== 'of')) {
      const day = t === 'date_word' ? dayNumber(tokens[i - 1]) : dayNumber(t);
      if (day === undefined || day < 1 || day > 31) continue;
      let month2 = today.month;
      let year2 = today.year;
      if (day < today.day) {
        month2++;
        if (month2 > 12) {
          month2 = 1;
          year2++;
        }
      }
      if (day > daysInMonth(year2, month2)) continue;
      return { year: year2, month: month2, day, start: t === 'date_word' ? i - 1 : i, end: i + 1 };
    }
  }
  return undefined;
}

export function parseDate(input: string | Normalized, ctx: TimeContext): string | undefined {
  const { now, tz } = ctxNow(ctx);
  const d = findDate(toTokens(input), localParts(now, tz));
  return d ? ymd(d) : undefined;
}

// ---------------------------------------------------------------- recurrence

/** ISO weekdays for "every day", "har roz", "weekdays", "every Monday", or undefined. */
export function findRecurrence(tokens: readonly string[]): number[] | undefined {
  if (tokens.includes('daily')) return [1, 2, 3, 4, 5, 6, 7];
  if (tokens.includes('weekdays')) return [1, 2, 3, 4, 5];
  if (tokens.includes('weekend')) return [6, 7];
  const days: number[] = [];
  let every = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === 'every' || t === 'har') every = true;
    const wd = WEEKDAY_NUM.get(t);
    if (wd !== undefined && every && !days.includes(wd)) days.push(wd);
    if (t.endsWith('s') && WEEKDAY_NUM.has(t.slice(0, -1))) days.push(WEEKDAY_NUM.get(t.slice(0, -1))!);
  }
  return days.length ? days.sort((a, b) => a - b) : undefined;
}

// ---------------------------------------------------------------- combined

/** "in 10 minute", "10 minute after", "after 2 hour". */
export function findRelativeOffset(tokens: readonly string[]): DurationSpan | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === 'in' || t === 'after') {
      const d = durationAt(tokens, i + 1);
      if (d) return { minutes: d.minutes, start: i, end: d.end };
    }
    const d = durationAt(tokens, i);
    if (d && (tokens[d.end] === 'after' || tokens[d.end] === 'later' || (tokens[d.end] === 'from' && tokens[d.end + 1] === 'now') || tokens[d.end] === 'in')) {
      return { minutes: d.minutes, start: i, end: d.end + 1 };
    }
  }
  return undefined;
}

/**
 * A time of day with its date or repetition: "at 4 pm", "shaam 4 baje", "5th December at 10 am",
 * "tomorrow morning", "in 10 minutes", "every day at 8".
 */
export function parseTime(input: string | Normalized, ctx: TimeContext, policy: HourPolicy = 'future'): TimeParse | undefined {
  const tokens = toTokens(input);
  const { now, tz } = ctxNow(ctx);
  const rel = findRelativeOffset(tokens);
  if (rel) {
    const at = new Date(now.getTime() + rel.minutes * 60_000);
    const p = localParts(at, tz);
    return { time: hhmm(p.hour, p.minute), date: ymd(p), iso: isoInZone(at, tz), relative: true };
  }
  const today = localParts(now, tz);
  const days = findRecurrence(tokens);
  const date = days ? undefined : findDate(tokens, today);
  const clocks = findClockTimes(tokens);
  let hour: number | undefined;
  let minute = 0;
  let pod: PartOfDay | undefined;
  if (clocks.length) {
    const c = clocks[0]!;
    hour = resolveHour(c, policy);
    minute = c.minute;
    pod = c.part_of_day;
  } else {
    pod = tokens.find((t) => POD.has(t)) as PartOfDay | undefined;
    if (pod) [hour, minute] = POD_DEFAULT[pod];
  }
  if (hour === undefined && !date && !days) return undefined;
  const out: TimeParse = {};
  if (hour !== undefined) out.time = hhmm(hour, minute);
  if (pod) out.part_of_day = pod;
  if (days) out.days_of_week = days;
  if (date) out.date = ymd(date);
  if (hour !== undefined && !days) {
    let d: LocalDate = date ?? today;
    if (!date && policy === 'future' && hour * 60 + minute <= today.hour * 60 + today.minute) d = addDays(today, 1);
    out.date = ymd(d);
    out.iso = isoInZone(zonedToInstant(d, hour, minute, tz), tz);
  }
  return out;
}

// ---------------------------------------------------------------- sleep

export interface SleepParse {
  sleep_start?: string;
  sleep_end?: string;
  hours?: number;
}

const SLEEP_VERBS = new Set(['slept', 'sleep']);
const WAKE_VERBS = new Set(['woke', 'getup']);

/**
 * The time that belongs to a verb: English says it after ("slept at 11"), Hindi before
 * ("11 baje soya"); an "at" right before a following time makes it the stronger claim.
 */
function nearest(tokens: readonly string[], times: readonly ClockTime[], verb: number, exclude?: ClockTime): ClockTime | undefined {
  let best: ClockTime | undefined;
  let bestScore = Infinity;
  for (const t of times) {
    if (t === exclude) continue;
    let score: number;
    if (t.start > verb) score = t.start - verb - (AT.has(tokens[t.start - 1] ?? '') ? 1 : 0);
    else score = verb - (t.end - 1) + 0.5;
    if (score < bestScore) {
      best = t;
      bestScore = score;
    }
  }
  return best;
}

/** "slept at 11, woke at 6", "raat 11 baje soya aur subah 6 baje utha", "slept 7 hours". */
export function parseSleep(input: string | Normalized, ctx: TimeContext): SleepParse {
  const tokens = toTokens(input);
  const { now, tz } = ctxNow(ctx);
  const times = findClockTimes(tokens);
  const sleepAt = tokens.findIndex((t) => SLEEP_VERBS.has(t));
  const wakeAt = tokens.findIndex((t) => WAKE_VERBS.has(t));
  let start: ClockTime | undefined;
  let end: ClockTime | undefined;
  if (times.length >= 2) {
    if (wakeAt >= 0) {
      end = nearest(tokens, times, wakeAt);
      start = nearest(tokens, times, sleepAt >= 0 ? sleepAt : 0, end);
    } else {
      start = times[0];
      end = times[1];
    }
  } else if (times.length === 1) {
    const only = times[0]!;
    if (wakeAt >= 0 && (sleepAt < 0 || Math.abs(wakeAt - only.start) < Math.abs(sleepAt - only.start))) end = only;
    else if (sleepAt >= 0) start = only;
  }
  const out: SleepParse = {};
  const today = localParts(now, tz);
  const nowMin = today.hour * 60 + today.minute;
  if (end) {
    const eh = resolveHour(end, 'wake');
    const endDay = eh * 60 + end.minute <= nowMin ? today : addDays(today, -1);
    const endAt = zonedToInstant(endDay, eh, end.minute, tz);
    out.sleep_end = isoInZone(endAt, tz);
    if (start) {
      const sh = resolveHour(start, 'sleep_start');
      const span = ((eh * 60 + end.minute - (sh * 60 + start.minute)) % 1440 + 1440) % 1440;
      if (span > 0) {
        const startAt = new Date(endAt.getTime() - span * 60_000);
        out.sleep_start = isoInZone(startAt, tz);
        out.hours = Math.round((span / 60) * 100) / 100;
      }
    }
  } else if (start) {
    const sh = resolveHour(start, 'sleep_start');
    const startDay = sh * 60 + start.minute <= nowMin ? today : addDays(today, -1);
    out.sleep_start = isoInZone(zonedToInstant(startDay, sh, start.minute, tz), tz);
  }
  if (out.hours === undefined) {
    const d = parseDuration({ tokens } as Normalized);
    if (d !== undefined) out.hours = Math.round((d / 60) * 100) / 100;
  }
  return out;
}
