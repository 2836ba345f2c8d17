import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { localize, recommend, type Adherence, type Recommendation, type ReadingType, type RecommendationInput } from '../../../../src/health/recommendations.js';
import { runtimeOf } from '../../configuration.js';
import { addDays, isoInZone, isoWeekday, localParts, zonedToInstant } from '../../nlu/clock.js';
import type { NluResultFor, Topic } from '../../nlu/types.js';
import { say, sayText, type Say } from '../../speech.js';
import type { AssistantStateType, AssistantUpdate } from '../../state.js';
import type { HealthTools } from '../../tools.js';
import { toolsFor } from './common.js';

const DAY_MS = 86_400_000;
const TOPIC_READINGS: Partial<Record<Topic, ReadingType[]>> = {
  bp: ['bp'], sugar: ['sugar'], heart_rate: ['heart_rate'], temperature: ['temperature'], water: ['water'], sleep: ['sleep'], medication: ['adherence'],
};
/** At most this many pieces of advice per spoken reply. */
const MAX_SPOKEN = 2;

/** Doses taken against doses scheduled over the last 7 days (up to now). */
async function adherence(tools: HealthTools, now: Date, timeZone: string): Promise<Adherence | undefined> {
  const schedules = (await tools.env.health.all('med_schedule')).filter((s) => s.active !== false);
  if (!schedules.length) return undefined;
  const today = localParts(now, timeZone);
  let expected = 0;
  for (let d = 0; d < 7; d++) {
    const day = addDays(today, -d);
    const weekday = String(isoWeekday(day));
    for (const s of schedules) {
      const days = (s.days_of_week as string[]).map((x) => (x === '0' ? '7' : x));
      if (!days.includes(weekday)) continue;
      const [h, m] = String(s.time_of_day).split(':').map(Number) as [number, number];
      if (zonedToInstant(day, h, m, timeZone).getTime() <= now.getTime()) expected++;
    }
  }
  const from = isoInZone(new Date(now.getTime() - 7 * DAY_MS), timeZone);
  const logs = await tools.listAll('medication_log', from, isoInZone(new Date(now.getTime() + 1000), timeZone));
  return { taken: logs.filter((l) => l.status === 'taken').length, expected, from, to: isoInZone(now, timeZone) };
}

/** The same rule input GET /api/health/recommendations uses, read from the user's own records. */
export async function recommendationInput(tools: HealthTools, now: Date, conditions: string[]): Promise<RecommendationInput> {
  const tz = tools.env.timeZone;
  const end = isoInZone(new Date(now.getTime() + 1000), tz);
  const [vitals, water, sleep, adh] = await Promise.all([
    tools.listAll('vitals', isoInZone(new Date(now.getTime() - 30 * DAY_MS), tz), end),
    tools.listAll('water', isoInZone(zonedToInstant(localParts(now, tz), 0, 0, tz), tz), end),
    tools.listAll('sleep', isoInZone(new Date(now.getTime() - 2 * DAY_MS), tz), end),
    adherence(tools, now, tz),
  ]);
  return {
    vitals: vitals as unknown as RecommendationInput['vitals'],
    water: water as unknown as RecommendationInput['water'],
    sleep: sleep as unknown as RecommendationInput['sleep'],
    ...(adh ? { adherence: adh } : {}),
    profile: { medical_conditions: conditions },
    now,
    timeZone: tz,
  };
}

/** Rule-based advice for the topic asked about (or all), most severe first. */
export async function recommendationsFor(state: AssistantStateType, config: LangGraphRunnableConfig): Promise<{ recs: Recommendation[]; hasData: boolean }> {
  const nlu = state.nlu as NluResultFor<'recommendation'> | null;
  const rt = runtimeOf(config);
  const input = await recommendationInput(toolsFor(state, config), rt.now(), state.context!.medicalConditions);
  const wanted = nlu?.route === 'recommendation' && nlu.slots.topic ? TOPIC_READINGS[nlu.slots.topic] : undefined;
  const recs = recommend(input).filter((r) => !wanted || wanted.includes(r.reading.type));
  const hasData = Boolean(input.vitals?.length || input.water?.length || input.sleep?.length || input.adherence);
  return { recs, hasData };
}

export function speakRecommendations(recs: readonly Recommendation[], hasData: boolean): Say[] {
  if (!recs.length) return [say(hasData ? 'recommendation.none' : 'recommendation.no_data')];
  const spoken = recs.slice(0, MAX_SPOKEN).map((r) => sayText({ en: localize(r, 'en').message, hi: localize(r, 'hi').message }));
  return [...spoken, say('recommendation.disclaimer')];
}

/** Safe, rule-based advice: the rules decide; nothing here is a diagnosis. */
export async function recommendationAgent(state: AssistantStateType, config: LangGraphRunnableConfig): Promise<AssistantUpdate> {
  const { recs, hasData } = await recommendationsFor(state, config);
  return { say: speakRecommendations(recs, hasData), pending: null };
}
