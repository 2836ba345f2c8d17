/**
 * One phone call: a provider's media stream bound to a VoiceSession. The stream is nobody's until
 * its `start` presents a valid call token; until then no audio is processed, and a `start`
 * without one closes the socket. After that the session does the conversation (VAD, STT,
 * assistant, TTS, barge-in) exactly as on the speaker; this class only translates: inbound
 * media → session audio, replies → provider packets, barge-in → the provider's clear, the end of
 * each reply → a mark, DTMF 0 / 9 → repeat / unread reminders.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import { bareId, type AnyItem, type HealthService } from '../health/service.js';
import type { AssistantPort } from '../../graphs/assistant/port.js';
import { CLOSE } from '../voice/protocol.js';
import type { SttProvider, TtsProvider } from '../voice/providers/types.js';
import type { VoiceSessions } from '../voice/registry.js';
import { VoiceSession, type SpokenTurn, type VoiceSessionOptions } from '../voice/session.js';
import { ReminderAnswers, type PendingDose } from './confirm.js';
import { Framer } from './framing.js';
import { Downsampler2x, Upsampler2x } from './halfband.js';
import { mulawDecode, mulawEncode } from '../voice/audio/mulaw.js';
import { phrase } from '../../prompts/phone.js';
import { langOf, LOCALE, type Lang } from '../../prompts/lang.js';
import { firstName } from './names.js';
import type { InboundEvent, StreamFormat, StreamProtocol } from './protocols.js';
import type { CallGrant, CallTokens } from './store.js';
import { isUnheard, spokenReminder, type ReminderDelivery } from '../reminders/delivery.js';

export interface CallDeps {
  health: HealthService;
  tokens: CallTokens;
  stt: SttProvider;
  tts: TtsProvider;
  assistant: AssistantPort;
  sessions: VoiceSessions;
  /** Marks reminders delivered once their audio has played; finds the unheard ones. */
  delivery: ReminderDelivery;
  /** The account name, when the profile has none (greeting by name). */
  accountName?: (userId: string) => string | undefined;
  defaultLanguage: string;
  session?: Partial<VoiceSessionOptions>;
  now?: () => number;
  /** How fast the provider is assumed to play audio (1 = real time; tests speed it up). */
  playoutSpeed?: number;
}

type Log = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error' | 'debug'>;

/** Largest decoded media payload accepted in one message (1 s of 16 kHz PCM16). */
const MAX_MEDIA_BYTES = 32_000;
/** A peer sending this many unusable messages is not a provider: close it. */
const MAX_BAD_MESSAGES = 50;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** Media messages kept while the session starts (2 s of 20 ms frames). */
const EARLY_LIMIT = 100;
/**
 * Providers play what we send in real time, so audio sent is not audio heard. The session is
 * told that unplayed audio beyond this lead is still "buffered": it then paces replies at the
 * speed they are played, stays `speaking` while the caller hears them, and barge-in works.
 */
const PLAYOUT_LEAD_MS = 400;

/** The session's audio always arrives in whole samples (its output stage encodes Int16 chunks). */
const pcm16 = (b: Buffer) => new Int16Array(b.buffer.slice(b.byteOffset, b.byteOffset + (b.byteLength & ~1)));
const int16Bytes = (a: Int16Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

export type CallState = 'awaiting-start' | 'starting' | 'live' | 'ended';

export class PhoneCall {
  state: CallState = 'awaiting-start';
  private streamId = '';
  private callId = '';
  private session?: VoiceSession;
  private grant?: CallGrant;
  private lang: Lang = 'en';
  private framer?: Framer;
  private format: StreamFormat = { encoding: 'mulaw', sampleRate: 8000 };
  /** 8 kHz streams: the session runs at 16 kHz PCM and this call converts both ways. */
  private up?: Upsampler2x;
  private down?: Downsampler2x;
  private bad = 0;
  private early: Array<Extract<InboundEvent, { kind: 'media' }>> = [];
  private readonly warned = new Set<string>();
  /** Marks sent and not yet reported played, with what to do once they are. */
  private readonly marks = new Map<string, (() => Promise<void>) | undefined>();
  private nextAnnouncement?: () => Promise<void>;
  /** What the caller heard last, for key 0. */
  private lastSpoken?: { text: string; language: string };
  private readonly now: () => number;
  /** When (performance.now()) the provider will have played everything sent so far. */
  private playoutEnd = 0;
  private bytesPerMs = 8;
  /** Counters for tests and diagnostics. */
  readonly stats = { media: 0, ignored: 0, marksSent: 0, marksPlayed: 0, clears: 0 };

  constructor(
    private readonly protocol: StreamProtocol,
    private readonly socket: WebSocket,
    private readonly deps: CallDeps,
    private readonly log: Log,
    /** Exotel may carry the token only in the stream URL's query; `start` still decides. */
    private readonly upgradeToken?: string,
  ) {
    this.now = deps.now ?? Date.now;
    socket.on('message', (data, isBinary) => this.onMessage(data as Buffer | ArrayBuffer | Buffer[], isBinary));
    socket.on('close', () => this.end('socket closed'));
    socket.on('error', (err) => this.log.warn({ err, provider: protocol.name, callId: this.callId }, 'telephony socket error'));
  }

  get sessionId(): string | undefined {
    return this.session?.id;
  }

  private onMessage(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
    if (this.state === 'ended') return;
    if (isBinary) return this.ignore('binary', 'binary frame');
    const raw = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    let msg: unknown;
    try {
      msg = JSON.parse(raw.toString('utf8'));
    } catch {
      return this.ignore('json', 'malformed JSON');
    }
    const ev = typeof msg === 'object' && msg !== null && !Array.isArray(msg) ? this.protocol.parse(msg as Record<string, unknown>) : null;
    if (!ev) return this.ignore('shape', 'malformed message');
    try {
      this.dispatch(ev);
    } catch (err) {
      // One bad message must not take the call (or the process) down.
      this.log.error({ err, provider: this.protocol.name, callId: this.callId }, 'telephony message failed');
    }
  }

  private dispatch(ev: InboundEvent): void {
    if (ev.kind === 'connected') return;
    if (ev.kind === 'start') return void this.start(ev).catch((err) => this.failStart(err));
    if (this.state === 'starting' && (ev.kind === 'media' || ev.kind === 'stop')) {
      // The session is being set up: keep the caller's first words rather than drop them.
      if (ev.kind === 'stop') return this.end('stop');
      if (this.early.length < EARLY_LIMIT) this.early.push(ev);
      return;
    }
    if (this.state !== 'live') return this.ignore('early', `${ev.kind} before start`);
    if ('streamId' in ev && ev.streamId !== undefined && ev.streamId !== this.streamId) return this.ignore('sid', 'stream id does not match');
    switch (ev.kind) {
      case 'media':
        return this.media(ev.payload, ev.track);
      case 'dtmf':
        return void this.digit(ev.digit);
      case 'mark':
        return void this.played(ev.name);
      case 'cleared':
        return;
      case 'stop':
        return this.end('stop');
      case 'other':
        return this.ignore(`event:${ev.event}`, 'unknown event');
    }
  }

  private ignore(kind: string, what: string): void {
    this.stats.ignored++;
    // One line per kind per call: a misbehaving peer cannot flood the log.
    if (!this.warned.has(kind)) {
      this.warned.add(kind);
      this.log.warn({ provider: this.protocol.name, callId: this.callId || undefined, what }, 'telephony message ignored');
    }
    if (++this.bad >= MAX_BAD_MESSAGES && this.state !== 'live') this.refuse('too many bad messages');
  }

  private refuse(reason: string): void {
    this.log.warn({ provider: this.protocol.name, callId: this.callId || undefined, reason }, 'telephony stream refused');
    this.state = 'ended';
    this.socket.close(CLOSE.policy, reason);
  }

  private async start(ev: Extract<InboundEvent, { kind: 'start' }>): Promise<void> {
    if (this.state !== 'awaiting-start') return this.ignore('restart', 'second start');
    this.callId = ev.callId;
    const format = this.protocol.format(ev.encoding, ev.sampleRate);
    if (!format) return this.refuse('unsupported media format');
    this.format = format;
    this.framer = new Framer(this.protocol.framing(format));
    if (format.sampleRate === 8000) {
      this.up = new Upsampler2x();
      this.down = new Downsampler2x();
    }
    const sessionAudio = { encoding: 'pcm_s16le' as const, sample_rate: 16000 as const };
    const bytesPerSample = format.encoding === 'mulaw' ? 1 : 2;
    this.bytesPerMs = (format.sampleRate / 1000) * bytesPerSample * (this.deps.playoutSpeed ?? 1);
    // Redeeming consumes the token: a replayed start (or a second stream) finds it used.
    const grant = this.deps.tokens.redeem(ev.token ?? this.upgradeToken);
    if (!grant) return this.refuse('call token refused');
    this.state = 'starting';
    this.grant = grant;
    this.streamId = ev.streamId;
    const user = this.deps.health.forUser(grant.userId);
    let profile: AnyItem | null = null;
    try {
      profile = (await user.get('profile', user.store.profileId)) as AnyItem | null;
    } catch (err) {
      this.log.warn({ err, callId: this.callId }, 'could not load the caller profile');
    }
    if (this.state !== 'starting') return; // hung up while loading
    const language = typeof profile?.preferred_language === 'string' ? profile.preferred_language : this.deps.defaultLanguage;
    this.lang = langOf(language);
    let accountName: string | undefined;
    try {
      accountName = profile?.name ? undefined : this.deps.accountName?.(grant.userId);
    } catch {
      // No account name: the greeting goes without one.
    }
    const name = firstName(profile?.name) ?? firstName(accountName);

    let assistant = this.deps.assistant;
    let reminderText: string | undefined;
    let reminderIds: string[] = [];
    if (grant.purpose === 'reminder') {
      const due = await this.reminderDoses(grant);
      reminderIds = due.map((d) => d.notificationId);
      reminderText = due.map((d) => d.message).join(' ');
      assistant = new ReminderAnswers(this.deps.assistant, this.deps.health, due.filter((d) => d.scheduleId), this.now);
    }
    if (this.state !== 'starting') return;

    const session = new VoiceSession({
      userId: grant.userId,
      stt: this.deps.stt,
      tts: this.deps.tts,
      assistant,
      language,
      log: this.log,
      channel: 'phone',
      // The call paces replies itself (its bufferedAmount counts unplayed audio), at the provider's playback speed.
      options: { highWaterBytes: PLAYOUT_LEAD_MS * this.bytesPerMs, playbackLeadMs: Infinity, ...this.deps.session },
      transport: {
        // The provider hears audio only: the session's events stay here.
        sendJson: () => undefined,
        sendAudio: (b) => this.sendAudio(b),
        bufferedAmount: () => this.socket.bufferedAmount + this.unplayedBytes(),
        close: (code, reason) => this.socket.close(code, reason),
        clearAudio: () => this.clearAudio(),
        audioDone: (turnId, turn) => this.audioDone(turnId, turn),
        speechStarted: () => this.speechStarted(),
      },
      onClose: (s) => this.deps.sessions.remove(s),
      onReply: (r) => {
        if (r.reply) this.lastSpoken = { text: r.reply, language: r.language };
      },
    });
    this.session = session;
    this.deps.sessions.add(session);
    this.state = 'live';
    this.log.info({ provider: this.protocol.name, callId: this.callId, sessionId: session.id, userId: grant.userId, purpose: grant.purpose }, 'phone call started');
    await session.begin({
      audio: { ...sessionAudio, channels: 1 },
      output: sessionAudio,
      language: language as never,
      vad: true,
    });
    for (const m of this.early) if (m.streamId === undefined || m.streamId === this.streamId) this.media(m.payload, m.track);
    this.early = [];

    if (grant.purpose === 'reminder' && reminderText) {
      const text = `${phrase(this.lang, 'reminder_intro', { name: name ?? '' })} ${reminderText} ${phrase(this.lang, 'reminder_question')}`;
      await this.announce(text, () => this.markDelivered(reminderIds));
    } else {
      const greeting = name ? phrase(this.lang, 'greeting', { name }) : phrase(this.lang, 'greeting_anonymous');
      const missed = await this.undelivered(grant.userId);
      void this.announce(greeting);
      // Queued behind the greeting; each is marked delivered once its audio has been played.
      for (const n of missed) session.deliverReminder(spokenReminder(n));
    }
  }

  private failStart(err: unknown): void {
    this.log.error({ err, provider: this.protocol.name, callId: this.callId }, 'phone call could not start');
    this.end('start failed');
  }

  private media(payload: string, track: string | undefined): void {
    if (track !== undefined && track !== 'inbound' && track !== 'inbound_track') return;
    if (payload.length === 0 || payload.length % 4 !== 0 || !BASE64.test(payload)) return this.ignore('base64', 'media payload is not base64');
    const bytes = Buffer.from(payload, 'base64');
    if (bytes.length > MAX_MEDIA_BYTES || (this.format.encoding === 'pcm_s16le' && bytes.length % 2 !== 0)) return this.ignore('size', 'media payload of the wrong size');
    this.stats.media++;
    this.session!.handleBinary(this.toSession(bytes));
  }

  private async digit(d: string): Promise<void> {
    const session = this.session!;
    if (d === '0') {
      session.stopSpeaking();
      const last = this.lastSpoken;
      await this.announce(last?.text ?? phrase(this.lang, 'nothing_to_repeat'), undefined, last?.language);
    } else if (d === '9') {
      session.stopSpeaking();
      await this.readUnread();
    }
  }

  private async readUnread(): Promise<void> {
    const user = this.deps.health.forUser(this.session!.userId);
    const page = await user.list('notification', { limit: 20, from: new Date(this.now() - 24 * 3600_000).toISOString() });
    const unread = (page.items as AnyItem[]).filter((n) => !n.read && !n.missed).slice(0, 5).reverse();
    if (unread.length === 0) return this.announce(phrase(this.lang, 'no_unread'));
    const head = unread.length === 1 ? phrase(this.lang, 'unread_one') : phrase(this.lang, 'unread_count', { count: unread.length });
    const text = [head, ...unread.map((n) => String(n.message ?? n.title))].join(' ');
    await this.announce(text, async () => {
      const at = new Date(this.now()).toISOString();
      for (const n of unread) await user.store.patch('notification', n.id, { read: true, read_at: at });
    });
  }

  /** Speaks a fixed text; `onPlayed` runs when the provider reports its mark played. */
  private async announce(text: string, onPlayed?: () => Promise<void>, language?: string): Promise<void> {
    const lang = language ?? LOCALE[this.lang];
    this.lastSpoken = { text, language: lang };
    this.nextAnnouncement = onPlayed;
    try {
      await this.session?.announce(text, { language: lang });
    } finally {
      this.nextAnnouncement = undefined;
    }
  }

  private unplayedBytes(): number {
    return Math.max(0, this.playoutEnd - performance.now()) * this.bytesPerMs;
  }

  private speechStarted(): void {
    // The caller speaks while the tail of a reply is still playing at the provider (the session
    // already considers it sent): drop it there too.
    if (this.unplayedBytes() > 0) this.clearAudio();
  }

  private send(msg: object): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(msg));
  }

  /** Provider audio → 16 kHz PCM16 for the session. */
  private toSession(bytes: Buffer): Buffer {
    if (!this.up) return bytes;
    const pcm = this.format.encoding === 'mulaw' ? mulawDecode(bytes) : pcm16(bytes);
    return int16Bytes(this.up.process(pcm));
  }

  /** Session audio (16 kHz PCM16) → the provider's encoding and rate. */
  private fromSession(bytes: Buffer): Buffer {
    if (!this.down) return bytes;
    const pcm = this.down.process(pcm16(bytes));
    if (this.format.encoding === 'pcm_s16le') return int16Bytes(pcm);
    const m = mulawEncode(pcm);
    return Buffer.from(m.buffer, m.byteOffset, m.byteLength);
  }

  private sendAudio(bytes: Buffer): void {
    for (const packet of this.framer!.push(this.fromSession(bytes))) this.sendPacket(packet);
  }

  private sendPacket(packet: Buffer): void {
    this.playoutEnd = Math.max(performance.now(), this.playoutEnd) + packet.length / this.bytesPerMs;
    this.send(this.protocol.media(this.streamId, packet, this.format));
  }

  private clearAudio(): void {
    this.framer?.reset();
    this.down?.reset();
    this.playoutEnd = 0;
    this.stats.clears++;
    // Marks of cleared audio may still be echoed back; they were not played.
    this.marks.clear();
    this.send(this.protocol.clear(this.streamId));
  }

  private audioDone(turnId: string, turn: SpokenTurn): void {
    for (const packet of this.framer?.flush() ?? []) this.sendPacket(packet);
    let action: (() => Promise<void>) | undefined;
    if (turn.kind === 'announcement') {
      action = this.nextAnnouncement;
      this.nextAnnouncement = undefined;
    } else if (turn.kind === 'reminder') {
      action = () => this.markDelivered([turn.notificationId]);
    }
    this.marks.set(turnId, action);
    this.stats.marksSent++;
    this.send(this.protocol.mark(this.streamId, turnId));
  }

  private async played(name: string): Promise<void> {
    if (!this.marks.has(name)) return;
    const action = this.marks.get(name);
    this.marks.delete(name);
    this.stats.marksPlayed++;
    try {
      await action?.();
    } catch (err) {
      this.log.warn({ err, callId: this.callId }, 'after-playback update failed');
    }
  }

  private markDelivered(ids: string[]): Promise<void> {
    return this.deps.delivery.markDelivered(this.grant!.userId, ids);
  }

  /** Recent reminders nobody has heard yet (a call is a device too). */
  private async undelivered(userId: string): Promise<AnyItem[]> {
    try {
      return await this.deps.delivery.unheard(userId);
    } catch (err) {
      this.log.warn({ err, callId: this.callId }, 'could not load unheard reminders');
      return [];
    }
  }

  /** The reminder this call was placed for, plus any other unheard one of the last hour. */
  private async reminderDoses(grant: CallGrant): Promise<Array<PendingDose & { message: string }>> {
    const user = this.deps.health.forUser(grant.userId);
    const page = await user.list('notification', { limit: 20, from: new Date(this.now() - 3600_000).toISOString() });
    const items = (page.items as AnyItem[]).filter((n) => n.id === grant.ref || isUnheard(n)).reverse();
    if (grant.ref && !items.some((n) => n.id === grant.ref)) {
      const own = (await user.get('notification', grant.ref)) as AnyItem | null;
      if (own) items.unshift(own);
    }
    const out: Array<PendingDose & { message: string }> = [];
    for (const n of items.slice(0, 3)) {
      const ref = typeof n.reference_id === 'string' && n.reference_id.startsWith('med_schedule:') ? n.reference_id : undefined;
      let medicationName: string | undefined;
      if (ref) {
        const schedule = (await user.get('med_schedule', bareId(ref))) as AnyItem | null;
        const medId = typeof schedule?.medication_id === 'string' ? bareId(schedule.medication_id) : undefined;
        const med = medId ? ((await user.get('medication', medId)) as AnyItem | null) : null;
        if (typeof med?.name === 'string') medicationName = med.name;
      }
      out.push({ notificationId: n.id, scheduleId: ref, medicationName, message: String(n.message ?? n.title) });
    }
    return out;
  }

  end(why: string): void {
    if (this.state === 'ended' && !this.session) return;
    const wasLive = this.state === 'live' || this.state === 'starting';
    this.state = 'ended';
    const session = this.session;
    this.session = undefined;
    session?.close();
    if (this.socket.readyState === this.socket.OPEN) this.socket.close(CLOSE.normal, 'call ended');
    if (wasLive) this.log.info({ provider: this.protocol.name, callId: this.callId, sessionId: session?.id, why, ...this.stats }, 'phone call ended');
  }
}
