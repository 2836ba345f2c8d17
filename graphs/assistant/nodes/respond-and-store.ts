import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { runtimeOf } from '../configuration.js';
import type { AssistantStateType, AssistantUpdate } from '../state.js';
import { respondNode } from './respond.js';
import { replyOf, storeChatNode } from './store-chat.js';

export type GraphNode = (state: AssistantStateType, config: LangGraphRunnableConfig) => AssistantUpdate | Promise<AssistantUpdate>;

/**
 * respond → store the chat event: the stored event needs the reply just worded. The reply is
 * handed out (onReply) in between, so speech does not wait for the chat event's commit.
 */
export async function respondAndStore(state: AssistantStateType, config: LangGraphRunnableConfig): Promise<AssistantUpdate> {
  const worded = respondNode(state);
  const done = { ...state, ...worded } as AssistantStateType;
  const { onReply } = runtimeOf(config);
  if (onReply && done.reply) onReply(replyOf(done));
  await storeChatNode(done, config);
  return worded;
}

/**
 * An agent node that also answers: the agent acts, then the reply is worded and the turn stored,
 * in the same graph step. Every agent is always followed by exactly these two stages, and a
 * LangGraph step costs more than both, so they ride along instead of being nodes of their own.
 * An LLM agent that fell back hands over to the offline agent of its route, which answers.
 */
export function answering(agent: GraphNode): GraphNode {
  return async (state, config) => {
    // A turn given up (barge-in, closed socket) stops before its agent writes anything.
    runtimeOf(config).signal?.throwIfAborted();
    const update = await agent(state, config);
    // Only the LLM agent says 'fallback' in its own update; the offline agent after it answers.
    if ((update as Partial<AssistantStateType>).llm === 'fallback') return update;
    return { ...update, ...(await respondAndStore({ ...state, ...update } as AssistantStateType, config)) };
  };
}
