/**
 * What a test tells the fake to say (transcripts, chat replies, TTS pacing) and which failures to
 * inject. Kept apart from the socket code so a test reads as a script.
 */
import { audioKey, findMarker } from './audio.js';

/** One recognised utterance. `translation` is what the translate endpoints return (English). */
export interface ScriptedUtterance {
  transcript: string;
  /** Detected language, reported when the request asked for `unknown` or used a translate endpoint. */
  languageCode?: string;
  languageProbability?: number;
  translation?: string;
}

export interface ScriptedToolCall {
  id?: string;
  name: string;
  /** An object is JSON-encoded; a string is sent as is (so tests can send broken arguments). */
  arguments: unknown;
}

export interface ScriptedChatReply {
  content?: string | null;
  toolCalls?: ScriptedToolCall[];
  finishReason?: 'stop' | 'length' | 'tool_calls';
  reasoningContent?: string;
}

export interface ChatRequestBody {
  model?: unknown;
  messages?: unknown;
  tools?: unknown;
  stream?: unknown;
  [k: string]: unknown;
}

export interface FakeSarvamScript {
  /** Keyed by `audioKey(bytes)` (sha256 hex of the audio sent) or by a marker name (see markerBytes). */
  transcripts?: Record<string, ScriptedUtterance>;
  /** Answer for audio matching nothing scripted. Default: "hello" in en-IN. */
  defaultUtterance?: ScriptedUtterance;
  /** Language reported for `unknown` when the matched utterance names none. Default en-IN. */
  detectLanguage?: string;
  /** Chat replies: consumed in order (then the default), or computed per request. */
  chat?: ScriptedChatReply[] | ((body: ChatRequestBody) => ScriptedChatReply);
  tts?: {
    /** Server-side synthesis delay per sentence, before that sentence's audio is sent. */
    msPerSentence?: number;
    /** Length of generated audio per character of text (at pace 1). Default 60 ms. */
    audioMsPerChar?: number;
    toneHz?: number;
  };
  stt?: {
    /** Delay before each transcript is sent (REST response or WS data frame). */
    latencyMs?: number;
    /** Trailing silence that ends an utterance in the WS VAD; halved with high_vad_sensitivity. */
    endSilenceMs?: number;
  };
  /** Idle time after which a WebSocket is closed, as Sarvam does after a minute. */
  wsIdleTimeoutMs?: number;
}

export type FakeRoute =
  | 'stt'
  | 'stt-translate'
  | 'tts'
  | 'tts-stream'
  | 'chat'
  | 'stt-ws'
  | 'stt-translate-ws'
  | 'tts-ws';

export const ALL_ROUTES: FakeRoute[] = [
  'stt', 'stt-translate', 'tts', 'tts-stream', 'chat', 'stt-ws', 'stt-translate-ws', 'tts-ws',
];

/**
 * Injected failures. REST and WS read them as follows:
 * - status: the HTTP status with Sarvam's error body (WS: refused before the upgrade).
 * - delay: wait, then answer normally (WS: a slow handshake).
 * - hang: never answer (WS: never finish the handshake) until the client gives up or the fake closes.
 * - drop: destroy the TCP socket (REST: before any response; WS: after `afterFrames` client frames, default 1).
 * - malformed: REST: 200 with an unparseable body; WS: send `payload` as a text frame right after open.
 * - error-frame: WS only: answer the first client frame with Sarvam's `{"type":"error"}` frame.
 */
export type FakeFailure =
  | { kind: 'status'; status: number; code?: string; message?: string; retryAfterS?: number }
  | { kind: 'delay'; ms: number }
  | { kind: 'hang' }
  | { kind: 'drop'; afterFrames?: number }
  | { kind: 'malformed'; payload?: string }
  | { kind: 'error-frame'; message?: string; code?: string };

interface ArmedFailure {
  routes: Set<FakeRoute>;
  failure: FakeFailure;
  remaining: number;
}

export interface FakeSarvamControl {
  /** Arms a failure for the next `times` requests (default 1) to any of the routes. */
  inject(routes: FakeRoute | FakeRoute[] | '*', failure: FakeFailure, times?: number): void;
  clearFailures(): void;
  /** Answers the next recognised utterance that no key or marker matches. */
  queueUtterance(u: ScriptedUtterance): void;
  queueChatReply(r: ScriptedChatReply): void;
  setTtsDelayMs(msPerSentence: number): void;
  /** Closes every open WebSocket from the server side. */
  closeSockets(code?: number, reason?: string): void;
  openSockets(): number;
}

/** Holds a test's script plus what the control object changes at run time. */
export class ScriptState {
  private readonly failures: ArmedFailure[] = [];
  private readonly utteranceQueue: ScriptedUtterance[] = [];
  private readonly chatQueue: ScriptedChatReply[] = [];
  private chatIndex = 0;
  ttsDelayMs: number;

  constructor(readonly script: FakeSarvamScript) {
    this.ttsDelayMs = script.tts?.msPerSentence ?? 0;
  }

  inject(routes: FakeRoute | FakeRoute[] | '*', failure: FakeFailure, times = 1): void {
    const list = routes === '*' ? ALL_ROUTES : Array.isArray(routes) ? routes : [routes];
    this.failures.push({ routes: new Set(list), failure, remaining: times });
  }

  clearFailures(): void {
    this.failures.length = 0;
  }

  takeFailure(route: FakeRoute): FakeFailure | undefined {
    const i = this.failures.findIndex((f) => f.routes.has(route));
    if (i < 0) return undefined;
    const armed = this.failures[i]!;
    armed.remaining -= 1;
    if (armed.remaining <= 0) this.failures.splice(i, 1);
    return armed.failure;
  }

  queueUtterance(u: ScriptedUtterance): void {
    this.utteranceQueue.push(u);
  }

  queueChatReply(r: ScriptedChatReply): void {
    this.chatQueue.push(r);
  }

  /** Marker first (explicit intent), then the content hash, then the queue, then the default. */
  resolveUtterance(audio: Uint8Array): ScriptedUtterance {
    const table = this.script.transcripts ?? {};
    const marker = findMarker(audio);
    if (marker !== undefined && table[marker]) return table[marker];
    const byHash = table[audioKey(audio)];
    if (byHash) return byHash;
    const queued = this.utteranceQueue.shift();
    if (queued) return queued;
    return this.script.defaultUtterance ?? { transcript: 'hello', languageCode: 'en-IN' };
  }

  detectedLanguage(u: ScriptedUtterance): string {
    return u.languageCode ?? this.script.detectLanguage ?? 'en-IN';
  }

  chatReply(body: ChatRequestBody): ScriptedChatReply {
    const queued = this.chatQueue.shift();
    if (queued) return queued;
    const chat = this.script.chat;
    if (typeof chat === 'function') return chat(body);
    if (Array.isArray(chat) && this.chatIndex < chat.length) return chat[this.chatIndex++]!;
    return { content: 'OK' };
  }
}
