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
import type { EmergencyDesk } from '../../src/health/emergencies.js';
import type { HealthService } from '../../src/health/service.js';
import { createChatModel, type LlmSettings } from '../../src/llm/index.js';
import { turnHandle, type AssistantPort, type AssistantReply, type AssistantTurn, type Heard, type TurnOptions } from './port.js';
import { withDefaults, type AssistantConfiguration, type TurnRuntime } from './configuration.js';
import { buildAssistantGraph, type AssistantGraph } from './graph.js';
import { defaultFoodIndex } from './nlu/nutrition.js';
import { replyOf } from './nodes/store-chat.js';
import { turnInput, type AssistantStateType, type ThreadCarry } from './state.js';
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
  /** Tells the family of emergencies; without it the emergency reply says nobody could be told. */
  emergencies?: EmergencyDesk;
}

export interface RunOptions extends TurnOptions {
  /** The words of a spoken turn started before they were in (see AssistantPort.startHeard); `turn.text` is then ignored. */
  heard?: Promise<Heard>;
}

export interface Assistant extends AssistantPort {
  readonly graph: AssistantGraph;
  /** Pending questions and open emergencies by thread (bounded; see ThreadMemory). */
  readonly threads: ThreadMemory<ThreadCarry>;
  readonly mode: 'offline' | 'llm';
  startHeard: NonNullable<AssistantPort['startHeard']>;
  /** A turn with the graph's final state, once it is done (tests, benchmarks). */
  runWithState(turn: AssistantTurn, opts?: RunOptions): Promise<TurnResult>;
  /** Forgets a thread's pending question and open emergency (end of a voice session). */
  endThread(userId: string, threadId: string): Promise<void>;
}

export type TurnResult = AssistantReply & { state: AssistantStateType };

/** How one turn runs: the caller's signal, the words still to come, who hears the reply first. */
type TurnRun = RunOptions & Pick<TurnRuntime, 'onReply'>;

const threadKey = (userId: string, threadId: string): string => JSON.stringify([userId, threadId]);

export function createAssistant(opts: CreateAssistantOptions): Assistant {
  const configuration = withDefaults({
    ...(opts.config ? { defaultTimeZone: opts.config.defaultTimezone, llmTimeoutMs: opts.config.llm.timeoutMs } : {}),
    ...opts.settings,
  });
  const model = opts.llm === null ? undefined : (opts.llm ?? (opts.config ? createChatModel(opts.config) : undefined));
  const now = opts.now ?? Date.now;
  const threads = new ThreadMemory<ThreadCarry>({ ttlMs: configuration.threadTtlMs, maxThreads: configuration.maxThreads, now });
  const graph = buildAssistantGraph();
  const foodIndex = defaultFoodIndex();
  // Turns of one thread run one after another, so a fast second utterance sees the first's state.
  const queues = new Map<string, Promise<unknown>>();

  async function invoke(turn: AssistantTurn, key: string, { signal, heard, onReply }: TurnRun): Promise<AssistantStateType> {
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
      ...(opts.emergencies ? { emergencies: opts.emergencies } : {}),
      ...(onReply ? { onReply } : {}),
    };
    const lastReminderId = turn.context?.lastReminder?.notification_id;
    const input = turnInput({
      text: !heard && typeof turn.text === 'string' ? turn.text : '',
      languageHint: turn.language,
      channel: turn.channel,
      threadId: turn.threadId,
      ...(typeof lastReminderId === 'string' && lastReminderId ? { lastReminderId } : {}),
    });
    const carried = threads.get(key);
    input.pending = carried?.pending ?? null;
    input.emergency = carried?.emergency ?? null;
    // The turn enters at `understand` as a Command (its state update plus the goto) rather than
    // as plain input: plain input runs an extra `__start__` task whose only job is copying the
    // input into the channels (~0.08 ms of LangGraph bookkeeping a turn). The START edge stays
    // for LangGraph Studio. The signal travels in the runtime only: the agent step checks it
    // before acting and the LLM calls take it. Handed to LangGraph, it would be merged into every
    // task's config with AbortSignal.any (new signals, listeners and weak references per task).
    const state = (await graph.invoke(new Command({ update: input, goto: 'understand' }), { configurable: { runtime } })) as AssistantStateType;
    if (state.pending || state.emergency) threads.set(key, { pending: state.pending, emergency: state.emergency });
    else threads.delete(key);
    return state;
  }

  async function runTurn(turn: AssistantTurn, run: TurnRun = {}): Promise<TurnResult> {
    // The caller may give the words up before the graph waits for them: never an unhandled rejection.
    run.heard?.catch(() => undefined);
    if (!turn.userId) throw new TypeError('a user id is required');
    if (!turn.threadId) throw new TypeError('a thread id is required');
    const key = threadKey(turn.userId, turn.threadId);
    const prev = queues.get(key) ?? Promise.resolve();
    const current = prev.catch(() => undefined).then(() => invoke(turn, key, run));
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
    runWithState: (turn, opts) => runTurn(turn, opts),
    // The graph hands the reply out as soon as it is worded (respondAndStore), then stores the chat event.
    start: (turn, opts) => turnHandle(async (onReply) => replyOf((await runTurn(turn, { signal: opts?.signal, onReply })).state), opts),
    startHeard: (turn, heard, opts) => turnHandle(async (onReply) => replyOf((await runTurn({ ...turn, text: '' }, { signal: opts?.signal, heard, onReply })).state), opts),
    endThread: async (userId, threadId) => threads.delete(threadKey(userId, threadId)),
  };
}

function runtimeReady(state: AssistantStateType): boolean {
  return typeof state.reply === 'string' && state.reply.length > 0;
}
