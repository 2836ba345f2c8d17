import { render } from '../../../prompts/index.js';
import { renderAll } from '../speech.js';
import type { AssistantStateType, AssistantUpdate } from '../state.js';

/** The reply text in the turn's language: LLM wording when an LLM agent answered, else templates. */
export function respondNode(state: AssistantStateType): AssistantUpdate {
  const lang = state.replyLanguage;
  const text = state.llmReply ?? renderAll(state.say, lang);
  return { reply: text || render(lang, 'fallback.error') };
}
