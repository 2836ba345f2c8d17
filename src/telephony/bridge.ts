/**
 * A provider's media stream as a voice session's transport. The bridge translates: inbound media
 * → session audio (μ-law or PCM, 8 kHz → 16 kHz), the session's audio → the provider's packets
 * (framed, paced at the speed the provider plays them), barge-in → the provider's clear, the end of
 * each turn → a mark. It keeps the caller's first words while the call is set up and closes a peer
 * that sends too much it cannot use. Who is calling and what is said is the call's business
 * (CallHandler: the call script); the bridge tells it what was sent and runs what it asked for
 * once the provider reports that audio played.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import { CLOSE } from '../voice/protocol.js';
import type { SpokenTurn, VoiceSession, VoiceSessionOptions, VoiceTransport } from '../voice/session.js';
import { mulawDecode, mulawEncode } from '../voice/audio/mulaw.js';
import { Framer } from './framing.js';
import { Downsampler2x, Upsampler2x } from './halfband.js';
import type { InboundEvent, ProviderName, StreamFormat, StreamProtocol } from './protocols.js';

export type Log = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error' | 'debug'>;

/** What the bridge hands the call to hold a conversation on. */
export interface CallLine {
  transport: VoiceTransport;
  /** Session options that pace replies at the provider's playback speed. */
  pacing: Pick<VoiceSessionOptions, 'highWaterBytes' | 'playbackLeadMs'>;
}

/** Runs once the provider reports a turn's audio played. */
export type AfterPlayed = () => Promise<void>;

/** The call a bridge carries: what it asks of it, in the order a call goes. */
export interface CallHandler {
  /** `start` arrived: redeem its call token (single use). false refuses the stream. */
  admit(start: { provider: ProviderName; callId: string; token: string | undefined }): boolean;
  /** The session on the bridge's line; undefined when the call ended while it was set up (`current` turned false). */
  open(line: CallLine, current: () => boolean): Promise<VoiceSession | undefined>;
  /** The session is started and has the caller's first words: greet, or speak the reminder. */
  opening(): Promise<void>;
  /** A key on the caller's keypad. */
  digit(digit: string): Promise<void>;
  /** All audio of a turn was sent: what to do once the provider reports it played. */
  sent(turn: SpokenTurn): AfterPlayed | undefined;
}

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
/** The session's audio, both ways: 16 kHz PCM16 (8 kHz streams are converted here). */
const SESSION_AUDIO = { encoding: 'pcm_s16le', sample_rate: 16000 } as const;

/** The session's audio always arrives in whole samples (its output stage encodes Int16 chunks). */
const pcm16 = (b: Buffer) => new Int16Array(b.buffer.slice(b.byteOffset, b.byteOffset + (b.byteLength & ~1)));
const int16Bytes = (a: Int16Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

export type CallState = 'awaiting-start' | 'starting' | 'live' | 'ended';

export class MediaBridge {
  state: CallState = 'awaiting-start';
  private streamId = '';
  private callId = '';
  private session?: VoiceSession;
  private framer?: Framer;
  private format: StreamFormat = { encoding: 'mulaw', sampleRate: 8000 };
  /** 8 kHz streams: the session runs at 16 kHz PCM and the bridge converts both ways. */
  private up?: Upsampler2x;
  private down?: Downsampler2x;
  private bad = 0;
  private early: Array<Extract<InboundEvent, { kind: 'media' }>> = [];
  private readonly warned = new Set<string>();
  /** Marks sent and not yet reported played, with what to do once they are. */
  private readonly marks = new Map<string, AfterPlayed | undefined>();
  /** When (performance.now()) the provider will have played everything sent so far. */
  private playoutEnd = 0;
  private bytesPerMs = 8;
  /** Counters for tests and diagnostics. */
  readonly stats = { media: 0, ignored: 0, marksSent: 0, marksPlayed: 0, clears: 0 };

  constructor(
    private readonly protocol: StreamProtocol,
    private readonly socket: WebSocket,
    private readonly call: CallHandler,
    private readonly log: Log,
    private readonly opts: {
      /** How fast the provider is assumed to play audio (1 = real time; tests speed it up). */
      playoutSpeed?: number;
      /** Exotel may carry the token only in the stream URL's query; `start` still decides. */
      upgradeToken?: string;
    } = {},
  ) {
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
        return void this.call.digit(ev.digit);
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
    const bytesPerSample = format.encoding === 'mulaw' ? 1 : 2;
    this.bytesPerMs = (format.sampleRate / 1000) * bytesPerSample * (this.opts.playoutSpeed ?? 1);
    if (!this.call.admit({ provider: this.protocol.name, callId: ev.callId, token: ev.token ?? this.opts.upgradeToken })) return this.refuse('call token refused');
    this.state = 'starting';
    this.streamId = ev.streamId;
    const session = await this.call.open(
      {
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
        // The bridge paces replies itself (its bufferedAmount counts unplayed audio), at the provider's playback speed.
        pacing: { highWaterBytes: PLAYOUT_LEAD_MS * this.bytesPerMs, playbackLeadMs: Infinity },
      },
      () => this.state === 'starting',
    );
    if (!session) return; // hung up while it was set up
    this.session = session;
    this.state = 'live';
    await session.begin({ audio: { ...SESSION_AUDIO, channels: 1 }, output: SESSION_AUDIO, vad: true });
    for (const m of this.early) if (m.streamId === undefined || m.streamId === this.streamId) this.media(m.payload, m.track);
    this.early = [];
    await this.call.opening();
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

  /** A turn's last audio went out: a mark named after the turn follows it. */
  private audioDone(turnId: string, turn: SpokenTurn): void {
    for (const packet of this.framer?.flush() ?? []) this.sendPacket(packet);
    this.marks.set(turnId, this.call.sent(turn));
    this.stats.marksSent++;
    this.send(this.protocol.mark(this.streamId, turnId));
  }

  private async played(name: string): Promise<void> {
    if (!this.marks.has(name)) return;
    const after = this.marks.get(name);
    this.marks.delete(name);
    this.stats.marksPlayed++;
    try {
      await after?.();
    } catch (err) {
      this.log.warn({ err, callId: this.callId }, 'after-playback update failed');
    }
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
