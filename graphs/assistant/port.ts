/**
 * The assistant's port: what its callers (a voice session, a phone call, the chat route) ask of
 * it. It belongs to the assistant and imports nothing of theirs; code under src/ reaches the graph
 * through this module only, except the app's composition (src/app.ts), which builds it.
 */
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

export interface TurnHooks {
  /**
   * Called once, as soon as the reply is decided, before the turn's own bookkeeping (storing the
   * chat event) is done: a voice session starts speaking here. run() still resolves after it.
   */
  onReply?: (reply: AssistantReply) => void;
}

export interface AssistantPort {
  run(turn: AssistantTurn, signal?: AbortSignal, hooks?: TurnHooks): Promise<AssistantReply>;
  /**
   * A spoken turn started at the end of speech, while the recogniser is still finishing: the
   * assistant does what does not need the words (its own set-up, reading the user's context) and
   * then waits for `heard`. `turn.language` applies until `heard` names one. If `heard` rejects
   * (nothing was heard, the recogniser failed, the turn was given up) or `signal` aborts, the turn
   * ends with that error before anything is written. Optional: without it the session calls run()
   * once the transcript is in.
   */
  runHeard?(turn: Omit<AssistantTurn, 'text'>, heard: Promise<Heard>, signal?: AbortSignal, hooks?: TurnHooks): Promise<AssistantReply>;
  /** Forgets a thread's pending question when its session ends. */
  endThread?(userId: string, threadId: string): Promise<void>;
}
