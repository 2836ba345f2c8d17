/**
 * The voice socket (WIRE.md §1) from the browser: authenticates with the `bearer.<jwt>`
 * subprotocol, sends `start`, and stays connected: a drop is reconnected with backoff, with a fresh
 * token (an expired one is refused at the upgrade, which a browser only sees as a failed open).
 */

export type TurnEventName = 'run-start' | 'vad-start' | 'vad-end' | 'stt-partial' | 'stt-end' | 'intent-start' | 'intent-end' | 'tts-start' | 'tts-end' | 'run-end' | 'error';

export interface TurnEvent {
  type: 'event';
  event: TurnEventName;
  turn_id: string | null;
  t_ms: number;
  data: Record<string, unknown>;
}

export interface ReminderMessage {
  type: 'reminder';
  notification_id: string;
  title: string;
  message: string;
}

export interface ReadyMessage {
  type: 'ready';
  session_id: string;
  language?: string;
  audio: { output: { encoding: string; sample_rate: number } };
}

export interface StartOptions {
  language: string;
  vad: boolean;
  outputRate: 16000 | 24000 | 48000;
}

export type LinkState = 'connecting' | 'ready' | 'reconnecting' | 'closed';

export interface LinkHandlers {
  onState(state: LinkState, info: { attempt: number; midTurn: boolean }): void;
  onReady(msg: ReadyMessage): void;
  onEvent(ev: TurnEvent): void;
  onReminder(msg: ReminderMessage): void;
  onAudio(chunk: ArrayBuffer): void;
}

export interface LinkOptions {
  url: string;
  /** A current access token (refreshed by the caller when near expiry). */
  token: () => Promise<string>;
  /** Forces a refresh after the server refused the upgrade or closed for policy. */
  refresh: () => Promise<void>;
  handlers: LinkHandlers;
}

const BACKOFF_MS = [250, 1000, 2000, 4000, 8000];
const PING_MS = 60_000;
const POLICY = 1008;

export class VoiceLink {
  private ws: WebSocket | null = null;
  private start: StartOptions | null = null;
  private wanted = false;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private turnOpen = false;
  /** The page is streaming an utterance: a drop now loses it. */
  talking = false;
  ready = false;

  constructor(private readonly opts: LinkOptions) {}

  /** Connects (or reconnects with new settings); keeps reconnecting until `close()`. */
  open(start: StartOptions) {
    this.start = start;
    this.wanted = true;
    this.attempt = 0;
    this.teardown();
    void this.connect(false);
  }

  close() {
    this.wanted = false;
    this.teardown();
    this.opts.handlers.onState('closed', { attempt: 0, midTurn: false });
  }

  sendJson(msg: object): boolean {
    if (!this.ready || this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(msg));
    return true;
  }

  sendAudio(pcm: ArrayBuffer): boolean {
    if (!this.ready || this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(pcm);
    return true;
  }

  private teardown() {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.retryTimer = this.pingTimer = null;
    const ws = this.ws;
    this.ws = null;
    this.ready = false;
    this.turnOpen = false;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(1000, 'client closed');
    }
  }

  private async connect(forceRefresh: boolean) {
    const start = this.start!;
    this.opts.handlers.onState(this.attempt === 0 ? 'connecting' : 'reconnecting', { attempt: this.attempt, midTurn: false });
    let token: string;
    try {
      if (forceRefresh) await this.opts.refresh();
      token = await this.opts.token();
    } catch {
      // Signed out (the page shows sign-in) or the network is down (try again later).
      if (this.wanted) this.scheduleRetry(false);
      return;
    }
    if (!this.wanted) return;
    const ws = new WebSocket(this.opts.url, ['podd.v1', `bearer.${token}`]);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      ws.send(JSON.stringify({ type: 'start', audio: { encoding: 'pcm_s16le', sample_rate: 16000, channels: 1 }, output: { encoding: 'pcm_s16le', sample_rate: start.outputRate }, language: start.language, vad: start.vad }));
    };
    ws.onmessage = (ev: MessageEvent) => {
      if (ev.data instanceof ArrayBuffer) return this.opts.handlers.onAudio(ev.data);
      let msg: { type?: string };
      try {
        msg = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      if (msg.type === 'ready') {
        this.ready = true;
        this.attempt = 0;
        this.pingTimer = setInterval(() => this.sendJson({ type: 'ping' }), PING_MS);
        this.opts.handlers.onState('ready', { attempt: 0, midTurn: false });
        this.opts.handlers.onReady(msg as ReadyMessage);
      } else if (msg.type === 'event') {
        const e = msg as TurnEvent;
        if (e.event === 'run-start') this.turnOpen = true;
        if (e.event === 'run-end') this.turnOpen = false;
        this.opts.handlers.onEvent(e);
      } else if (msg.type === 'reminder') this.opts.handlers.onReminder(msg as ReminderMessage);
    };
    ws.onclose = (ev: CloseEvent) => {
      if (this.ws !== ws) return;
      const midTurn = this.turnOpen || this.talking;
      this.ws = null;
      this.ready = false;
      this.turnOpen = false;
      if (this.pingTimer) clearInterval(this.pingTimer);
      this.pingTimer = null;
      if (!this.wanted) return;
      this.opts.handlers.onState('reconnecting', { attempt: this.attempt + 1, midTurn });
      // Never opened: most likely the token was refused at the upgrade. 1008: the server says so.
      this.scheduleRetry(!opened || ev.code === POLICY);
    };
  }

  private scheduleRetry(forceRefresh: boolean) {
    const delay = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)]!;
    this.attempt++;
    this.retryTimer = setTimeout(() => void this.connect(forceRefresh), delay);
  }
}
