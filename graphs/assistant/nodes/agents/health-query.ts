import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import type { EventType } from '../../../../src/locusgraph/schemas.js';
import { runtimeOf } from '../../configuration.js';
import { localParts } from '../../nlu/clock.js';
import type { HealthQuerySlots, Metric, NluResultFor } from '../../nlu/types.js';
import { label, localHhmm, say, type Say } from '../../speech.js';
import type { AssistantStateType, AssistantUpdate } from '../../state.js';
import { POD_HOURS, sleepHours, type HealthTools } from '../../tools.js';
import { ask, toolsFor } from './common.js';

type Row = Record<string, unknown>;
type Vital = 'bp' | 'sugar' | 'heart_rate' | 'temperature' | 'weight' | 'spo2';
const VITAL_FIELD: Record<Vital, string> = {
  bp: 'blood_pressure_systolic', sugar: 'blood_sugar', heart_rate: 'heart_rate', temperature: 'temperature', weight: 'weight_kg', spo2: 'spo2',
};
const ML_PER_GLASS = 250;

interface Query {
  tools: HealthTools;
  slots: HealthQuerySlots;
  timeZone: string;
  from?: string;
  to?: string;
  period: ReturnType<typeof label>;
}

const none = (q: Query, metric: Metric): Say[] => [say('health_query.none', { metric: label(`metric_${metric}`), period: q.period })];

/** Rows of a type in the asked period (newest first), narrowed to the part of day when one was said. */
async function rows(q: Query, type: EventType, timeField: string, latestCap = 50): Promise<Row[]> {
  const { health } = q.tools.env;
  const items = (q.from ? await health.all(type, { from: q.from, to: q.to, cap: 500 }) : (await health.list(type, { limit: latestCap })).items) as Row[];
  const pod = q.slots.part_of_day;
  if (!pod) return items;
  const [lo, hi] = POD_HOURS[pod];
  return items.filter((r) => {
    const h = localParts(new Date(String(r[timeField])), q.timeZone).hour;
    return (h >= lo && h < hi) || h + 24 < hi;
  });
}

async function answer(q: Query, metric: Metric): Promise<Say[]> {
  const { slots } = q;
  switch (metric) {
    case 'bp': case 'sugar': case 'heart_rate': case 'temperature': case 'weight': case 'spo2': {
      const field = VITAL_FIELD[metric];
      const hit = (await rows(q, 'vitals', 'logged_at')).find((r) => typeof r[field] === 'number');
      if (!hit) return none(q, metric);
      if (metric === 'bp') return [say('health_query.bp', { period: q.period, systolic: hit.blood_pressure_systolic as number, diastolic: hit.blood_pressure_diastolic as number })];
      return [say(`health_query.${metric}`, { period: q.period, value: hit[field] as number })];
    }
    case 'water': {
      const total = (await rows(q, 'water', 'logged_at')).reduce((s, r) => s + (Number(r.amount_ml) || 0), 0);
      if (!total) return none(q, metric);
      return [say('health_query.water', { period: q.period, total_ml: total, glasses: Math.round(total / ML_PER_GLASS) })];
    }
    case 'sleep': {
      const hit = (await rows(q, 'sleep', 'sleep_start'))[0];
      if (!hit) return none(q, metric);
      return [say('health_query.sleep', { period: q.period, hours: sleepHours(String(hit.sleep_start), String(hit.sleep_end)) })];
    }
    case 'exercise': {
      const minutes = (await rows(q, 'exercise', 'logged_at')).reduce((s, r) => s + (Number(r.duration_minutes) || 0), 0);
      return minutes ? [say('health_query.exercise', { period: q.period, minutes })] : none(q, metric);
    }
    case 'mood': {
      const hit = (await rows(q, 'mood', 'logged_at'))[0];
      return hit ? [say('health_query.mood', { period: q.period, mood: String(hit.mood) })] : none(q, metric);
    }
    case 'food': {
      const meals = await rows(q, 'food', 'logged_at');
      if (!meals.length) return none(q, metric);
      const names = meals.slice(0, 5).reverse().map((m) => String(m.description));
      return [say('health_query.food', { period_cap: q.period, items: { list: names } })];
    }
    case 'calories': {
      const meals = await rows(q, 'food', 'logged_at');
      const calories = meals.reduce((s, m) => s + (Number(m.calories) || 0), 0);
      return meals.length ? [say('health_query.calories', { period: q.period, calories: Math.round(calories) })] : none(q, metric);
    }
    case 'medication': {
      const logs = (await rows(q, 'medication_log', 'taken_at')).filter((l) => l.status === 'taken');
      const wanted = slots.medication ? q.tools.medicationByName(slots.medication) : undefined;
      if (slots.medication && !wanted) return [say('medication.unknown', { medication: slots.medication })];
      const hit = wanted ? logs.find((l) => l.medication_id === `medication:${wanted.id}`) : logs[0];
      const name = wanted?.name ?? q.tools.env.medications.find((m) => hit && hit.medication_id === `medication:${m.id}`)?.name;
      if (hit && name) return [say('health_query.medication_taken', { medication: name, time: { time: localHhmm(String(hit.taken_at), q.timeZone) } })];
      return [say('health_query.medication_not_taken', { medication: wanted ? wanted.name : label('your_medicine'), period: q.period })];
    }
  }
}

/** Answers from the user's own records with the actual numbers, or says there are none. */
export async function healthQueryAgent(state: AssistantStateType, config: LangGraphRunnableConfig): Promise<AssistantUpdate> {
  const nlu = state.nlu as NluResultFor<'health_query'>;
  const slots = nlu.slots;
  if (!slots.metric) return ask(state, nlu, ['metric']);
  const rt = runtimeOf(config);
  const tools = toolsFor(state, config);
  // A record written a moment ago must count: the range's end is never before now.
  const nowPlus = new Date(rt.now().getTime() + 1000).toISOString();
  const to = slots.range ? (Date.parse(slots.range.to) > Date.parse(nowPlus) ? slots.range.to : nowPlus) : undefined;
  const q: Query = { tools, slots, timeZone: state.context!.timeZone, from: slots.range?.from, to, period: label(slots.period) };
  return { say: await answer(q, slots.metric), pending: null };
}
