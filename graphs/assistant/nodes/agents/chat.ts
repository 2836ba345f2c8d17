import type { NluResultFor } from '../../nlu/types.js';
import { say, type Say } from '../../speech.js';
import type { AssistantStateType, AssistantUpdate } from '../../state.js';

/** Help and small talk from templates; unusable input gets a polite line and nothing else. */
export function chatAgent(state: AssistantStateType): AssistantUpdate {
  const nlu = state.nlu as NluResultFor<'chat'>;
  const flags = nlu.flags;
  let line: Say;
  if (flags.includes('too_long')) line = say('fallback.too_long');
  else if (flags.includes('unsupported_script')) line = say('fallback.unsupported');
  else if (flags.length) line = say('fallback.polite');
  else line = say(nlu.slots.topic ? `chat.${nlu.slots.topic}` : 'chat.default');
  return { say: [line], pending: null };
}
