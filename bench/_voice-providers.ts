/**
 * Bench-only speech providers (never shipped in src/):
 * - NoopStt hears nothing and costs nothing, so the capacity ladder measures the pipeline
 *   itself (socket, input decoding, framing, VAD, session) rather than a recogniser.
 * - ReplayStt answers each utterance with the next fixture transcript on the next turn of the
 *   event loop (the soonest any real recogniser can: its final comes over a pipe or a socket), and ToneTts
 *   answers each reply with 200 ms of tone at once: the overhead run measures what lies between
 *   the final transcript and the first TTS request (graph + glue) over many turns quickly.
 */
import { EventQueue } from '../src/voice/providers/event-queue.js';
import type { SttEvent, SttProvider, SttStream, TtsEvent, TtsProvider, TtsStream } from '../src/voice/providers/types.js';

export class NoopStt implements SttProvider {
  readonly name = 'bench-noop';

  stream(): SttStream {
    const events = new EventQueue<SttEvent>();
    return {
      push: () => undefined,
      end: async () => undefined,
      close: () => events.end(),
      [Symbol.asyncIterator]: () => events[Symbol.asyncIterator](),
    };
  }

  transcribe = async () => ({ text: '', language: 'en-IN' });
  close = async () => undefined;
}

export class ReplayStt implements SttProvider {
  readonly name = 'bench-replay';
  private next = 0;

  /** Transcripts in the order the client speaks the fixtures (one client at a time). */
  constructor(private readonly transcripts: string[]) {}

  stream(): SttStream {
    const events = new EventQueue<SttEvent>();
    return {
      push: () => undefined,
      end: async () => {
        const text = this.transcripts[this.next++ % this.transcripts.length]!;
        await new Promise((r) => setImmediate(r));
        events.push({ type: 'final', text, language: 'en-IN' });
      },
      close: () => events.end(),
      [Symbol.asyncIterator]: () => events[Symbol.asyncIterator](),
    };
  }

  transcribe = async () => ({ text: '', language: 'en-IN' });
  close = async () => undefined;
}

export class ToneTts implements TtsProvider {
  readonly name = 'bench-tone';

  stream(o: { sampleRate: number }): TtsStream {
    const events = new EventQueue<TtsEvent>();
    let spoken = false;
    return {
      pushText: () => {
        if (spoken) return;
        spoken = true;
        const pcm = new Int16Array(o.sampleRate / 5);
        for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(2000 * Math.sin((2 * Math.PI * 440 * i) / o.sampleRate));
        events.push({ type: 'audio', pcm, sampleRate: o.sampleRate });
      },
      flush: () => (events.push({ type: 'done' }), events.end()),
      close: () => events.end(),
      [Symbol.asyncIterator]: () => events[Symbol.asyncIterator](),
    };
  }

  synthesize = async () => ({ pcm: new Int16Array(0), sampleRate: 16000 });
  close = async () => undefined;
}
