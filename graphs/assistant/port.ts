/**
 * The assistant's port: what its callers (a voice session, a phone call, the chat route) ask of
 * it. It belongs to the assistant and imports nothing of theirs; code under src/ reaches the graph
 * through this module only, except the app's composition (src/app.ts), which builds it.
 */
import { deferred } from '../../src/util/async.js';

export interface AssistantTurn {
  userId: string;
  /** Multi-turn state (slot filling) lives per thread: a voice session, a call, a chat thread. */
  threadId: string;
  text: string;
  /** The language heard or asked for (`en-IN`, `hi-IN`, …, or `auto`). */
  language: string;
  channel: 'voice' | 'phone' | 'chat';
  /**
   * What the session said on its own since the last turn. `lastReminder`: the reminder it spoke
   * last, so "yes" or "remind me in 10 minutes" answers that one (the assistant looks the
   * notification up in the user's own store; without this it uses the newest of the last hour).
   */
  context?: { lastReminder?: { notification_id: string } };
}

/** What a spoken turn said, once the recogniser's final is in. */
export interface Heard {
  text: string;
  /** The language heard (`en-IN`, `hi-IN`, …) or `auto`. */
  language: string;
}

export interface AssistantReply {
  reply: string;
  route: string;
  /** The language the reply is in. */
  language: string;
  actions: Array<{ type: string; id: string }>;
}

export interface TurnOptions {
  /** Aborts when the caller gives the turn up (barge-in, a closed socket). */
  signal?: AbortSignal;
  /**
   * Called synchronously the moment the reply is decided, before `reply` settles. For a caller
   * whose latency counts: the voice session starts speech here rather than after a promise hop,
   * by which time the graph may have run on synchronously into its bookkeeping. Everyone else
   * awaits `reply`.
   */
  onReply?: (reply: AssistantReply) => void;
}

/**
 * A started turn. `reply` settles as soon as the reply is decided, before the turn's own
 * bookkeeping (storing the chat event): a voice session starts speaking then. `done` settles when
 * that is finished too, with the same reply. A turn that fails before its reply is decided rejects
 * both; one that fails after it rejects `done` only. Neither is ever an unhandled rejection, so a
 * caller awaits only the one it needs.
 */
export interface TurnHandle {
  readonly reply: Promise<AssistantReply>;
  readonly done: Promise<AssistantReply>;
}

export interface AssistantPort {
  /** A turn whose words are known: typed, or a spoken one once its transcript is in. */
  start(turn: AssistantTurn, opts?: TurnOptions): TurnHandle;
  /**
   * A spoken turn started at the end of speech, while the recogniser is still finishing: the
   * assistant does what does not need the words (its own set-up, reading the user's context) and
   * then waits for `heard`. `turn.language` applies until `heard` names one. If `heard` rejects
   * (nothing was heard, the recogniser failed, the turn was given up) or the signal aborts, the
   * turn ends with that error before anything is written. Optional: without it the session calls
   * start() once the transcript is in.
   */
  startHeard?(turn: Omit<AssistantTurn, 'text'>, heard: Promise<Heard>, opts?: TurnOptions): TurnHandle;
  /** Forgets a thread's pending question when its session ends. */
  endThread?(userId: string, threadId: string): Promise<void>;
}

/**
 * The handle of a turn that `run` carries out: `run` calls `decide` as soon as it knows the reply
 * (if it can tell before it is done) and resolves when the turn is done. Without `decide`, `reply`
 * settles with `done`.
 */
export function turnHandle(run: (decide: (reply: AssistantReply) => void) => Promise<AssistantReply>, opts: Pick<TurnOptions, 'onReply'> = {}): TurnHandle {
  const reply = deferred<AssistantReply>();
  let decided = false;
  const decide = (r: AssistantReply): void => {
    if (decided) return;
    decided = true;
    opts.onReply?.(r);
    reply.resolve(r);
  };
  let done: Promise<AssistantReply>;
  try {
    done = run(decide);
  } catch (err) {
    done = Promise.reject(err);
  }
  // Also handles `done`: a failed turn nobody waits for to finish is no unhandled rejection.
  done.then(decide, reply.reject);
  return { reply: reply.promise, done };
}
