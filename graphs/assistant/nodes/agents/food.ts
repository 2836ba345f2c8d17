import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import type { NluResultFor } from '../../nlu/types.js';
import { say } from '../../speech.js';
import type { AssistantStateType, AssistantUpdate } from '../../state.js';
import { ask, outcome, toolsFor } from './common.js';

/** Logs a meal with nutrition from the bundled table; names what it could not find. */
export async function foodAgent(state: AssistantStateType, config: LangGraphRunnableConfig): Promise<AssistantUpdate> {
  const nlu = state.nlu as NluResultFor<'food'>;
  const { items, meal_type, unmatched } = nlu.slots;
  if (!items.length) {
    const lead = unmatched.length ? [say('food.none_matched', { unmatched: { list: unmatched } })] : [];
    return ask(state, nlu, ['items'], lead);
  }
  const r = await toolsFor(state, config).logFood({ items, ...(meal_type ? { meal_type } : {}), unmatched });
  return outcome(state, nlu, r);
}
