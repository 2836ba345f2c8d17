import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import type { Heard } from '../port.js';
import { raceAbort } from '../../../src/util/async.js';
import { runtimeOf, type TurnRuntime } from '../configuration.js';
import type { AssistantStateType, AssistantUpdate } from '../state.js';
import { loadContextNode } from './load-context.js';
import { normalizeNode } from './normalize.js';
import { routerNode } from './router.js';

/**
 * normalize → load context → router as one graph node. They always run together and in this
 * order, and every LangGraph step costs more bookkeeping than normalizing a sentence, so the
 * stages stay separate functions (and separately tested) but share one superstep. The context
 * reads are started first. A spoken turn started at the end of speech (runtime.heard) gets its
 * words here: the reads, and LangGraph's set-up before this node, overlap the recogniser's finish.
 */
export async function understandNode(state: AssistantStateType, config: LangGraphRunnableConfig): Promise<AssistantUpdate> {
  const rt = runtimeOf(config);
  const reading = loadContextNode(state, config);
  // Awaited together: a failed read never goes unhandled while the words are awaited.
  const [context, heard] = await Promise.all([reading, rt.heard ? wordsOf(rt, rt.heard) : undefined]);
  const input = heard ? { ...state.input, text: heard.text, languageHint: heard.language } : state.input;
  const understood = { ...state, input, ...context } as AssistantStateType;
  const normalized = normalizeNode(understood);
  return { ...(heard ? { input } : {}), ...normalized, ...context, ...(await routerNode({ ...understood, ...normalized } as AssistantStateType, config)) };
}

/** The turn's words, or the turn's abort, whichever comes first; the LLM budget starts with the words. */
async function wordsOf(rt: TurnRuntime, heard: Promise<Heard>): Promise<Heard> {
  const words = await (rt.signal ? raceAbort(heard, rt.signal) : heard);
  if (rt.model) rt.llmDeadline = performance.now() + rt.configuration.llmTimeoutMs;
  return words;
}
