import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { LOCALE } from '../../../prompts/lang.js';
import { runtimeOf } from '../configuration.js';
import { isoInZone } from '../nlu/clock.js';
import type { AssistantReply } from '../port.js';
import type { AssistantStateType, AssistantUpdate } from '../state.js';

/** chat payload limits (src/locusgraph/schemas.ts). */
const MAX_USER_MESSAGE = 4000;
const MAX_REPLY = 8000;
const MAX_THREAD_ID = 100;


/** What callers get of a turn: the reply, its route, its language as a locale, and what was written. */
export const replyOf = (state: AssistantStateType): AssistantReply => ({
  reply: state.reply,
  route: state.route,
  language: LOCALE[state.replyLanguage],
  actions: state.actions,
});

/**
 * The turn as a `chat` event (user message, reply, route) through UserHealth, like any other
 * write. Unusable input is not stored. The reply is already decided, so a failure here must not
 * cost the user their answer: it is reported in `actions` only by absence.
 */
export async function storeChatNode(state: AssistantStateType, config: LangGraphRunnableConfig): Promise<AssistantUpdate> {
  if (!state.store) return {};
  const rt = runtimeOf(config);
  const tz = state.context?.timeZone ?? rt.configuration.defaultTimeZone;
  try {
    await rt.health.create('chat', {
      user_message: state.input.text.slice(0, MAX_USER_MESSAGE),
      ai_response: state.reply.slice(0, MAX_REPLY),
      context: { route: state.route, channel: state.input.channel, actions: state.actions.map((a) => `${a.type}:${a.id}`), llm: state.llm },
      locale: LOCALE[state.replyLanguage],
      thread_id: state.input.threadId.slice(0, MAX_THREAD_ID),
      timestamp: isoInZone(rt.now(), tz),
    });
  } catch (err) {
    rt.onStoreError?.(err);
  }
  return {};
}
