import { AIMessage, HumanMessage, SystemMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { localize } from '../../../src/health/recommendations.js';
import { runtimeOf } from '../configuration.js';
import type { NluResultFor } from '../nlu/types.js';
import { adviceOnDiet, adviceOnValue, recommendationsFor, speakRecommendations } from '../nodes/agents/recommendation.js';
import { toolsFor } from '../nodes/agents/common.js';
import type { AssistantStateType, AssistantUpdate } from '../state.js';
import { asLangChainTools, WRITE_TOOLS, type Action, type ToolLedger } from '../tools.js';
import type { Say } from '../speech.js';
import { llmSignal, promptVars, speakable, systemPrompt } from './common.js';

/** Model rounds per turn: call tools, read their results, answer. */
const MAX_ROUNDS = 3;

class LlmAgentError extends Error {}

/** Speech and actions of the tools that ran: confirmations are templated, never LLM wording. */
function fromLedger(ledger: ToolLedger): { say: Say[]; actions: Action[]; wrote: boolean } {
  const say: Say[] = [];
  const actions: Action[] = [];
  let wrote = false;
  for (const r of ledger.values()) {
    say.push(...r.say);
    if (r.ok) {
      actions.push(...r.actions);
      if (r.actions.length) wrote = true;
    }
  }
  return { say, actions, wrote };
}

async function recommendationTurn(state: AssistantStateType, config: LangGraphRunnableConfig): Promise<AssistantUpdate> {
  const rt = runtimeOf(config);
  // A question about a value is the ranges' to answer, word for word, as offline.
  const nlu = state.nlu as NluResultFor<'recommendation'> | null;
  if (nlu?.route === 'recommendation' && nlu.slots.reading) return { say: adviceOnValue(nlu.slots.reading, rt.now(), state.context!.medicalConditions), pending: null };
  // So is a diet question, from the diet rules: no model call, no tool, nothing logged.
  if (nlu?.route === 'recommendation' && nlu.slots.diet) return { say: adviceOnDiet(nlu.slots.diet, state.context!.medicalConditions), pending: null };
  const { recs, hasData } = await recommendationsFor(state, config);
  // No rule fired: the templated reply is already right; nothing for an LLM to phrase.
  if (!recs.length) return { say: speakRecommendations(recs, hasData), pending: null };
  const lang = state.replyLanguage;
  const text = recs.slice(0, 2).map((r) => localize(r, lang).message).join(' ');
  const prompt = systemPrompt('recommendation', { ...promptVars(rt, state.context!, lang), recommendations: text });
  const ai = await rt.model!.invoke([new SystemMessage(prompt), new HumanMessage(state.input.text)], { signal: llmSignal(rt) });
  const reply = speakable(ai.content);
  if (!reply) throw new LlmAgentError('empty reply');
  return { llmReply: reply, pending: null };
}

async function toolTurn(state: AssistantStateType, config: LangGraphRunnableConfig, ledger: ToolLedger): Promise<AssistantUpdate> {
  const rt = runtimeOf(config);
  const tools = asLangChainTools(toolsFor(state, config), ledger);
  const byName = new Map(tools.map((t) => [t.name, t]));
  const model = rt.model!.bindTools!(tools);
  const prompt = systemPrompt(state.route === 'emergency' ? 'chat' : state.route, promptVars(rt, state.context!, state.replyLanguage));
  const messages: BaseMessage[] = [new SystemMessage(prompt), new HumanMessage(state.input.text)];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const ai = (await model.invoke(messages, { signal: llmSignal(rt) })) as AIMessage;
    messages.push(ai);
    const calls = ai.tool_calls ?? [];
    if (!calls.length) {
      const done = fromLedger(ledger);
      if (done.wrote) return { say: done.say, actions: done.actions, pending: null };
      const reply = speakable(ai.content);
      if (!reply) throw new LlmAgentError('empty reply');
      return { llmReply: reply, actions: done.actions, pending: null };
    }
    for (const call of calls) {
      const t = byName.get(call.name);
      const id = call.id ?? `${call.name}:${round}`;
      if (!t) {
        messages.push(new ToolMessage({ content: JSON.stringify({ ok: false, error: 'unknown tool' }), tool_call_id: id }));
        continue;
      }
      try {
        const out: unknown = await t.invoke({ ...call, id, type: 'tool_call' });
        messages.push(out instanceof ToolMessage ? out : new ToolMessage({ content: String(out), tool_call_id: id }));
      } catch (err) {
        // Arguments that fail the schema are the model's mistake: tell it, do not write.
        if (err instanceof Error && err.name === 'AbortError') throw err;
        messages.push(new ToolMessage({ content: JSON.stringify({ ok: false, error: 'invalid arguments' }), tool_call_id: id }));
      }
    }
    // Only writes this round: their templated confirmations are the reply; no second model call.
    if (calls.every((c) => WRITE_TOOLS.has(c.name))) {
      const done = fromLedger(ledger);
      if (done.say.length) return { say: done.say, actions: done.actions, pending: null };
    }
  }
  throw new LlmAgentError('no answer within the round limit');
}

/**
 * An LLM agent for the turn's route: tool calling over the user's tools (the same functions the
 * offline agents call). On any error or timeout before a write, the turn falls back to the
 * offline agent; after a write, the templated confirmation of what was written is the reply.
 */
export async function llmAgentNode(state: AssistantStateType, config: LangGraphRunnableConfig): Promise<AssistantUpdate> {
  const ledger: ToolLedger = new Map();
  try {
    if (state.route === 'recommendation') return await recommendationTurn(state, config);
    return await toolTurn(state, config, ledger);
  } catch {
    const done = fromLedger(ledger);
    if (done.wrote) return { say: done.say, actions: done.actions, pending: null };
    return { llm: 'fallback', route: state.nlu!.route, store: !(state.nlu!.route === 'chat' && state.nlu!.flags.length > 0) };
  }
}
