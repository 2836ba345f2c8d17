/**
 * The readings the recommendation rules look at, read from one user's own records: vitals of the
 * last 30 days, today's water (local day), the last two nights' sleep, and medication adherence
 * over the last 7 days. GET /api/health/recommendations, the daily summary and the assistant's
 * recommendation agent all use this, so they give the same advice.
 */
import { isoWeekday, localDate, zonedTimeToUtc } from '../locusgraph/zoned-time.js';
import { recommend, type Adherence, type Recommendation, type RecommendationInput } from './recommendations.js';
import type { UserHealth } from './service.js';

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
/** Readings read per rule input: plenty for the periods the rules look at. */
const READ_CAP = 500;

/** Doses taken against doses scheduled over the 7 days up to `now`. */
export async function adherenceOver7Days(health: UserHealth, nowMs: number, tz: string): Promise<Adherence | undefined> {
  const schedules = ((await health.all('med_schedule'))).filter((s) => s.active !== false);
  if (!schedules.length) return undefined;
  const today = localDate(nowMs, tz);
  let expected = 0;
  for (let d = 0; d < 7; d++) {
    const day = localDate(Date.parse(`${today}T12:00:00Z`) - d * DAY_MS, 'UTC');
    const weekday = String(isoWeekday(day));
    for (const s of schedules) {
      const days = (s.days_of_week as string[]).map((x) => (x === '0' ? '7' : x));
      if (days.includes(weekday) && zonedTimeToUtc(day, String(s.time_of_day), tz) <= nowMs) expected++;
    }
  }
  const from = iso(nowMs - 7 * DAY_MS);
  const logs = await health.all('medication_log', { from, to: iso(nowMs + 1000), cap: READ_CAP });
  return { taken: logs.filter((l) => l.status === 'taken').length, expected, from, to: iso(nowMs) };
}

export async function recommendationInputFor(health: UserHealth, nowMs: number, tz: string, conditions: readonly string[] = []): Promise<RecommendationInput> {
  const end = iso(nowMs + 1000);
  const startOfToday = zonedTimeToUtc(localDate(nowMs, tz), '00:00', tz);
  const [vitals, water, sleep, adherence] = await Promise.all([
    health.all('vitals', { from: iso(nowMs - 30 * DAY_MS), to: end, cap: READ_CAP }),
    health.all('water', { from: iso(startOfToday), to: end, cap: READ_CAP }),
    health.all('sleep', { from: iso(nowMs - 2 * DAY_MS), to: end, cap: READ_CAP }),
    adherenceOver7Days(health, nowMs, tz),
  ]);
  return {
    vitals: vitals as unknown as RecommendationInput['vitals'],
    water: water as unknown as RecommendationInput['water'],
    sleep: sleep as unknown as RecommendationInput['sleep'],
    ...(adherence ? { adherence } : {}),
    profile: { medical_conditions: [...conditions] },
    now: new Date(nowMs),
    timeZone: tz,
  };
}

/** The user's current advice, most severe first, with the input that produced it. */
export async function adviceFor(health: UserHealth, nowMs: number): Promise<{ recommendations: Recommendation[]; input: RecommendationInput }> {
  const profile = await health.profile();
  const tz = profile?.timezone ?? (await health.timezone());
  const conditions = profile?.medical_conditions ?? [];
  const input = await recommendationInputFor(health, nowMs, tz, conditions);
  return { recommendations: recommend(input), input };
}
