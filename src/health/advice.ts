/**
 * The readings the recommendation rules look at, read from one user's own records: vitals of the
 * last 30 days, today's water (local day), the last two nights' sleep, and medication adherence
 * over the last 7 days. GET /api/health/recommendations, the daily summary and the assistant's
 * recommendation agent all use this, so they give the same advice.
 */
import { localDate, zonedTimeToUtc } from '../locusgraph/zoned-time.js';
import { adherenceBetween } from './doses.js';
import { recommend, type Adherence, type Recommendation, type RecommendationInput } from './recommendations.js';
import type { UserHealth } from './service.js';

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
/** Readings read per rule input: plenty for the periods the rules look at. */
const READ_CAP = 500;

/**
 * Scheduled doses taken over the 7 days up to `now`: the slots of src/health/doses.ts, counted
 * exactly as GET /api/insights counts them for the same period (only since each schedule existed).
 */
export async function adherenceOver7Days(health: UserHealth, nowMs: number, tz: string): Promise<Adherence | undefined> {
  const from = nowMs - 7 * DAY_MS;
  const r = await adherenceBetween(health, from, nowMs, nowMs, tz);
  if (!r.scheduled) return undefined;
  return { taken: r.taken, expected: r.scheduled, from: iso(from), to: iso(nowMs) };
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
