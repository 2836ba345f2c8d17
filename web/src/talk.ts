/**
 * The talk button and everything behind it: microphone → socket, socket → speaker, the live turn
 * view, barge-in, and typed turns. The button is never dead: every press either starts or stops
 * listening, or says why it cannot.
 */
import { ApiError, type Api } from './api.js';
import { MicError, Microphone } from './audio/microphone.js';
import { LoudnessGate } from './audio/pcm.js';
import { Player } from './audio/player.js';
import { byId } from './ui/dom.js';
import type { Messages } from './ui/messages.js';
import type { TurnView } from './ui/turn-view.js';
import { VoiceLink, type LinkState, type ReminderMessage, type TurnEvent } from './voice-link.js';

export type Mode = 'ptt' | 'hands-free';

/** Longer than this is a hold (release sends); shorter is a tap (tap again to send). */
const HOLD_MS = 350;
/** Audio kept from just before a push-to-talk press, so the first syllable is not clipped. */
const PRE_ROLL_FRAMES = 10;

export interface TalkDebug {
  linkState: LinkState;
  framesSent: number;
  playing: boolean;
  audioChunks: number;
  firstAudioAt: number | null;
  drops: number;
  turns: number;
}

interface ChatReply {
  reply: string;
  route: string;
  thread_id: string;
  actions?: unknown[];
}

export class Talk {
  readonly debug: TalkDebug = { linkState: 'closed', framesSent: 0, playing: false, audioChunks: 0, firstAudioAt: null, drops: 0, turns: 0 };
  mode: Mode = 'ptt';
  language = 'en-IN';
  voiceProcessing = false;
  private ctx: AudioContext | null = null;
  private player: Player | null = null;
  private mic: Microphone | null = null;
  private micOpening: Promise<Microphone | null> | null = null;
  private readonly link: VoiceLink;
  private connected = false;
  private talking = false;
  private stopping = false;
  private pressedAt = 0;
  private tapToggled = false;
  private preRoll: ArrayBuffer[] = [];
  private utteranceOpen = false;
  private turnActive = false;
  private currentTurn: string | null = null;
  private outputRate = 16000;
  private readonly gate = new LoudnessGate();
  private droppedMidTurn = false;
  private pendingTyped: string | null = null;
  private threadId: string | undefined;
  private readonly button = byId<HTMLButtonElement>('talk');
  private readonly label = byId('talk-label');
  private readonly linkText = byId('link-state');
  private readonly meter = byId('meter-bar');

  constructor(
    private readonly api: Api,
    private readonly messages: Messages,
    private readonly turn: TurnView,
    private readonly hooks: { onTurnDone: () => void; onReminder: (r: ReminderMessage) => void },
  ) {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    this.link = new VoiceLink({
      url: `${scheme}//${location.host}/api/voice/ws`,
      token: () => this.api.accessToken(),
      refresh: () => this.api.refresh(),
      handlers: {
        onState: (s, info) => this.onLinkState(s, info),
        onReady: (m) => {
          this.outputRate = m.audio?.output?.sample_rate ?? 16000;
        },
        onEvent: (e) => this.onEvent(e),
        onReminder: (r) => this.hooks.onReminder(r),
        onAudio: (chunk) => this.onAudio(chunk),
      },
    });
    this.bindButton();
  }

  /** Whether reply audio can be heard: 'running' once a gesture unlocked it. */
  get audioState(): string {
    return this.ctx?.state ?? 'none';
  }

  /** The audio engine's rate: the microphone worklet resamples from it to 16 kHz. */
  get audioRate(): number {
    return this.ctx?.sampleRate ?? 0;
  }

  /** Opens (or reopens, with the current settings) the voice socket. */
  connect() {
    this.connected = true;
    this.link.open({ language: this.language, vad: this.mode === 'hands-free', outputRate: 16000 });
  }

  disconnect() {
    this.connected = false;
    this.abandonTalking();
    this.player?.stop();
    this.link.close();
    this.mic?.close();
    this.mic = null;
  }

  setMode(mode: Mode) {
    const changed = mode !== this.mode;
    this.mode = mode;
    byId('talk-hint').textContent = mode === 'ptt'
      ? 'Hold the button (or Space) while you speak and let go to send — or tap once to start and tap again to send.'
      : 'Tap once to start listening. Podd hears when you stop speaking and answers; speak over it to interrupt. Tap again to stop.';
    if (!changed) return;
    this.abandonTalking();
    // Voice activity detection is chosen in `start`, so a new mode needs a new session.
    if (this.connected) this.connect();
  }

  setLanguage(language: string) {
    if (language === this.language) return;
    this.language = language;
    if (this.connected) this.connect();
  }

  setVoiceProcessing(on: boolean) {
    this.voiceProcessing = on;
    // Constraints apply when the microphone opens: reopen it on the next press.
    this.abandonTalking();
    this.mic?.close();
    this.mic = null;
  }

  /** Creates or resumes audio output; call from a user gesture so the browser allows sound. */
  unlockAudio(): AudioContext {
    if (!this.ctx) {
      this.ctx = new AudioContext({ latencyHint: 'interactive' });
      this.player = new Player(this.ctx, (playing) => {
        this.debug.playing = playing;
        document.body.classList.toggle('podd-speaking', playing);
        if (!playing) this.gate.reset();
      });
    }
    if (this.ctx.state === 'suspended') void this.ctx.resume().catch(() => undefined);
    return this.ctx;
  }

  /** A typed turn over REST; if this server has no chat route, over the socket instead. */
  async typed(text: string): Promise<boolean> {
    if (this.player?.playing || this.turnActive) this.interrupt();
    this.turn.begin(null, 'typed');
    this.turn.heard(text, true);
    this.turn.note('chat', 'sent');
    const t0 = performance.now();
    try {
      const locale = this.language === 'auto' ? undefined : this.language;
      const res = await this.api.request<ChatReply>('POST', '/api/chat', { message: text, ...(locale ? { locale } : {}), ...(this.threadId ? { thread_id: this.threadId } : {}) });
      this.threadId = res.thread_id;
      this.turn.answered(res.route, res.reply);
      this.turn.note('reply', `${Math.round(performance.now() - t0)} ms`);
      this.debug.turns++;
      this.hooks.onTurnDone();
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.status === 404 && err.code === 'NOT_FOUND' && this.link.ready) {
        this.pendingTyped = text;
        this.link.sendJson({ type: 'text', text });
        return true;
      }
      this.turn.fail(err instanceof ApiError ? err.friendly : 'Something went wrong. Please try again.');
      return false;
    }
  }

  // ── the button ─────────────────────────────────────────────────────────

  private bindButton() {
    const b = this.button;
    let keyDown = false;
    b.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      b.setPointerCapture?.(e.pointerId);
      void this.press();
    });
    b.addEventListener('pointerup', () => void this.release());
    b.addEventListener('pointercancel', () => void this.release());
    b.addEventListener('keydown', (e) => {
      if (e.key !== ' ' && e.key !== 'Enter') return;
      e.preventDefault();
      if (e.repeat || keyDown) return;
      keyDown = true;
      void this.press();
    });
    b.addEventListener('keyup', (e) => {
      if (e.key !== ' ' && e.key !== 'Enter') return;
      e.preventDefault();
      keyDown = false;
      void this.release();
    });
    // Assistive technology activates with a bare click (no pointer or key events): a tap.
    b.addEventListener('click', (e) => {
      if (e.detail !== 0 || keyDown) return;
      void this.press().then(() => this.release());
    });
  }

  private async press() {
    this.unlockAudio();
    this.pressedAt = performance.now();
    if (this.mode === 'hands-free' || this.tapToggled) {
      // A toggle: this press stops what the previous tap started.
      if (this.talking) {
        this.tapToggled = false;
        return this.stopTalking();
      }
    }
    if (this.talking) return;
    await this.startTalking();
  }

  private async release() {
    if (!this.talking || this.mode === 'hands-free' || this.tapToggled) return;
    if (performance.now() - this.pressedAt < HOLD_MS) {
      this.tapToggled = true;
      this.label.textContent = 'Listening… tap to send';
      return;
    }
    await this.stopTalking();
  }

  private async startTalking() {
    if (!this.link.ready) {
      this.messages.alert('Not connected to Podd right now — reconnecting. You can type your message below meanwhile.');
      return;
    }
    if (this.player?.playing || this.turnActive) this.interrupt();
    this.talking = true;
    this.link.talking = true;
    this.render();
    const mic = await this.openMic();
    if (!mic || !this.talking) {
      this.abandonTalking();
      return;
    }
    this.messages.clearAlert();
    if (this.mode === 'ptt') for (const f of this.preRoll.splice(0)) this.send(f);
  }

  private async stopTalking() {
    if (!this.talking || this.stopping) return;
    this.stopping = true;
    try {
      if (this.mode === 'ptt') {
        // Frames still in the worklet belong to this utterance; they arrive before `flushed`.
        await this.mic?.flush();
        this.link.sendJson({ type: 'end' });
      } else if (this.utteranceOpen) {
        this.link.sendJson({ type: 'end' });
      }
    } finally {
      this.stopping = false;
      this.talking = false;
      this.link.talking = false;
      this.tapToggled = false;
      this.render();
    }
  }

  /** Stops listening without sending `end` (socket gone, settings changed). */
  private abandonTalking() {
    this.talking = false;
    this.tapToggled = false;
    this.link.talking = false;
    this.render();
  }

  private render() {
    this.button.setAttribute('aria-pressed', String(this.talking));
    this.button.classList.toggle('listening', this.talking);
    this.label.textContent = this.talking ? (this.mode === 'ptt' ? 'Listening… let go to send' : 'Listening… tap to stop') : 'Talk';
    if (!this.talking) this.meter.style.width = '0%';
  }

  private openMic(): Promise<Microphone | null> {
    if (this.mic?.live) return Promise.resolve(this.mic);
    this.mic?.close();
    this.mic = null;
    this.micOpening ??= Microphone.open(this.unlockAudio(), { voiceProcessing: this.voiceProcessing }, (pcm, dbfs) => this.onFrame(pcm, dbfs))
      .then((m) => (this.mic = m))
      .catch((err: unknown) => {
        this.messages.alert(err instanceof MicError ? err.message : 'The microphone could not start. Press Talk to try again, or type below.');
        byId('talk-panel').dataset.mic = err instanceof MicError ? err.problem : 'failed';
        return null;
      })
      .finally(() => {
        this.micOpening = null;
      });
    return this.micOpening;
  }

  private onFrame(pcm: ArrayBuffer, dbfs: number) {
    if (this.talking) {
      this.meter.style.width = `${Math.max(0, Math.min(100, ((dbfs + 60) / 60) * 100))}%`;
      // Speaking over a reply with loudspeakers needs echo cancellation, or Podd hears itself.
      if (this.mode === 'hands-free' && this.voiceProcessing && this.player?.playing && this.gate.push(dbfs)) this.interrupt();
      this.send(pcm);
    } else if (this.mode === 'ptt') {
      this.preRoll.push(pcm);
      if (this.preRoll.length > PRE_ROLL_FRAMES) this.preRoll.shift();
    }
  }

  private send(pcm: ArrayBuffer) {
    if (this.link.sendAudio(pcm)) this.debug.framesSent++;
  }

  /** Barge-in: the server stops the reply; locally, silence now rather than after a round trip. */
  private interrupt() {
    this.link.sendJson({ type: 'interrupt' });
    this.player?.stop();
  }

  // ── the socket ─────────────────────────────────────────────────────────

  private onLinkState(state: LinkState, info: { attempt: number; midTurn: boolean }) {
    this.debug.linkState = state;
    byId('talk-panel').dataset.link = state;
    if (state === 'ready') {
      this.linkText.textContent = 'Connected';
      if (this.droppedMidTurn) {
        this.droppedMidTurn = false;
        this.messages.alert('Reconnected. Please say that again.', 'info');
      }
      return;
    }
    if (state === 'connecting') this.linkText.textContent = 'Connecting…';
    else if (state === 'closed') this.linkText.textContent = 'Not connected';
    else {
      this.linkText.textContent = `Connection lost — reconnecting${info.attempt > 1 ? ` (attempt ${info.attempt})` : ''}…`;
      if (info.midTurn) {
        this.debug.drops++;
        this.droppedMidTurn = true;
        this.abandonTalking();
        this.player?.stop();
        this.turnActive = false;
        this.utteranceOpen = false;
        this.turn.fail('The connection dropped in the middle of this turn.');
        this.messages.alert('The connection to Podd dropped in the middle of your turn. Reconnecting…');
      }
    }
  }

  private onEvent(ev: TurnEvent) {
    const side = ev.turn_id?.startsWith('reminder-') || ev.turn_id?.startsWith('announce-');
    if (ev.event === 'tts-end' && ev.data.interrupted) this.player?.stop();
    if (side) return;
    switch (ev.event) {
      case 'run-start':
        this.turnActive = true;
        this.currentTurn = ev.turn_id;
        this.turn.begin(ev.turn_id, this.pendingTyped ? 'typed' : 'voice');
        if (this.pendingTyped) this.turn.heard(this.pendingTyped, true);
        this.pendingTyped = null;
        break;
      case 'vad-start':
        this.utteranceOpen = true;
        break;
      case 'vad-end':
        this.utteranceOpen = false;
        break;
      case 'stt-partial':
        this.turn.heard(String(ev.data.text ?? ''), false);
        break;
      case 'stt-end':
        this.turn.heard(String(ev.data.text ?? ''), true);
        break;
      case 'intent-end':
        this.turn.answered(String(ev.data.route ?? ''), String(ev.data.text ?? ''));
        break;
      case 'error':
        if (ev.turn_id === null) this.messages.alert(`Podd could not use that: ${String(ev.data.message ?? 'unknown problem')}`);
        else this.turn.fail(String(ev.data.message ?? 'Something went wrong.'));
        break;
      case 'run-end':
        if (ev.turn_id === this.currentTurn) this.turnActive = false;
        this.debug.turns++;
        this.hooks.onTurnDone();
        break;
    }
    this.turn.event(ev);
  }

  private onAudio(chunk: ArrayBuffer) {
    if (!this.player) this.unlockAudio();
    if (this.ctx?.state === 'suspended') this.messages.info('Podd is speaking — tap anywhere on the page to hear it.');
    this.player!.play(chunk, this.outputRate);
    this.debug.audioChunks++;
    this.debug.firstAudioAt ??= performance.now();
  }
}
