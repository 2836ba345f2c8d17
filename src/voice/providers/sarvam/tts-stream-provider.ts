/**
 * Sarvam TTS over /text-to-speech/ws: one socket per reply, the config first, then each sentence
 * followed by a flush, so Sarvam starts on a sentence the moment it is queued (rather than
 * waiting to fill its buffer) and its `final` events mark sentence boundaries: after a failure
 * the fallback knows which sentences were already heard. Raw linear16 chunks are converted to
 * the session's rate as they arrive.
 */
import { Pcm16Decoder } from '../../audio/pcm16.js';
import { EventQueue } from '../event-queue.js';
import { ProviderError } from '../resilience.js';
import { closeOnAbort } from '../sentence-queue.js';
import type { TtsEvent, TtsStream, TtsStreamOptions } from '../types.js';
import { connectStream, infoOf, type SarvamCallDeps } from './call.js';
import { SARVAM_TTS_STREAM_SAMPLE_RATES, type SarvamTtsLanguage } from './catalog.js';
import { PcmOut } from './pcm-out.js';
import { ttsLanguageFor, type SarvamVoiceSettings } from './settings.js';
import { cleanText, SarvamRestTts } from './tts-rest-provider.js';
import { SarvamTtsStream, type TtsStreamEvent } from './tts-stream.js';
import type { StreamClosedEvent, StreamErrorEvent } from './ws-stream.js';

export interface StreamingTtsOptions {
  /** Keepalive ping period on the socket. Default 20 s. */
  pingIntervalMs?: number;
}

export class SarvamStreamingTts extends SarvamRestTts {
  override readonly name: string = 'sarvam-stream';
  pingIntervalMs = 20_000;

  override stream(opts: TtsStreamOptions): TtsStream {
    const language = ttsLanguageFor(opts.language);
    return new StreamingTtsStream(this.deps, this.settings, this.pingIntervalMs, (t) => this.split(t), language, opts);
  }
  // synthesize() of one whole text stays on REST.
}

type WsEvent = TtsStreamEvent | StreamErrorEvent | StreamClosedEvent;

class StreamingTtsStream implements TtsStream {
  private readonly events = new EventQueue<TtsEvent>();
  private readonly abort = new AbortController();
  private readonly out: PcmOut;
  private readonly decoder = new Pcm16Decoder();
  private readonly sarvamRate: number;
  private ws: SarvamTtsStream | undefined;
  private connecting = false;
  private pending: string[] = [];
  private flushed = false;
  private closed = false;
  private sent = 0;
  private stall: NodeJS.Timeout | undefined;
  /** Sentences whose `final` arrived: a fallback resumes after these. */
  sentencesDone = 0;

  constructor(
    private readonly deps: SarvamCallDeps,
    private readonly settings: SarvamVoiceSettings,
    private readonly pingIntervalMs: number,
    private readonly split: (text: string) => string[],
    private readonly language: SarvamTtsLanguage,
    opts: TtsStreamOptions,
  ) {
    const wanted = settings.tts.sampleRate ?? opts.sampleRate;
    this.sarvamRate = (SARVAM_TTS_STREAM_SAMPLE_RATES as readonly number[]).includes(wanted) ? wanted : 24000;
    this.out = new PcmOut(opts.sampleRate, (pcm) => this.events.push({ type: 'audio', pcm, sampleRate: opts.sampleRate }));
    closeOnAbort(opts.signal, () => this.close());
  }

  pushText(sentence: string): void {
    if (this.closed || this.flushed) return;
    const text = cleanText(sentence);
    if (!text) return;
    this.pending.push(text);
    if (this.ws) this.sendPending();
    else if (!this.connecting) this.connect();
  }

  flush(): void {
    if (this.closed || this.flushed) return;
    this.flushed = true;
    if (!this.ws && !this.connecting && this.pending.length === 0) void this.finish();
    else this.maybeDone();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.stall);
    this.abort.abort();
    this.pending = [];
    this.out.release();
    this.events.clear();
    void this.ws?.close();
    this.ws = undefined;
  }

  [Symbol.asyncIterator](): AsyncIterator<TtsEvent> {
    return this.events[Symbol.asyncIterator]();
  }

  private connect(): void {
    this.connecting = true;
    this.armStall();
    const s = this.settings;
    connectStream(this.deps, s, this.abort.signal, (conn) =>
      SarvamTtsStream.open({
        ...conn,
        languageCode: this.language,
        model: s.tts.model,
        speaker: s.tts.speaker,
        pace: s.tts.pace,
        sampleRate: this.sarvamRate as 8000 | 16000 | 22050 | 24000,
        codec: 'linear16',
        pingIntervalMs: this.pingIntervalMs,
      }),
    ).then(
      (ws) => {
        this.connecting = false;
        if (this.closed) return void ws.close();
        this.ws = ws;
        void this.read(ws);
        this.sendPending();
      },
      (err: unknown) => {
        this.connecting = false;
        this.fail(err);
      },
    );
  }

  private sendPending(): void {
    const ws = this.ws!;
    try {
      for (const sentence of this.pending) {
        for (const piece of this.split(sentence)) ws.sendText(piece);
        ws.flush();
        this.sent++;
      }
      this.pending = [];
      this.armStall();
    } catch (err) {
      this.fail(err);
    }
  }

  private async read(ws: SarvamTtsStream): Promise<void> {
    for await (const ev of ws as AsyncIterable<WsEvent>) {
      if (this.closed || ws !== this.ws) return;
      this.armStall();
      switch (ev.type) {
        case 'audio':
          void this.out.push(this.decoder.push(ev.audio), this.sarvamRate);
          break;
        case 'final':
          this.sentencesDone++;
          this.armStall();
          this.maybeDone();
          break;
        case 'error':
          return this.fail(ev.error);
        case 'closed':
          if (!this.closed) this.fail(new ProviderError('sarvam-tts stream closed before the reply was spoken', { retryable: true, code: 'unavailable' }));
          return;
      }
    }
  }

  private maybeDone(): void {
    if (this.flushed && this.pending.length === 0 && this.sentencesDone >= this.sent && !this.connecting) void this.finish();
  }

  private async finish(): Promise<void> {
    if (this.closed) return;
    clearTimeout(this.stall);
    const ws = this.ws;
    this.ws = undefined;
    await this.out.finish();
    if (this.closed) return;
    this.events.push({ type: 'done' });
    this.events.end();
    this.closed = true;
    await ws?.close();
  }

  /** A reply owed and nothing heard for timeoutMs: Sarvam is stuck, fail so a fallback can speak. */
  private armStall(): void {
    clearTimeout(this.stall);
    const owed = this.connecting || this.pending.length > 0 || this.sentencesDone < this.sent;
    if (this.closed || !owed) return;
    this.stall = setTimeout(
      () => this.fail(new ProviderError(`sarvam-tts sent nothing for ${this.settings.timeoutMs} ms`, { retryable: true, code: 'timeout' })),
      this.settings.timeoutMs,
    );
  }

  private fail(err: unknown): void {
    if (this.closed) return;
    clearTimeout(this.stall);
    this.events.push({ type: 'error', error: infoOf(err) });
    this.events.end();
    this.closed = true;
    this.abort.abort();
    this.out.release();
    const ws = this.ws;
    this.ws = undefined;
    void ws?.close();
  }
}
