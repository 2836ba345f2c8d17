/**
 * The assistant behind voice and POST /api/chat. `createAssistant` compiles the graph once and
 * returns the AssistantPort the voice pipeline and the chat route call. The only state a thread
 * carries between turns (a pending question) lives in a bounded ThreadMemory keyed by user and
 * thread, so one user can never resume another's; it goes into each turn's input and is read back
 * from the final state.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { Command } from '@langchain/langgraph';
import type { Config } from '../../src/config.js';
import type { HealthService } from '../../src/health/service.js';
import { createChatModel, type LlmSettings } from '../../src/llm/index.js';
import type { AssistantPort, AssistantReply, AssistantTurn, Heard, TurnHooks } from './port.js';
import { withDefaults, type AssistantConfiguration, type TurnRuntime } from './configuration.js';
import { buildAssistantGraph, type AssistantGraph } from './graph.js';
import { defaultFoodIndex } from './nlu/nutrition.js';
import { replyOf } from './nodes/store-chat.js';
import { turnInput, type AssistantStateType, type PendingAsk } from './state.js';
import { ThreadMemory } from './threads.js';

export { buildAssistantGraph, assistantGraphBuilder, type AssistantGraph } from './graph.js';
export { ThreadMemory } from './threads.js';
export { DEFAULT_CONFIGURATION, type AssistantConfiguration } from './configuration.js';
export type { Action } from './tools.js';

export interface CreateAssistantOptions {
  health: HealthService;
  /** App config: default zone, LLM provider and timeout. Omitted: offline with defaults. */
  config?: Pick<Config, 'defaultTimezone'> & LlmSettings;
  /** A chat model to use instead of the one config names; null forces offline mode. */
  llm?: BaseChatModel | null;
  /** Overrides of the graph's own settings (thread TTL and cap, LLM budget). */
  settings?: Partial<AssistantConfiguration>;
  now?: () => number;
  /** Called with the error when a turn's chat event could not be stored (log ids, not content). */
  onStoreError?: (err: unknown) => void;
}

export interface Assistant extends AssistantPort {
  readonly graph: AssistantGraph;
  /** Pending questions by thread (bounded; see ThreadMemory). */
  readonly threads: ThreadMemory<PendingAsk>;
  readonly mode: 'offline' | 'llm';
  runHeard: NonNullable<AssistantPort['runHeard']>;
  /**
   * A turn with the graph's final state (tests, benchmarks). With `heard`, a spoken turn started
   * before its words were in (see AssistantPort.runHeard); `turn.text` is then ignored.
   */
  runWithState(turn: AssistantTurn, signal?: AbortSignal, hooks?: TurnHooks, heard?: Promise<Heard>): Promise<TurnResult>;
  /** Forgets a thread's pending question (end of a voice session). */
  endThread(userId: string, threadId: string): Promise<void>;
}

export type TurnResult = AssistantReply & { state: AssistantStateType };

const threadKey = (userId: string, threadId: string): string => JSON.stringify([userId, threadId]);

export function createAssistant(opts: CreateAssistantOptions): Assistant {
  const configuration = withDefaults({
    ...(opts.config ? { defaultTimeZone: opts.config.defaultTimezone, llmTimeoutMs: opts.config.llm.timeoutMs } : {}),
    ...opts.settings,
  });
  const model = opts.llm === null ? undefined : (opts.llm ?? (opts.config ? createChatModel(opts.config) : undefined));
  const now = opts.now ?? Date.now;
  const threads = new ThreadMemory<PendingAsk>({ ttlMs: configuration.threadTtlMs, maxThreads: configuration.maxThreads, now });
  const graph = buildAssistantGraph();
  const foodIndex = defaultFoodIndex();
  // Turns of one thread run one after another, so a fast second utterance sees the first's state.
  const queues = new Map<string, Promise<unknown>>();

  async function invoke(turn: AssistantTurn, key: string, signal?: AbortSignal, hooks?: TurnHooks, heard?: Promise<Heard>): Promise<AssistantStateType> {
    const runtime: TurnRuntime = {
      health: opts.health.forUser(turn.userId),
      configuration,
      now: () => new Date(now()),
      foodIndex,
      // A turn started before its words gets its LLM budget when they arrive (understand node).
      ...(model ? { model, ...(heard ? {} : { llmDeadline: performance.now() + configuration.llmTimeoutMs }) } : {}),
      ...(heard ? { heard } : {}),
      ...(signal ? { signal } : {}),
      ...(opts.onStoreError ? { onStoreError: opts.onStoreError } : {}),
      ...(hooks?.onReply ? { onReply: hooks.onReply } : {}),
    };
    const lastReminderId = turn.context?.lastReminder?.notification_id;
    const input = turnInput({
      text: !heard && typeof turn.text === 'string' ? turn.text : '',
      languageHint: turn.language,
      channel: turn.channel,
      threadId: turn.threadId,
      ...(typeof lastReminderId === 'string' && lastReminderId ? { lastReminderId } : {}),
    });
    input.pending = threads.get(key) ?? null;
    // The turn enters at `understand` as a Command (its state update plus the goto) rather than
    // as plain input: plain input runs an extra `__start__` task whose only job is copying the
    // input into the channels (~0.08 ms of LangGraph bookkeeping a turn). The START edge stays
    // for LangGraph Studio. The signal travels in the runtime only: the agent step checks it
    // before acting and the LLM calls take it. Handed to LangGraph, it would be merged into every
    // task's config with AbortSignal.any (new signals, listeners and weak references per task).
    const state = (await graph.invoke(new Command({ update: input, goto: 'understand' }), { configurable: { runtime } })) as AssistantStateType;
    if (state.pending) threads.set(key, state.pending);
    else threads.delete(key);
    return state;
  }

  async function runWithState(turn: AssistantTurn, signal?: AbortSignal, hooks?: TurnHooks, heard?: Promise<Heard>): Promise<TurnResult> {
    // The caller may give the words up before the graph waits for them: never an unhandled rejection.
    heard?.catch(() => undefined);
    if (!turn.userId) throw new TypeError('a user id is required');
    if (!turn.threadId) throw new TypeError('a thread id is required');
    const key = threadKey(turn.userId, turn.threadId);
    const prev = queues.get(key) ?? Promise.resolve();
    const current = prev.catch(() => undefined).then(() => invoke(turn, key, signal, hooks, heard));
    queues.set(key, current);
    try {
      const state = await current;
      if (runtimeReady(state)) return { ...replyOf(state), state };
      throw new Error('assistant graph ended without a reply');
    } finally {
      if (queues.get(key) === current) queues.delete(key);
    }
  }

  return {
    graph,
    threads,
    mode: model ? 'llm' : 'offline',
    runWithState,
    async run(turn, signal, hooks) {
      return replyOf((await runWithState(turn, signal, hooks)).state);
    },
    async runHeard(turn, heard, signal, hooks) {
      return replyOf((await runWithState({ ...turn, text: '' }, signal, hooks, heard)).state);
    },
    endThread: async (userId, threadId) => threads.delete(threadKey(userId, threadId)),
  };
}

function runtimeReady(state: AssistantStateType): boolean {
  return typeof state.reply === 'string' && state.reply.length > 0;
}
