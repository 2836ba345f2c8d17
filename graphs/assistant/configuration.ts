/**
 * Runtime settings of the assistant graph, with defaults. Per-turn dependencies (the user's
 * UserHealth, the clock, the optional chat model) travel in the LangGraph config's
 * `configurable` so the compiled graph itself holds no user and no I/O handle.
 */
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { EmergencyDesk } from '../../src/health/emergencies.js';
import type { UserHealth } from '../../src/health/service.js';
import type { AssistantReply, Heard } from './port.js';
import type { FoodIndex } from './nlu/food.js';
import { DEFAULT_TIME_ZONE } from './nlu/time.js';

export interface AssistantConfiguration {
  /** Zone for users whose profile names none. */
  defaultTimeZone: string;
  /** Budget for all LLM calls of one turn; past it the turn falls back to the offline path. */
  llmTimeoutMs: number;
  /** A thread's pending question is forgotten after this much silence. */
  threadTtlMs: number;
  /** "I'm okay" within this long of an emergency is its all-clear. */
  allClearWithinMs: number;
  /** Most threads kept in memory; the least recently used is dropped first. */
  maxThreads: number;
}

export const DEFAULT_CONFIGURATION: AssistantConfiguration = {
  defaultTimeZone: DEFAULT_TIME_ZONE,
  llmTimeoutMs: 3_000,
  threadTtlMs: 30 * 60_000,
  allClearWithinMs: 30 * 60_000,
  maxThreads: 10_000,
};

export function withDefaults(partial: Partial<AssistantConfiguration> = {}): AssistantConfiguration {
  const out = { ...DEFAULT_CONFIGURATION };
  for (const [k, v] of Object.entries(partial)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** What every node may use, set per invoke. */
export interface TurnRuntime {
  health: UserHealth;
  configuration: AssistantConfiguration;
  now: () => Date;
  foodIndex: FoodIndex;
  /** Absent in offline mode. */
  model?: BaseChatModel;
  /** Aborts when the caller gives up on the turn. */
  signal?: AbortSignal;
  /**
   * performance.now() after which no LLM call may still be waited on. For a turn started before
   * its words were in (`heard`), it is set when they arrive.
   */
  llmDeadline?: number;
  /** The words of a spoken turn started at the end of speech (AssistantPort.startHeard). */
  heard?: Promise<Heard>;
  /** Tells the family of an emergency (text and call); absent, nobody can be told and the reply says so. */
  emergencies?: EmergencyDesk;
  /** A chat event that could not be stored (the reply still goes out). */
  onStoreError?: (err: unknown) => void;
  /** Given the reply as soon as it is worded, before the chat event is stored: the turn's `reply` (voice starts speaking). */
  onReply?: (reply: AssistantReply) => void;
}

export function runtimeOf(config: LangGraphRunnableConfig | undefined): TurnRuntime {
  const rt = config?.configurable?.runtime as TurnRuntime | undefined;
  if (!rt?.health) throw new Error('assistant graph invoked without a runtime (use createAssistant or pass configurable.runtime)');
  return rt;
}
