/**
 * One voice session per socket (or phone call): negotiated audio formats, the user's language,
 * the assistant thread, and the turn state machine idle → listening → thinking → speaking.
 *
 * A turn: audio frames (any chunking) → 16 kHz → VAD endpointing → streaming STT → assistant →
 * sentence-streamed TTS → audio out, with the events of WIRE.md §1 and their timings. Speech (or
 * an `interrupt`) while speaking stops the reply at once and becomes the next turn.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { AudioInput } from './audio/input.js';
import { FrameRing } from './audio/frame-ring.js';
import { AudioOutput } from './audio/output.js';
import { Endpointer } from './audio/vad.js';
import { FRAME_MS, FRAME_SAMPLES } from './audio/format.js';
import type { AssistantPort, AssistantReply, Heard } from '../../graphs/assistant/port.js';
import { ClientMessage, CLOSE, negotiate, type NegotiatedAudio, type PipelineEvent, type StartMessage, type Timings, type VoiceErrorCode } from './protocol.js';
import { speechApology } from './providers/fallback.js';
import type { SttEvent, SttProvider, SttStream, TtsProvider } from './providers/types.js';
import { splitSentences } from './sentences.js';
import { deferred, sleep, withTimeout } from '../util/async.js';
import { template } from '../../prompts/index.js';
import { langOf, speakingLocale } from '../../prompts/lang.js';
import { VOICE, type VoiceKey } from '../../prompts/voice.js';

export interface VoiceTransport {
  sendJson(msg: object): void;
  sendAudio(chunk: Buffer): void;
  /** Bytes queued for the peer but not yet written. */
  bufferedAmount(): number;
  close(code: number, reason: string): void;
  /** Barge-in: drop audio the peer has queued but not played (telephony `clear`). */
  clearAudio?(): void;
  /**
   * The last audio of a turn was sent (telephony marks/checkpoints track playback): `turnId` is its
   * id on the wire, `turn` says what it was.
   */
  audioDone?(turnId: string, turn: SpokenTurn): void;
  /** The listener started speaking: audio the peer may still be playing is stale (telephony `clear`). */
  speechStarted?(): void;
}

/** What a turn's audio was: the assistant's reply, a fixed announcement, or a pushed reminder. */
export type SpokenTurn = { kind: 'reply' } | { kind: 'announcement' } | { kind: 'reminder'; notificationId: string };

export interface VoiceSessionOptions {
  /** Silence after speech that ends an utterance. */
  endSilenceMs: number;
  maxUtteranceMs: number;
  /** Audio produced while more than this is queued for the client waits. */
  highWaterBytes: number;
  /** A client that has not drained below the mark in this long is closed. */
  slowReaderTimeoutMs: number;
  assistantTimeoutMs: number;
  /**
   * Reply audio is sent at most this far ahead of real time, so an interruption stops what the
   * listener has not heard yet and clients never hold more than this much. Infinity: no pacing.
   */
  playbackLeadMs: number;
}

export const DEFAULT_SESSION_OPTIONS: VoiceSessionOptions = {
  endSilenceMs: 400,
  maxUtteranceMs: 30_000,
  highWaterBytes: 256 * 1024,
  slowReaderTimeoutMs: 5_000,
  assistantTimeoutMs: 10_000,
  playbackLeadMs: 1500,
};

export interface VoiceSessionDeps {
  userId: string;
  stt: SttProvider;
  tts: TtsProvider;
  assistant: AssistantPort;
  transport: VoiceTransport;
  /** The user's preferred language (profile) or the configured default. */
  language: string;
  log: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error' | 'debug'>;
  channel?: 'voice' | 'phone';
  options?: Partial<VoiceSessionOptions>;
  onClose?: (session: VoiceSession) => void;
  /** Each assistant reply as it is decided (a phone call repeats the last one on key 0). */
  onReply?: (reply: AssistantReply) => void;
}

export type TurnState = 'idle' | 'listening' | 'thinking' | 'speaking';

export interface ReminderMessage {
  notification_id: string;
  title: string;
  message: string;
}

interface Turn {
  id: string;
  spoken: SpokenTurn;
  t0: number;
  abort: AbortController;
  interrupted: boolean;
  done: boolean;
  /** A stage failed; the turn is being closed (possibly after a spoken apology). */
  failed?: boolean;
  /** The session gave the turn up before its words were in (nothing heard, recogniser failed). */
  abandoned?: boolean;
  /** Reply audio sent so far (ms of sound) and when its first byte went out. */
  audioMs: number;
  audioStart?: number;
  timings: { vadEnd?: number; sttEnd?: number; graphStart?: number; graphEnd?: number; ttsStart?: number; firstByte?: number };
}

const PRE_ROLL_FRAMES = Math.round(300 / FRAME_MS);

export class VoiceSession {
  readonly id = randomUUID();
  state: TurnState = 'idle';
  private audio: NegotiatedAudio = negotiate(undefined);
  private language: string;
  private languageChosen = false;
  private input?: AudioInput;
  private inputReady?: Promise<AudioInput>;
  private output: AudioOutput;
  private vad?: Endpointer;
  private stt?: SttStream;
  private started = false;
  private closed = false;
  private turn?: Turn;
  private turnSeq = 0;
  private utteranceMs = 0;
  private framesSinceTurn = 0;
  /** The VAD (or the length cap) closed the last utterance: a following `end` is redundant. */
  private vadClosedUtterance = false;
  private inUtterance = false;
  private readonly preRoll = new FrameRing(FRAME_SAMPLES, PRE_ROLL_FRAMES);
  private finalText = '';
  private finalLanguage?: string;
  private readonly reminders: ReminderMessage[] = [];
  /** The reminder spoken last: "yes" or "remind me in 10 minutes" answers it. */
  private lastReminder?: { notification_id: string };
  private readonly opts: VoiceSessionOptions;
  /** Output bytes per millisecond of sound (μ-law: 1 byte a sample; PCM and WAV: 2). */
  private get bytesPerMs() {
    return ((this.audio.output.encoding === 'mulaw' ? 1 : 2) * this.audio.output.sampleRate) / 1000;
  }

  constructor(private readonly deps: VoiceSessionDeps) {
    this.opts = { ...DEFAULT_SESSION_OPTIONS, ...deps.options };
    this.language = deps.language;
    this.output = new AudioOutput(this.audio.output);
  }

  get userId() {
    return this.deps.userId;
  }

  /** The profile's language, unless the client chose one in `start`. */
  setDefaultLanguage(language: string) {
    if (!this.languageChosen) this.language = language;
  }

  /** `start` is optional: the first binary frame starts the session with defaults. */
  async handleText(raw: string): Promise<void> {
    // A frame that arrives while the socket is closing is not a turn: the session has ended.
    if (this.closed) return;
    let msg: ClientMessage;
    try {
      const parsed = ClientMessage.safeParse(JSON.parse(raw));
      if (!parsed.success) return this.protocolError('Unknown or malformed message');
      msg = parsed.data;
    } catch {
      return this.protocolError('Text frames must be JSON');
    }
    switch (msg.type) {
      case 'start':
        if (this.started) return this.protocolError('Session already started');
        this.audio = negotiate(msg);
        if (msg.language) {
          this.language = msg.language;
          this.languageChosen = true;
        }
        return this.start();
      case 'ping':
        return this.deps.transport.sendJson({ type: 'pong' });
      case 'interrupt':
        return this.interrupt();
      case 'end':
        await this.ensureStarted();
        return this.endUtterance('end');
      case 'text':
        await this.ensureStarted();
        this.interrupt();
        return this.textTurn(msg.text);
    }
  }

  /** Typed entry points for adapters that do not speak JSON (telephony). */
  async begin(start: Omit<StartMessage, 'type'> = {}): Promise<void> {
    return this.handleText(JSON.stringify({ type: 'start', ...start }));
  }

  async say(text: string): Promise<void> {
    await this.ensureStarted();
    this.interrupt();
    return this.textTurn(text);
  }

  /**
   * Speaks a fixed text (a greeting) without running the assistant. `reminder`: the text speaks
   * that notification, so the next answer ("yes", "remind me in 10 minutes") answers it, as after
   * deliverReminder.
   */
  async announce(text: string, opts: { language?: string; reminder?: string } = {}): Promise<void> {
    await this.ensureStarted();
    if (opts.reminder) this.lastReminder = { notification_id: opts.reminder };
    const turn: Turn = { id: `announce-${++this.turnSeq}`, spoken: { kind: 'announcement' }, t0: performance.now(), abort: new AbortController(), interrupted: false, done: false, audioMs: 0, timings: {} };
    this.turn = turn;
    await this.speak(turn, text, opts.language ?? speakingLocale(this.language), false);
    turn.done = true;
    if ((this.state as TurnState) === 'speaking') this.state = 'idle';
    void this.drainReminders();
  }

  stopSpeaking(): void {
    this.interrupt();
  }

  handleBinary(chunk: Buffer): void {
    if (this.closed) return;
    if (this.input) return this.input.push(chunk);
    // Audio before `start` (or while the input is being set up): defaults apply, order is kept.
    void this.ensureStarted().then((input) => input?.push(chunk));
  }

  /** Pushes a due reminder: spoken now when idle, otherwise right after the current reply. */
  deliverReminder(r: ReminderMessage): void {
    if (this.closed) return;
    this.reminders.push(r);
    if (this.state === 'idle') void this.drainReminders();
  }

  /** The server ends the session: the transport closes with `code` and `reason`, then the session does. */
  end(code: number, reason: string): void {
    if (this.closed) return;
    try {
      this.deps.transport.close(code, reason);
    } finally {
      this.close();
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.interrupt();
    this.stt?.close();
    this.vad?.close();
    this.input?.close();
    this.output.close();
    void this.deps.assistant.endThread?.(this.deps.userId, this.id).catch(() => undefined);
    this.deps.onClose?.(this);
  }

  private async ensureStarted(): Promise<AudioInput | undefined> {
    if (!this.started) await this.start();
    return this.inputReady;
  }

  private async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.output = new AudioOutput(this.audio.output);
    this.inputReady = AudioInput.create(this.audio.input, {
      onFrame: (f) => this.onFrame(f),
      onError: () => this.send('error', { code: 'bad_audio', message: this.sentence('error.bad_audio') }),
    });
    const [input, vad] = await Promise.all([
      this.inputReady,
      this.audio.vad ? Endpointer.create({ endSilenceMs: this.opts.endSilenceMs }) : Promise.resolve(undefined),
    ]);
    if (this.closed) {
      input.close();
      vad?.close();
      return;
    }
    this.input = input;
    this.vad = vad;
    this.openStt();
    this.deps.transport.sendJson({
      type: 'ready',
      session_id: this.id,
      language: this.language,
      audio: {
        input: { encoding: this.audio.input.encoding, sample_rate: this.audio.input.sampleRate, channels: 1 },
        output: { encoding: this.audio.output.encoding, sample_rate: this.audio.output.sampleRate },
        vad: this.audio.vad,
      },
    });
    void this.drainReminders();
  }

  private openStt() {
    const stream = this.deps.stt.stream({ language: this.language });
    this.stt = stream;
    void (async () => {
      try {
        for await (const ev of stream) this.onSttEvent(ev);
      } catch (err) {
        this.deps.log.warn({ err, sessionId: this.id }, 'stt stream failed');
      }
    })();
  }

  private onSttEvent(ev: SttEvent) {
    if (ev.type === 'partial' && this.inUtterance && ev.text) this.send('stt-partial', { text: ev.text });
    else if (ev.type === 'final') {
      // A recogniser may end an utterance on its own pause and give more than one final (an
      // empty one when flushed after it already did): keep every word of the utterance.
      if (ev.text.trim()) this.finalText = this.finalText ? `${this.finalText} ${ev.text.trim()}` : ev.text.trim();
      this.finalLanguage = ev.language;
    } else if (ev.type === 'error') {
      this.deps.log.warn({ sessionId: this.id, code: ev.error.code }, 'stt error');
      const turn = this.turn;
      if (turn && !turn.done && !turn.failed) {
        turn.failed = true;
        // The cloud recogniser is down and no local one speaks this language: say so, aloud.
        if (ev.error.code === 'unavailable') void this.apologize(turn, this.finalLanguage ?? this.language);
        else this.fail('stt_failed', this.sentence('error.stt_failed'));
      }
      this.stt?.close();
      if (!this.closed) this.openStt();
    }
  }

  private onFrame(frame: Int16Array) {
    if (this.closed) return;
    this.framesSinceTurn++;
    if (!this.vad) {
      // Push-to-talk: everything between turns is the utterance; `end` closes it.
      if (!this.inUtterance) this.beginUtterance();
      this.feed(frame);
      return;
    }
    for (const ev of this.vad.push(frame)) {
      if (ev.type === 'speech-start') {
        if (this.state === 'speaking' || this.state === 'thinking') this.interrupt();
        this.beginUtterance();
        this.preRoll.drain((f) => this.stt?.push(f));
      } else if (ev.type === 'speech-end' && this.inUtterance) {
        void this.endUtterance('vad');
      }
    }
    if (this.inUtterance) this.feed(frame);
    else {
      this.preRoll.push(frame);
    }
  }

  private feed(frame: Int16Array) {
    this.stt?.push(frame);
    this.utteranceMs += FRAME_MS;
    if (this.utteranceMs >= this.opts.maxUtteranceMs) void this.endUtterance('max');
  }

  private newTurn(): Turn {
    const turn: Turn = { id: `${this.id.slice(0, 8)}-${++this.turnSeq}`, spoken: { kind: 'reply' }, t0: performance.now(), abort: new AbortController(), interrupted: false, done: false, audioMs: 0, timings: {} };
    this.turn = turn;
    this.send('run-start', {});
    return turn;
  }

  private beginUtterance() {
    this.newTurn();
    this.inUtterance = true;
    this.utteranceMs = 0;
    this.finalText = '';
    this.finalLanguage = undefined;
    this.state = 'listening';
    this.send('vad-start', {});
    this.deps.transport.speechStarted?.();
  }

  private async endUtterance(why: 'vad' | 'end' | 'max') {
    if (!this.inUtterance) {
      // `end` after audio in which the VAD heard no speech still closes a turn, so a
      // push-to-talk client is never left waiting; an `end` with no audio since is a no-op.
      if (why === 'end' && this.vadClosedUtterance) {
        this.vadClosedUtterance = false;
        return;
      }
      if (why === 'end' && this.state === 'idle' && this.framesSinceTurn > 0) {
        this.newTurn();
        this.fail('stt_failed', this.sentence('error.nothing_heard'));
      }
      return;
    }
    const turn = this.turn!;
    this.inUtterance = false;
    this.vadClosedUtterance = why !== 'end';
    this.state = 'thinking';
    this.vad?.reset();
    turn.timings.vadEnd = performance.now();
    this.send('vad-end', { reason: why });
    if (why === 'max') this.send('error', { code: 'too_long', message: this.sentence('error.too_long') });
    // Run-ahead: the assistant starts now, while the recogniser finishes the utterance, and does
    // what needs no words (its set-up, reading the user's context); then it waits for them.
    const words = this.deps.assistant.startHeard ? deferred<Heard>() : undefined;
    const thinking = words && this.think(turn, words.promise);
    try {
      await this.stt!.end();
    } catch {
      /* the STT error event reports it */
    }
    const giveUp = () => {
      turn.abandoned = true;
      words?.reject(new Error('nothing was heard'));
      return thinking;
    };
    if (turn !== this.turn || turn.done || turn.failed) return giveUp();
    turn.timings.sttEnd = performance.now();
    const text = this.finalText.trim();
    const language = this.finalLanguage && this.finalLanguage !== 'auto' ? this.finalLanguage : this.language;
    this.send('stt-end', { text, language });
    if (!text) {
      this.fail('stt_failed', this.sentence('error.not_caught'));
      return giveUp();
    }
    if (!words) return this.think(turn, { text, language });
    words.resolve({ text, language });
    return thinking;
  }

  private async textTurn(text: string) {
    const turn = this.newTurn();
    this.state = 'thinking';
    await this.think(turn, { text, language: speakingLocale(this.language) });
  }

  /**
   * Runs the assistant on the turn's words: known (a typed turn, or no run-ahead), or still being
   * recognised (a promise: intent-start and the assistant's timeout begin when they arrive).
   */
  private async think(turn: Turn, words: Heard | Promise<Heard>) {
    const started = (): void => {
      this.send('intent-start', {});
      turn.timings.graphStart = performance.now();
    };
    const heard = words instanceof Promise ? words.then((w) => (started(), w)) : undefined;
    heard?.catch(() => undefined);
    if (!heard) started();
    // The reply is spoken as soon as it is decided, while the assistant still stores the turn's
    // chat event; the time limit is on the whole turn.
    let decided = false;
    let answering: Promise<void> | undefined;
    // Speech starts the moment the reply is decided: synchronously in onReply (a promise hop
    // later, the graph has run on into its bookkeeping first), or through `reply` for an assistant
    // that only knows it when done. Awaited below; until then a failure is not unhandled.
    const speakOnce = (reply: AssistantReply): Promise<void> => {
      if (!answering) {
        decided = true;
        answering = this.answer(turn, reply);
        answering.catch(() => undefined);
      }
      return answering;
    };
    try {
      const t = { userId: this.deps.userId, threadId: this.id, language: this.language, channel: this.deps.channel ?? 'voice', ...(this.lastReminder ? { context: { lastReminder: this.lastReminder } } : {}) };
      const { assistant } = this.deps;
      const opts = { signal: turn.abort.signal, onReply: (reply: AssistantReply) => void speakOnce(reply) };
      const running = heard ? assistant.startHeard!(t, heard, opts) : assistant.start({ ...t, ...(words as Heard) }, opts);
      // `void`: the derived promise must not carry a failed answer as an unhandled rejection.
      running.reply.then((reply) => void speakOnce(reply), () => undefined);
      await withTimeout(running.done, this.opts.assistantTimeoutMs, heard);
    } catch (err) {
      if (turn.interrupted || turn.abandoned) return;
      this.deps.log.error({ err, sessionId: this.id, turnId: turn.id }, 'assistant failed');
      // Already being spoken: what failed came after the reply (its bookkeeping), not the answer.
      if (decided) return answering;
      return this.fail('assistant_failed', template(langOf(this.language), 'fallback.error'));
    }
    // `done` settled after `reply` was decided (turnHandle decides first), so speech has begun.
    await answering;
  }

  /** The reply is decided: report it and speak it. */
  private async answer(turn: Turn, reply: AssistantReply) {
    turn.timings.graphEnd = performance.now();
    // A reply after the turn was given up (interrupted, or failed on its time limit) is not spoken.
    if (turn.interrupted || turn.done || turn !== this.turn) return;
    this.deps.onReply?.(reply);
    this.send('intent-end', { route: reply.route, text: reply.reply, language: reply.language, actions: reply.actions });
    await this.speak(turn, reply.reply, reply.language);
  }

  /** Speaks a reply sentence by sentence; the first sentence is synthesised before the rest exist. */
  private async speak(turn: Turn, text: string, language: string, events = true) {
    this.state = 'speaking';
    this.send('tts-start', {});
    turn.timings.ttsStart = performance.now();
    const stream = this.deps.tts.stream({ language, sampleRate: this.audio.output.sampleRate, signal: turn.abort.signal });
    const onAbort = () => stream.close();
    turn.abort.signal.addEventListener('abort', onAbort, { once: true });
    for (const s of splitSentences(text)) stream.pushText(s);
    stream.flush();
    this.output.begin();
    let failed = false;
    const run = (async () => {
      for await (const ev of stream) {
        if (turn.interrupted) break;
        if (ev.type === 'error') {
          failed = true;
          break;
        }
        if (ev.type === 'done') break;
        const bytes = await this.output.write(ev.pcm, ev.sampleRate);
        if (bytes.length && !(await this.sendAudio(turn, bytes))) break;
      }
      if (!turn.interrupted) {
        const tail = this.output.end();
        if (tail.length) await this.sendAudio(turn, tail);
      }
    })();
    try {
      await run;
    } catch (err) {
      failed = true;
      this.deps.log.warn({ err, sessionId: this.id }, 'tts failed');
    } finally {
      turn.abort.signal.removeEventListener('abort', onAbort);
      stream.close();
    }
    if (turn.interrupted) return; // interrupt() already closed the turn's events
    this.deps.transport.audioDone?.(turn.id, turn.spoken);
    this.send('tts-end', { interrupted: false });
    if (failed) return this.fail('tts_failed', this.sentence('error.tts_failed'));
    if (events) this.finish(turn);
  }

  /** Sends audio with backpressure: waits while the client is behind, closes a client that stopped reading. */
  private async sendAudio(turn: Turn, bytes: Buffer): Promise<boolean> {
    const t = this.deps.transport;
    const since = performance.now();
    while (t.bufferedAmount() > this.opts.highWaterBytes) {
      if (turn.interrupted || this.closed) return false;
      if (performance.now() - since > this.opts.slowReaderTimeoutMs) {
        this.deps.log.warn({ sessionId: this.id }, 'closing a client that stopped reading');
        t.close(CLOSE.policy, 'client is not reading audio');
        this.close();
        return false;
      }
      await sleep(10);
    }
    if (turn.interrupted || this.closed) return false;
    turn.audioStart ??= performance.now();
    for (;;) {
      const ahead = turn.audioMs - (performance.now() - turn.audioStart);
      if (ahead <= this.opts.playbackLeadMs) break;
      await sleep(Math.min(50, ahead - this.opts.playbackLeadMs));
      if (turn.interrupted || this.closed) return false;
    }
    turn.timings.firstByte ??= performance.now();
    turn.audioMs += bytes.length / this.bytesPerMs;
    t.sendAudio(bytes);
    return true;
  }

  /** Barge-in: stop audio now, drop what is queued, close the turn's events. */
  private interrupt() {
    const turn = this.turn;
    if (!turn || turn.done) return;
    if (this.state === 'speaking' || this.state === 'thinking') {
      turn.interrupted = true;
      turn.abort.abort();
      if (this.state === 'speaking') {
        this.deps.transport.clearAudio?.();
        this.send('tts-end', { interrupted: true });
      }
      this.finish(turn);
    }
  }

  private async apologize(turn: Turn, language: string) {
    const lang = speakingLocale(language);
    this.send('error', { code: 'stt_failed', message: this.sentence('error.stt_unavailable', lang) });
    if (this.inUtterance) {
      this.inUtterance = false;
      this.vad?.reset();
    }
    const apology = speechApology(lang);
    await this.speak(turn, apology.text, apology.language, false);
    if (!turn.interrupted) this.finish(turn);
  }

  private fail(code: VoiceErrorCode, message: string) {
    const turn = this.turn;
    if (!turn || turn.done) return;
    this.send('error', { code, message });
    this.finish(turn);
  }

  private finish(turn: Turn) {
    if (turn.done) return;
    const t = turn.timings;
    const timings: Timings = {
      stt_ms: t.vadEnd !== undefined && t.sttEnd !== undefined ? round(t.sttEnd - t.vadEnd) : null,
      graph_ms: t.graphStart !== undefined && t.graphEnd !== undefined ? round(t.graphEnd - t.graphStart) : null,
      tts_first_byte_ms: t.ttsStart !== undefined && t.firstByte !== undefined ? round(t.firstByte - t.ttsStart) : null,
      total_ms: round(performance.now() - turn.t0),
    };
    this.send('run-end', { timings, interrupted: turn.interrupted });
    turn.done = true;
    this.framesSinceTurn = 0;
    this.deps.log.info({ sessionId: this.id, turnId: turn.id, ...timings, interrupted: turn.interrupted }, 'voice turn');
    if (this.inUtterance) return;
    this.state = 'idle';
    void this.drainReminders();
  }

  private async drainReminders() {
    while (this.reminders.length && this.state === 'idle' && this.input && !this.closed) {
      const r = this.reminders.shift()!;
      this.lastReminder = { notification_id: r.notification_id };
      this.deps.transport.sendJson({ type: 'reminder', notification_id: r.notification_id, title: r.title, message: r.message });
      const turn: Turn = { id: `reminder-${r.notification_id}`, spoken: { kind: 'reminder', notificationId: r.notification_id }, t0: performance.now(), abort: new AbortController(), interrupted: false, done: false, audioMs: 0, timings: {} };
      this.turn = turn;
      await this.speak(turn, r.message, speakingLocale(this.language), false);
      turn.done = true;
      if ((this.state as TurnState) === 'speaking') this.state = 'idle';
    }
  }

  private send(event: PipelineEvent, data: object) {
    const turn = this.turn;
    this.deps.transport.sendJson({ type: 'event', event, turn_id: turn?.id ?? null, t_ms: turn ? round(performance.now() - turn.t0) : 0, data });
  }

  /** One of the session's own sentences (prompts/voice/), in the language it speaks. */
  private sentence(key: VoiceKey, language = this.language): string {
    return VOICE.text(langOf(language), key);
  }

  private protocolError(message: string) {
    this.deps.transport.sendJson({ type: 'event', event: 'error', turn_id: null, t_ms: 0, data: { code: 'bad_message', message } });
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10;
