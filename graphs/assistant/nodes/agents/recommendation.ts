import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { recommendationInputFor } from '../../../../src/health/advice.js';
import { dietAnswer, dietConditionsOf } from '../../../../src/health/diet.js';
import { localize, recommend, type Recommendation, type ReadingType, type VitalsReading } from '../../../../src/health/recommendations.js';
import { runtimeOf } from '../../configuration.js';
import type { DietSlots, NluResultFor, Topic, VitalsEntry } from '../../nlu/types.js';
import { say, sayText, type Say } from '../../speech.js';
import type { AssistantStateType, AssistantUpdate } from '../../state.js';
import { toolsFor } from './common.js';

const TOPIC_READINGS: Partial<Record<Topic, ReadingType[]>> = {
  bp: ['bp'], sugar: ['sugar'], heart_rate: ['heart_rate'], temperature: ['temperature'], water: ['water'], sleep: ['sleep'], medication: ['adherence'],
};
/** At most this many pieces of advice per spoken reply. */
const MAX_SPOKEN = 2;

/** Rule-based advice for the topic asked about (or all), most severe first. */
export async function recommendationsFor(state: AssistantStateType, config: LangGraphRunnableConfig): Promise<{ recs: Recommendation[]; hasData: boolean }> {
  const nlu = state.nlu as NluResultFor<'recommendation'> | null;
  const rt = runtimeOf(config);
  const tools = toolsFor(state, config);
  // The same rule input GET /api/health/recommendations uses, so voice and REST give the same advice.
  const input = await recommendationInputFor(tools.env.health, rt.now().getTime(), tools.env.timeZone, state.context!.medicalConditions);
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

/** "is 140 over 90 high?": the ranges' verdict on that value, as if just measured; nothing is written. */
export function adviceOnValue(reading: VitalsEntry, now: Date, medicalConditions: readonly string[]): Say[] {
  const v: VitalsReading = { logged_at: now.toISOString() };
  if (reading.systolic !== undefined && reading.diastolic !== undefined) {
    v.blood_pressure_systolic = reading.systolic;
    v.blood_pressure_diastolic = reading.diastolic;
  }
  if (reading.blood_sugar !== undefined) v.blood_sugar = reading.blood_sugar;
  if (reading.sugar_context) v.blood_sugar_context = reading.sugar_context;
  if (reading.heart_rate !== undefined) v.heart_rate = reading.heart_rate;
  if (reading.temperature !== undefined) v.temperature = reading.temperature;
  if (reading.temperature_unit) v.temperature_unit = reading.temperature_unit;
  if (reading.spo2 !== undefined) v.spo2 = reading.spo2;
  const recs = recommend({ vitals: [v], now, timeZone: 'UTC', profile: { medical_conditions: [...medicalConditions] } }).filter((r) => VITAL_READINGS.has(r.reading.type));
  if (!recs.length) return [say('recommendation.no_data'), say('recommendation.not_saved')];
  return [...recs.slice(0, MAX_SPOKEN).map((r) => sayText(r.message)), say('recommendation.not_saved'), say('recommendation.disclaimer')];
}

const VITAL_READINGS = new Set<ReadingType>(['bp', 'sugar', 'heart_rate', 'temperature', 'spo2']);

/**
 * "is rice good for diabetes", "kya main aam kha sakta hoon": the diet rules' answer for the
 * conditions named and then the profile's (general advice and "ask your doctor" without any);
 * nothing is logged.
 */
export function adviceOnDiet(diet: DietSlots, medicalConditions: readonly string[]): Say[] {
  const named = diet.foods.length > 0 || (diet.other?.length ?? 0) > 0;
  const answer = dietAnswer({
    foods: diet.foods,
    conditions: [...diet.conditions, ...dietConditionsOf(medicalConditions)],
    unknownFood: (diet.other?.length ?? 0) > 0,
  });
  return [
    ...(answer.unknownFood ? [sayText(answer.unknownFood)] : []),
    ...answer.items.map((i) => sayText(i.message)),
    ...(named ? [say('recommendation.not_logged')] : []),
    ...(answer.closing ? [sayText(answer.closing)] : []),
  ];
}

/** Safe, rule-based advice: the rules decide; nothing here is a diagnosis. */
export async function recommendationAgent(state: AssistantStateType, config: LangGraphRunnableConfig): Promise<AssistantUpdate> {
  const nlu = state.nlu as NluResultFor<'recommendation'> | null;
  if (nlu?.route === 'recommendation' && nlu.slots.reading) {
    return { say: adviceOnValue(nlu.slots.reading, runtimeOf(config).now(), state.context!.medicalConditions), pending: null };
  }
  if (nlu?.route === 'recommendation' && nlu.slots.diet) return { say: adviceOnDiet(nlu.slots.diet, state.context!.medicalConditions), pending: null };
  const { recs, hasData } = await recommendationsFor(state, config);
  return { say: speakRecommendations(recs, hasData), pending: null };
}
