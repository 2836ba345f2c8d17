/** Health questions ("what was my BP yesterday"), advice topics and chat topics. */
import { addDays, isoInZone, isoWeekday, localParts, zonedToInstant, type LocalDate } from './clock.js';
import { findMedication } from './medication.js';
import { DEFAULT_TIME_ZONE } from './time.js';
import { EXERCISE_WORDS } from './tracking.js';
import type { ChatTopic, HealthQuerySlots, Metric, NluContext, Normalized, PartOfDay, Period, Topic } from './types.js';

const METRIC_WORDS: Array<[string, Metric]> = [
  ['calories', 'calories'], ['bp', 'bp'], ['pressure', 'bp'], ['sugar', 'sugar'], ['pulse', 'heart_rate'], ['temperature', 'temperature'],
  ['fever', 'temperature'], ['weight', 'weight'], ['spo2', 'spo2'], ['water', 'water'], ['sleep', 'sleep'], ['slept', 'sleep'],
  ['woke', 'sleep'], ['mood', 'mood'], ['medicine', 'medication'], ['dose', 'medication'], ['steps', 'exercise'],
];
const FOOD_WORDS = new Set(['ate', 'meal', 'breakfast', 'lunch', 'dinner', 'snack', 'diet']);

/** The metric a question is about, or undefined. */
export function findMetric(n: Normalized, ctx: NluContext): Metric | undefined {
  const tokens = n.tokens;
  for (const [w, m] of METRIC_WORDS) if (tokens.includes(w)) return m;
  if (tokens.some((t) => EXERCISE_WORDS.has(t))) return 'exercise';
  if (findMedication(n, ctx?.medications)) return 'medication';
  if (tokens.includes('took') || tokens.includes('take')) return 'medication';
  if (tokens.some((t) => FOOD_WORDS.has(t))) return 'food';
  if (tokens.includes('feel')) return 'mood';
  return undefined;
}

const AGGREGATE: ReadonlySet<Metric> = new Set(['water', 'food', 'calories', 'exercise', 'medication']);

export function findPeriod(tokens: readonly string[], metric: Metric | undefined): Period {
  const has = (t: string): boolean => tokens.includes(t);
  if (has('last_night')) return 'last_night';
  if (has('yesterday')) return 'yesterday';
  if (has('this_week')) return 'this_week';
  if (has('last_week')) return 'last_week';
  if (has('this_month')) return 'this_month';
  if (has('last_month')) return 'last_month';
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] === 'last' || tokens[i] === 'past') {
      const n = Number(tokens[i + 1]);
      const unit = tokens[i + 2];
      if (Number.isFinite(n) && (unit === 'day' || unit === 'week' || unit === 'month')) {
        const days = unit === 'day' ? n : unit === 'week' ? n * 7 : n * 30;
        return days <= 7 ? 'last_7_days' : 'last_30_days';
      }
    }
  }
  if (has('today') || has('morning') || has('afternoon') || has('evening') || has('night')) return 'today';
  return metric && AGGREGATE.has(metric) ? 'today' : 'latest';
}

function startOfDay(d: LocalDate, tz: string): Date {
  return zonedToInstant(d, 0, 0, tz);
}

/** The period as [from, to) instants in the user's zone. */
export function periodRange(period: Period, now: Date, timeZone: string): { from: string; to: string } | undefined {
  const today = localParts(now, timeZone);
  const iso = (d: Date): string => isoInZone(d, timeZone);
  const day = (offset: number): Date => startOfDay(addDays(today, offset), timeZone);
  switch (period) {
    case 'latest': return undefined;
    case 'today': return { from: iso(day(0)), to: iso(now) };
    case 'yesterday': return { from: iso(day(-1)), to: iso(day(0)) };
    case 'last_night': return { from: iso(zonedToInstant(addDays(today, -1), 18, 0, timeZone)), to: iso(zonedToInstant(today, 12, 0, timeZone)) };
    case 'this_week': return { from: iso(day(1 - isoWeekday(today))), to: iso(now) };
    case 'last_week': return { from: iso(day(1 - isoWeekday(today) - 7)), to: iso(day(1 - isoWeekday(today))) };
    case 'last_7_days': return { from: iso(new Date(now.getTime() - 7 * 86_400_000)), to: iso(now) };
    case 'last_30_days': return { from: iso(new Date(now.getTime() - 30 * 86_400_000)), to: iso(now) };
    case 'this_month': return { from: iso(startOfDay({ year: today.year, month: today.month, day: 1 }, timeZone)), to: iso(now) };
    case 'last_month': {
      const y = today.month === 1 ? today.year - 1 : today.year;
      const m = today.month === 1 ? 12 : today.month - 1;
      return { from: iso(startOfDay({ year: y, month: m, day: 1 }, timeZone)), to: iso(startOfDay({ year: today.year, month: today.month, day: 1 }, timeZone)) };
    }
  }
}

const POD = new Set<string>(['morning', 'afternoon', 'evening', 'night']);

export function parseHealthQuery(n: Normalized, ctx: NluContext): { slots: HealthQuerySlots; missing: string[] } {
  const metric = findMetric(n, ctx);
  const period = findPeriod(n.tokens, metric);
  const slots: HealthQuerySlots = { period };
  if (metric) slots.metric = metric;
  const pod = n.tokens.find((t) => POD.has(t));
  if (pod && period === 'today') slots.part_of_day = pod as PartOfDay;
  if (metric === 'medication') {
    const med = findMedication(n, ctx?.medications);
    if (med) slots.medication = med;
  }
  const range = periodRange(period, ctx.now, ctx.timeZone ?? DEFAULT_TIME_ZONE);
  if (range) slots.range = range;
  return { slots, missing: metric ? [] : ['metric'] };
}

const TOPIC_WORDS: Array<[string, Topic]> = [
  ['diet', 'diet'], ['bp', 'bp'], ['pressure', 'bp'], ['sugar', 'sugar'], ['pulse', 'heart_rate'], ['heart', 'heart_rate'], ['temperature', 'temperature'],
  ['fever', 'temperature'], ['weight', 'weight'], ['water', 'water'], ['sleep', 'sleep'], ['slept', 'sleep'], ['diet', 'diet'],
  ['ate', 'diet'], ['meal', 'diet'], ['calories', 'diet'], ['mood', 'mood'], ['stressed', 'mood'], ['anxious', 'mood'], ['sad', 'mood'],
  ['medicine', 'medication'],
];

export function findTopic(tokens: readonly string[]): Topic | undefined {
  for (const [w, t] of TOPIC_WORDS) if (tokens.includes(w)) return t;
  if (tokens.some((t) => EXERCISE_WORDS.has(t))) return 'exercise';
  return undefined;
}

const GREETING = new Set(['greeting']);
export function chatTopic(n: Normalized): ChatTopic | undefined {
  const t = n.tokens;
  const text = ` ${n.text} `;
  if (t.includes('thanks')) return 'thanks';
  if (t.includes('assist')) return 'help';
  if (t.includes('bye')) return 'goodbye';
  if (/ (?:what|kya) (?:can|kya kar|all can) /.test(text) || / (?:what|kya)(?: kya)? (?:kar )?(?:sakte|sakti|सकते|सकती) /.test(text) ||
      / can you do | kar sakte | कर सकते | help me use | how (?:do i )?use you | what do you do | madad /.test(text)) return 'help';
  if (/ who (?:is|are) you | your name | you (?:who|which) | you kaun | आप कौन | तुम कौन /.test(text) || / you which /.test(text)) return 'identity';
  if (t.some((x) => GREETING.has(x))) return 'greeting';
  if (/ how (?:is|are) you | how ho | how hai | how है | how हो /.test(text)) return 'smalltalk';
  return undefined;
}
