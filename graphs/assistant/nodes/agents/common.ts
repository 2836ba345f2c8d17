import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { runtimeOf } from '../../configuration.js';
import type { NluResult } from '../../nlu/types.js';
import { say, type Say } from '../../speech.js';
import type { AssistantStateType, AssistantUpdate } from '../../state.js';
import { createReminderTools, type ReminderTools } from '../../reminder-tools.js';
import { createHealthTools, type HealthTools, type ToolResult } from '../../tools.js';
import { whoIsTold } from '../../tools/emergency.js';

/** The user's tools for this turn. */
export function toolsFor(state: AssistantStateType, config: LangGraphRunnableConfig): HealthTools {
  const rt = runtimeOf(config);
  const ctx = state.context!;
  return createHealthTools({
    health: rt.health,
    timeZone: ctx.timeZone,
    now: rt.now,
    foodIndex: rt.foodIndex,
    medications: ctx.medications,
    medicalConditions: ctx.medicalConditions,
    whoIsTold: () => whoIsTold(rt.emergencies, rt.health.store.userId, ctx.profile ?? null, ctx.contacts ?? []),
  });
}

/** The user's reminder-answer tools for this turn. */
export function reminderToolsFor(tools: HealthTools): ReminderTools {
  return createReminderTools(tools.env);
}

const CLARIFY = new Set([
  'systolic', 'diastolic', 'blood_sugar', 'heart_rate', 'temperature', 'weight_kg', 'spo2', 'amount_ml', 'duration_minutes', 'hours',
  'time', 'date', 'items', 'medication', 'metric',
]);

/** One short question for the first missing slot; the request waits in `pending` for the answer. */
export function ask(state: AssistantStateType, nlu: NluResult, missing: readonly string[] = nlu.missing, lead: Say[] = []): AssistantUpdate {
  const slot = missing.find((m) => CLARIFY.has(m));
  const question = lead.length ? [] : [say(slot ? (`clarify.${slot}` as 'clarify.time') : 'clarify.invalid')];
  const asks = (state.pending?.nlu.route === nlu.route ? state.pending.asks : 0) + 1;
  return { say: [...lead, ...question], pending: { nlu: { ...nlu, missing: [...missing] } as NluResult, asks } };
}

/** A tool's result as the turn's outcome: a confirmation, or its question with the request kept pending. */
export function outcome(state: AssistantStateType, nlu: NluResult, r: ToolResult): AssistantUpdate {
  if (r.ok) return { say: r.say, actions: r.actions, pending: null };
  if (r.error === 'not_found' && nlu.route === 'medication') return { say: r.say, pending: null };
  return ask(state, nlu, r.slots?.length ? r.slots : nlu.missing.length ? nlu.missing : ['invalid'], r.say);
}
