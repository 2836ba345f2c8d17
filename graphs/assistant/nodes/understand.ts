import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import type { AssistantStateType, AssistantUpdate } from '../state.js';
import { loadContextNode } from './load-context.js';
import { normalizeNode } from './normalize.js';
import { routerNode } from './router.js';

/**
 * normalize → load context → router as one graph node. They always run together and in this
 * order, and every LangGraph step costs more bookkeeping than normalizing a sentence, so the
 * stages stay separate functions (and separately tested) but share one superstep. The context
 * reads are started first and the text is normalized while they are in flight.
 */
export async function understandNode(state: AssistantStateType, config: LangGraphRunnableConfig): Promise<AssistantUpdate> {
  const reading = loadContextNode(state, config);
  const normalized = normalizeNode(state);
  const context = await reading;
  const understood = { ...state, ...normalized, ...context } as AssistantStateType;
  return { ...normalized, ...context, ...(await routerNode(understood, config)) };
}
