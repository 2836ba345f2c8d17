/**
 * The graph's state. Every field is last-value; a turn's input resets all per-turn fields
 * (`turnInput`), so a thread carries only two things from one turn to the next: `pending`, the
 * half-understood request the assistant asked a question about, and `emergency`, the one it
 * just raised (for the all-clear).
 */
import { Annotation } from '@langchain/langgraph';
import type { Lang } from '../../prompts/lang.js';
import type { HealthItem } from '../../src/locusgraph/health.js';
import type { LlmPath } from './llm/types.js';
import type { NluResult, Normalized, Route } from './nlu/types.js';
import type { Say } from './speech.js';
import type { Action, MedicationInfo } from './tools.js';


export interface TurnContext {
  timeZone: string;
  /** From the profile (`hi-IN` → hi), when set. */
  preferredLanguage?: Lang;
  medications: MedicationInfo[];
  medicalConditions: string[];
  /** The profile as stored (null before the first one): the emergency desk decides whom to tell from it. */
  profile: HealthItem<'profile'> | null;
  /** Every emergency contact ("call my son" may name one that is not the primary). */
  contacts: HealthItem<'emergency_contact'>[];
}

/** An emergency raised in this thread: "I'm okay" soon after sends its all-clear. */
export interface OpenEmergency {
  /** The desk's reference (EmergencyDesk.raise). */
  ref: string;
  /** When it was raised (the turn clock, ms). */
  at: number;
}

/** What a thread carries from one turn to the next. */
export interface ThreadCarry {
  pending: PendingAsk | null;
  emergency: OpenEmergency | null;
}

/** A request waiting for the answer to the question we asked, and how often we have asked. */
export interface PendingAsk {
  nlu: NluResult;
  asks: number;
}

export interface TurnInput {
  text: string;
  /** Locale heard or asked for (`en-IN`, `hi-IN`) or `auto`. */
  languageHint: string;
  channel: 'voice' | 'phone' | 'chat';
  threadId: string;
  /** The notification the voice session spoke last, when it says so ("yes" answers that one). */
  lastReminderId?: string;
}

const last = <T>(initial: T) => Annotation<T>({ reducer: (_prev: T, next: T) => next, default: () => initial });

export const AssistantState = Annotation.Root({
  input: Annotation<TurnInput>,
  normalized: last<Normalized | null>(null),
  context: last<TurnContext | null>(null),
  nlu: last<NluResult | null>(null),
  /** Carried across turns of a thread: the request waiting for the answer to our question. */
  pending: last<PendingAsk | null>(null),
  /** Carried across turns of a thread: the emergency raised last, until cleared or stale. */
  emergency: last<OpenEmergency | null>(null),
  /** What the agent wants said, language-neutral. */
  say: last<Say[]>([]),
  /** Free text from the LLM, used instead of `say` when set. */
  llmReply: last<string | null>(null),
  actions: last<Action[]>([]),
  route: last<Route>('chat'),
  replyLanguage: last<Lang>('en'),
  reply: last<string>(''),
  /** False for unusable input (empty, emoji, nonsense): nothing is written, not even the chat event. */
  store: last<boolean>(true),
  llm: last<LlmPath>('off'),
});

export type AssistantStateType = typeof AssistantState.State;
export type AssistantUpdate = typeof AssistantState.Update;

/** The input for one turn: its text plus every per-turn field reset. */
export function turnInput(input: TurnInput): AssistantUpdate {
  return {
    input,
    normalized: null,
    context: null,
    nlu: null,
    say: [],
    llmReply: null,
    actions: [],
    route: 'chat',
    replyLanguage: 'en',
    reply: '',
    store: true,
    llm: 'off',
  };
}
