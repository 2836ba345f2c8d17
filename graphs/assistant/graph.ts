/**
 * The assistant graph: understand (normalize → load context → router) → one agent (or the LLM
 * agent, which falls back to the offline agent of the route) that answers (agent → respond →
 * store chat event). Two supersteps per offline turn: every LangGraph step has a fixed cost (task,
 * config and run objects, channel versions, a writer and a control branch per node) larger than
 * most of our stages, so stages that always run back to back share a node, while the decisions —
 * which agent, and the LLM fallback — stay in the graph as Command gotos over declared `ends`.
 * The stages remain separate functions, tested on their own.
 */
import { Command, END, START, StateGraph, type BaseCheckpointSaver, type LangGraphRunnableConfig } from '@langchain/langgraph';
import type { Route } from './nlu/types.js';
import { llmAgentNode } from './llm/agent.js';
import { chatAgent } from './nodes/agents/chat.js';
import { emergencyAgent } from './nodes/agents/emergency.js';
import { foodAgent } from './nodes/agents/food.js';
import { healthQueryAgent } from './nodes/agents/health-query.js';
import { logAgent } from './nodes/agents/log.js';
import { medicationAgent } from './nodes/agents/medication.js';
import { recommendationAgent } from './nodes/agents/recommendation.js';
import { reminderAgent } from './nodes/agents/reminder.js';
import { answering, type GraphNode } from './nodes/respond-and-store.js';
import { understandNode } from './nodes/understand.js';
import { AssistantState, type AssistantStateType } from './state.js';

type AgentNode = `${Route}_agent`;
const agentOf = (route: Route): AgentNode => `${route}_agent`;
const AGENT_NODES: AgentNode[] = ['food_agent', 'log_agent', 'health_query_agent', 'recommendation_agent', 'medication_agent', 'reminder_agent', 'emergency_agent', 'chat_agent'];

/** After routing: the LLM agent when the router chose it, else the route's offline agent. */
export function afterRouter(state: AssistantStateType): AgentNode | 'llm_agent' {
  return state.llm === 'agent' && state.route !== 'emergency' ? 'llm_agent' : agentOf(state.route);
}

/** After the LLM agent: its answer, or the offline agent of the offline route when it failed. */
export function afterLlmAgent(state: AssistantStateType): AgentNode | typeof END {
  return state.llm === 'fallback' ? agentOf(state.nlu!.route) : END;
}

/**
 * A node that also picks the next one (a Command): the same decision a conditional edge would
 * make, without the edge's own run and write machinery on every turn.
 */
function routed<N extends string>(node: GraphNode, next: (state: AssistantStateType) => N) {
  return async (state: AssistantStateType, config: LangGraphRunnableConfig) => {
    const update = await node(state, config);
    return new Command({ update, goto: next({ ...state, ...update } as AssistantStateType) });
  };
}

export function assistantGraphBuilder() {
  return new StateGraph(AssistantState)
    .addNode('understand', routed(understandNode, afterRouter), { ends: [...AGENT_NODES, 'llm_agent'] })
    .addNode('llm_agent', routed(answering(llmAgentNode), afterLlmAgent), { ends: [...AGENT_NODES, END] })
    .addNode('food_agent', answering(foodAgent))
    .addNode('log_agent', answering(logAgent))
    .addNode('health_query_agent', answering(healthQueryAgent))
    .addNode('recommendation_agent', answering(recommendationAgent))
    .addNode('medication_agent', answering(medicationAgent))
    .addNode('reminder_agent', answering(reminderAgent))
    .addNode('emergency_agent', answering(emergencyAgent))
    .addNode('chat_agent', answering(chatAgent))
    .addEdge(START, 'understand')
    .addEdge('food_agent', END)
    .addEdge('log_agent', END)
    .addEdge('health_query_agent', END)
    .addEdge('recommendation_agent', END)
    .addEdge('medication_agent', END)
    .addEdge('reminder_agent', END)
    .addEdge('emergency_agent', END)
    .addEdge('chat_agent', END);
}

/** The app compiles it without a checkpointer (thread state lives in ThreadMemory); Studio brings its own. */
export function buildAssistantGraph(opts: { checkpointer?: BaseCheckpointSaver } = {}) {
  return assistantGraphBuilder().compile({ checkpointer: opts.checkpointer, name: 'assistant' });
}

export type AssistantGraph = ReturnType<typeof buildAssistantGraph>;

/** For LangGraph Studio (langgraph.json). */
export const graph = buildAssistantGraph();
