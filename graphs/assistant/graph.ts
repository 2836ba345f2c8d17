/**
 * The assistant graph: normalize ∥ load_context → router → one agent (or the LLM agent, which
 * falls back to the offline agent of the route) → respond → store_chat.
 */
import { END, START, StateGraph, type BaseCheckpointSaver } from '@langchain/langgraph';
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
import { loadContextNode } from './nodes/load-context.js';
import { normalizeNode } from './nodes/normalize.js';
import { respondNode } from './nodes/respond.js';
import { routerNode } from './nodes/router.js';
import { storeChatNode } from './nodes/store-chat.js';
import { AssistantState, type AssistantStateType } from './state.js';

type AgentNode = `${Route}_agent`;
const agentOf = (route: Route): AgentNode => `${route}_agent`;
const AGENT_NODES: AgentNode[] = ['food_agent', 'log_agent', 'health_query_agent', 'recommendation_agent', 'medication_agent', 'reminder_agent', 'emergency_agent', 'chat_agent'];

/** After routing: the LLM agent when the router chose it, else the route's offline agent. */
export function afterRouter(state: AssistantStateType): AgentNode | 'llm_agent' {
  return state.llm === 'agent' && state.route !== 'emergency' ? 'llm_agent' : agentOf(state.route);
}

/** After the LLM agent: its answer, or the offline agent of the offline route when it failed. */
export function afterLlmAgent(state: AssistantStateType): AgentNode | 'respond' {
  return state.llm === 'fallback' ? agentOf(state.nlu!.route) : 'respond';
}

export function assistantGraphBuilder() {
  return new StateGraph(AssistantState)
    .addNode('normalize', normalizeNode)
    .addNode('load_context', loadContextNode)
    .addNode('router', routerNode)
    .addNode('llm_agent', llmAgentNode)
    .addNode('food_agent', foodAgent)
    .addNode('log_agent', logAgent)
    .addNode('health_query_agent', healthQueryAgent)
    .addNode('recommendation_agent', recommendationAgent)
    .addNode('medication_agent', medicationAgent)
    .addNode('reminder_agent', reminderAgent)
    .addNode('emergency_agent', emergencyAgent)
    .addNode('chat_agent', chatAgent)
    .addNode('respond', respondNode)
    .addNode('store_chat', storeChatNode)
    // Independent of each other: one superstep for both, and the reads overlap the parsing.
    .addEdge(START, 'normalize')
    .addEdge(START, 'load_context')
    .addEdge(['normalize', 'load_context'], 'router')
    .addConditionalEdges('router', afterRouter, [...AGENT_NODES, 'llm_agent'])
    .addConditionalEdges('llm_agent', afterLlmAgent, [...AGENT_NODES, 'respond'])
    .addEdge('food_agent', 'respond')
    .addEdge('log_agent', 'respond')
    .addEdge('health_query_agent', 'respond')
    .addEdge('recommendation_agent', 'respond')
    .addEdge('medication_agent', 'respond')
    .addEdge('reminder_agent', 'respond')
    .addEdge('emergency_agent', 'respond')
    .addEdge('chat_agent', 'respond')
    .addEdge('respond', 'store_chat')
    .addEdge('store_chat', END);
}

export function buildAssistantGraph(opts: { checkpointer?: BaseCheckpointSaver } = {}) {
  return assistantGraphBuilder().compile({ checkpointer: opts.checkpointer, name: 'assistant' });
}

export type AssistantGraph = ReturnType<typeof buildAssistantGraph>;

/** For LangGraph Studio (langgraph.json); the app builds its own with a bounded checkpointer. */
export const graph = buildAssistantGraph();
