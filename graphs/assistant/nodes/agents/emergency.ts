import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { runtimeOf } from '../../configuration.js';
import type { EmergencySlots } from '../../nlu/types.js';
import { renderAll, say, type Say } from '../../speech.js';
import { toldSay, whoIsTold } from '../../tools/emergency.js';
import type { AssistantStateType, AssistantUpdate } from '../../state.js';

/**
 * Templated and immediate, never an LLM. Symptoms: call 112 now. Then who was told: the desk
 * (src/health/emergencies.ts) decides at once from the profile and the contacts whom it texts and
 * calls, and does it in the background, so the reply never waits for a send. A plain "call my
 * son" gets the call without the 112 sentence; "I'm okay" soon after sends the all-clear. With
 * nobody to tell, or no way to, the reply says so and gives the number to call. Drops any
 * pending question.
 */
export function emergencyAgent(state: AssistantStateType, config: LangGraphRunnableConfig): AssistantUpdate {
  const rt = runtimeOf(config);
  const ctx = state.context!;
  const slots = state.nlu!.slots as EmergencySlots;

  if (slots.all_clear) {
    const told = state.emergency ? rt.emergencies?.clear(rt.health.store, state.emergency.ref) : undefined;
    const toldSomeone = told && !('reason' in told);
    return { say: [toldSomeone ? say('emergency.all_clear_told', { contact_name: told.contact.name }) : say('emergency.all_clear')], pending: null, emergency: null };
  }

  const symptoms = slots.symptoms;
  const asked = slots.call !== undefined;
  const lead: Say[] = symptoms.length ? [say('emergency.call')] : [];
  const contacts = ctx.contacts ?? [];
  const told = whoIsTold(rt.emergencies, rt.health.store.userId, ctx.profile ?? null, contacts, slots.call?.who);
  const parts = [...lead, ...toldSay(told, symptoms.length > 0 || !asked)];
  if (!rt.emergencies) return { say: parts, pending: null };
  const raised = rt.emergencies.raise(
    rt.health.store,
    { what: symptoms, asked, ...(slots.call?.who ? { who: slots.call.who } : {}), message: renderAll(parts, state.replyLanguage) },
    { profile: ctx.profile ?? null, contacts },
  );
  return { say: parts, pending: null, emergency: { ref: raised.ref, at: rt.now().getTime() } };
}
