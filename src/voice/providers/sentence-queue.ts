/**
 * The stream side shared by TTS providers that speak a reply one sentence at a time, in order:
 * sentences queue up as the reply is written, one is synthesised while the earlier ones play,
 * and `done` follows the last once the reply is flushed. A provider supplies how to clean a
 * sentence, how to speak one, and what to stop when the stream closes.
 */
import { EventQueue } from './event-queue.js';
import type { ProviderErrorInfo, TtsEvent, TtsStream } from './types.js';

/** Closes on abort, at once if the signal already fired. */
export function closeOnAbort(signal: AbortSignal | undefined, close: () => void): void {
  if (signal?.aborted) close();
  else signal?.addEventListener('abort', close, { once: true });
}

export abstract class SentenceQueueStream implements TtsStream {
  protected readonly events = new EventQueue<TtsEvent>();
  private readonly queue: string[] = [];
  private flushed = false;
  private running = false;
  protected closed = false;

  /** The text worth sending for one sentence; empty when there is nothing to say. */
  protected abstract clean(sentence: string): string;
  /** Synthesises one sentence, pushing its audio; returns early once `closed`. */
  protected abstract speak(text: string): Promise<void>;
  /** After the last sentence, before `done`: audio still held back (a resampler's tail). */
  protected abstract finishAudio(): Promise<void> | void;
  /** Stops what is in flight and frees what the stream holds. */
  protected abstract stop(): void;
  protected abstract errorInfo(err: unknown): ProviderErrorInfo;

  pushText(sentence: string): void {
    if (this.closed || this.flushed) return;
    const text = this.clean(sentence);
    if (!text) return;
    this.queue.push(text);
    void this.pump();
  }

  flush(): void {
    if (this.closed || this.flushed) return;
    this.flushed = true;
    void this.pump();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.stop();
    this.events.clear();
  }

  [Symbol.asyncIterator](): AsyncIterator<TtsEvent> {
    return this.events[Symbol.asyncIterator]();
  }

  /** Reports the failure as the stream's last event; what was queued is not spoken. */
  protected fail(err: unknown): void {
    this.events.push({ type: 'error', error: this.errorInfo(err) });
    this.events.end();
    this.closed = true;
    this.stop();
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (!this.closed && this.queue.length > 0) await this.speak(this.queue.shift()!);
      if (!this.closed && this.flushed && this.queue.length === 0) {
        const finishing = this.finishAudio();
        if (finishing) await finishing;
        this.events.push({ type: 'done' });
        this.events.end();
      }
    } catch (err) {
      if (!this.closed) this.fail(err);
    } finally {
      this.running = false;
    }
  }
}
