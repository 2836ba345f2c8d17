/**
 * Sarvam STT over /speech-to-text/ws. The socket opens on the first audio of an utterance (Sarvam
 * drops idle sockets after a minute, and a session can sit idle far longer), audio goes out
 * base64 as it arrives, and end() sends a flush and waits for the transcripts still owed.
 *
 * Sarvam's own VAD may also close a segment mid-utterance (END_SPEECH, then a transcript). We
 * count what is owed: one transcript per END_SPEECH, one per flush sent after fresh audio. The
 * segments of one of our utterances are joined into its single final; each one before that is
 * shown as a partial.
 */
import { ProviderError } from '../resilience.js';
import { EventQueue } from '../event-queue.js';
import { closeOnAbort } from '../sentence-queue.js';
import type { LanguageTag, SttEvent, SttStream, SttStreamOptions } from '../types.js';
import { connectStream, infoOf, type SarvamCallDeps } from './call.js';
import type { SarvamSttLanguageOrDetect } from './catalog.js';
import { sttLanguageFor, type SarvamVoiceSettings } from './settings.js';
import { SarvamRestStt } from './stt-rest-provider.js';
import { SarvamSttStream, type SttStreamEvent } from './stt-stream.js';
import type { StreamClosedEvent, StreamErrorEvent } from './ws-stream.js';

export class SarvamStreamingStt extends SarvamRestStt {
  override readonly name: string = 'sarvam-stream';

  override stream(opts: SttStreamOptions): SttStream {
    const language = sttLanguageFor(this.settings.stt.language, opts.language);
    return new StreamingSttStream(this.deps, this.settings, language, opts);
  }
  // transcribe() of a whole recording stays on REST: one request, no socket to hold.
}

type WsEvent = SttStreamEvent | StreamErrorEvent | StreamClosedEvent;

class StreamingSttStream implements SttStream {
  private readonly events = new EventQueue<SttEvent>();
  private readonly abort = new AbortController();
  private ws: SarvamSttStream | undefined;
  private connecting = false;
  private pending: Int16Array[] = [];
  private flushWanted = false;
  private closed = false;
  /** Transcripts owed by Sarvam and received, since the socket opened. */
  private owed = 0;
  private received = 0;
  private freshAudio = false;
  private ending = false;
  private flushOutstanding = false;
  private segments: string[] = [];
  private heardLanguage: string | undefined;
  private confidence: number | undefined;
  private waiter: (() => void) | undefined;

  constructor(
    private readonly deps: SarvamCallDeps,
    private readonly settings: SarvamVoiceSettings,
    private readonly language: SarvamSttLanguageOrDetect,
    private readonly opts: SttStreamOptions,
  ) {
    closeOnAbort(opts.signal, () => this.close());
  }

  push(frame: Int16Array): void {
    if (this.closed || frame.length === 0) return;
    this.freshAudio = true;
    if (this.ws) return this.send(() => this.ws!.sendAudio(bytesOf(frame)));
    this.pending.push(frame.slice());
    if (!this.connecting) this.connect();
  }

  async end(): Promise<void> {
    if (this.closed) return;
    this.ending = true;
    try {
      await this.finishUtterance();
    } finally {
      this.ending = false;
    }
  }

  private async finishUtterance(): Promise<void> {
    if (this.freshAudio) {
      this.freshAudio = false;
      this.owed++;
      this.flushOutstanding = true;
      if (this.ws) this.send(() => this.ws!.flush());
      else this.flushWanted = true;
    }
    if (this.received < this.owed && !this.closed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => this.fail(new ProviderError(`sarvam-stt gave no transcript within ${this.settings.timeoutMs} ms`, { retryable: true, code: 'timeout' })), this.settings.timeoutMs);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    if (this.closed) return;
    this.owed = this.received = 0;
    const text = this.segments.join(' ').trim();
    if (text) this.events.push({ type: 'final', text, language: this.heardLanguage ?? this.fallbackLanguage(), confidence: this.confidence });
    this.segments = [];
    this.confidence = undefined;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    this.pending = [];
    this.events.end();
    void this.ws?.close();
    this.ws = undefined;
    this.wake();
  }

  [Symbol.asyncIterator](): AsyncIterator<SttEvent> {
    return this.events[Symbol.asyncIterator]();
  }

  private fallbackLanguage(): LanguageTag {
    return this.language === 'unknown' ? this.opts.language : this.language;
  }

  private connect(): void {
    this.connecting = true;
    const s = this.settings;
    connectStream(this.deps, s, this.abort.signal, (conn) =>
      SarvamSttStream.open({
        ...conn,
        languageCode: this.language,
        model: s.stt.model,
        translate: s.stt.translate,
        sampleRate: 16000,
        inputAudioCodec: 'pcm_s16le',
        vadSignals: true,
      }),
    ).then(
      (ws) => {
        this.connecting = false;
        if (this.closed) return void ws.close();
        this.ws = ws;
        void this.read(ws);
        const frames = this.pending;
        this.pending = [];
        for (const f of frames) this.send(() => ws.sendAudio(bytesOf(f)));
        if (this.flushWanted) {
          this.flushWanted = false;
          this.send(() => ws.flush());
        }
      },
      (err: unknown) => {
        this.connecting = false;
        this.fail(err);
      },
    );
  }

  private send(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.fail(err);
    }
  }

  private async read(ws: SarvamSttStream): Promise<void> {
    for await (const ev of ws as AsyncIterable<WsEvent>) {
      if (this.closed || ws !== this.ws) return;
      this.onEvent(ev);
    }
  }

  private onEvent(ev: WsEvent): void {
    switch (ev.type) {
      case 'speech-start':
        this.events.push({ type: 'speech-start' });
        return;
      case 'speech-end':
        // With a flush in flight, the transcript Sarvam's VAD produces is the one the flush awaits.
        if (!this.flushOutstanding) this.owed++;
        // Sarvam has taken everything sent so far into that segment; a flush now would owe nothing.
        this.freshAudio = false;
        this.events.push({ type: 'speech-end' });
        return;
      case 'transcript': {
        this.received++;
        if (this.received >= this.owed) this.flushOutstanding = false;
        // More than was owed: the tail of an utterance already finalised. Its words cannot be
        // added to that final any more, and must not open the next one.
        if (this.received > this.owed) return;
        if (ev.text.trim()) {
          this.segments.push(ev.text.trim());
          if (ev.languageCode) this.heardLanguage = ev.languageCode;
          this.confidence = ev.languageProbability ?? this.confidence;
          if (!this.ending) this.events.push({ type: 'partial', text: this.segments.join(' ') });
        }
        if (this.received >= this.owed) this.wake();
        return;
      }
      case 'error':
        return this.fail(ev.error);
      case 'closed':
        this.ws = undefined;
        // Closed cleanly between utterances (Sarvam's idle timeout): reopen on the next audio.
        if (this.received < this.owed || this.freshAudio) this.fail(new ProviderError('sarvam-stt stream closed mid-utterance', { retryable: true, code: 'unavailable' }));
        else this.owed = this.received = 0;
        return;
    }
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  private fail(err: unknown): void {
    if (this.closed) return;
    this.events.push({ type: 'error', error: infoOf(err) });
    this.close();
  }
}

function bytesOf(frame: Int16Array): Uint8Array {
  // Every supported host is little-endian, as Sarvam's pcm_s16le expects.
  return new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength);
}
