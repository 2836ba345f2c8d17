import { say } from '../../speech.js';
import type { AssistantStateType, AssistantUpdate } from '../../state.js';

/**
 * Templated and immediate: call 112, then the primary emergency contact by name and number when
 * one is stored. Never waits on an LLM, never asks a question, drops any pending one.
 */
export function emergencyAgent(state: AssistantStateType): AssistantUpdate {
  const c = state.context?.primaryContact;
  return {
    say: [c ? say('emergency.call_with_contact', { contact_name: c.name, contact_phone: c.phone }) : say('emergency.call')],
    pending: null,
  };
}
