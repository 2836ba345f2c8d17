import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { recommendationInputFor } from '../../../../src/health/advice.js';
import { localize, recommend, type Recommendation, type ReadingType } from '../../../../src/health/recommendations.js';
import { runtimeOf } from '../../configuration.js';
import type { NluResultFor, Topic } from '../../nlu/types.js';
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

/** Safe, rule-based advice: the rules decide; nothing here is a diagnosis. */
export async function recommendationAgent(state: AssistantStateType, config: LangGraphRunnableConfig): Promise<AssistantUpdate> {
  const { recs, hasData } = await recommendationsFor(state, config);
  return { say: speakRecommendations(recs, hasData), pending: null };
}
