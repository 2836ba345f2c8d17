/** Shared pieces of the Sarvam provider tests: settings, a recording log, event collection. */
import { sarvamResilience, sarvamVoiceSettings, SarvamKeyGate, type ProviderLog, type SarvamConfigInput } from '../../../../src/voice/providers/sarvam/index.js';
import type { ResilienceOptions } from '../../../../src/voice/providers/resilience.js';
import type { SttEvent, SttStream, TtsEvent, TtsStream } from '../../../../src/voice/providers/types.js';
import { chunksOf } from '../../../fakes/sarvam/index.js';

export function settingsFor(baseUrl: string, apiKey: string, extra: Partial<SarvamConfigInput> = {}) {
  return sarvamVoiceSettings({ baseUrl, apiKey, timeoutMs: 1_500, ...extra });
}

/** Fast retries so failure tests stay quick; every retry decision recorded. */
export function depsFor(service: 'sarvam-stt' | 'sarvam-tts', log: ProviderLog = new RecordingLog(), opts: Partial<ResilienceOptions> = {}) {
  const retries: Array<{ attempt: number; delayMs: number; status?: number }> = [];
  const resilience = sarvamResilience(service, opts.timeoutMs ?? 1_500, { baseDelayMs: 5, maxDelayMs: 20, onRetry: (r) => retries.push(r), ...opts });
  return { gate: new SarvamKeyGate(log), resilience, retries };
}

export class RecordingLog implements ProviderLog {
  readonly lines: Array<{ level: 'warn' | 'info'; obj: object; msg: string }> = [];
  warn(obj: object, msg: string): void {
    this.lines.push({ level: 'warn', obj, msg });
  }
  info(obj: object, msg: string): void {
    this.lines.push({ level: 'info', obj, msg });
  }
  text(): string {
    return JSON.stringify(this.lines);
  }
}

/** PCM bytes as 20 ms Int16Array frames, copied so alignment never matters. */
export function framesOf(pcm: Buffer, ms = 20): Int16Array[] {
  return chunksOf(pcm, ms).map((c) => {
    const out = new Int16Array(c.length >> 1);
    for (let i = 0; i < out.length; i++) out[i] = c.readInt16LE(i * 2);
    return out;
  });
}

export function int16(pcm: Buffer): Int16Array {
  return framesOf(pcm, 1_000_000)[0] ?? new Int16Array(0);
}

/** Reads every event of a stream into an array, live. */
export function collect<E>(stream: AsyncIterable<E>): { events: E[]; done: Promise<void> } {
  const events: E[] = [];
  const done = (async () => {
    for await (const e of stream) events.push(e);
  })();
  return { events, done };
}

/** Pushes one utterance and ends it; resolves when end() does. */
export async function speak(stream: SttStream, pcm: Buffer): Promise<void> {
  for (const f of framesOf(pcm)) stream.push(f);
  await stream.end();
}

export const finals = (events: SttEvent[]) => events.filter((e): e is Extract<SttEvent, { type: 'final' }> => e.type === 'final');

export function audioSamples(events: TtsEvent[]): number {
  return events.reduce((n, e) => n + (e.type === 'audio' ? e.pcm.length : 0), 0);
}

/** Speaks a reply through a TTS stream and gathers everything it emitted. */
export async function say(stream: TtsStream, sentences: string[]): Promise<TtsEvent[]> {
  const { events, done } = collect(stream);
  for (const s of sentences) stream.pushText(s);
  stream.flush();
  await done;
  return events;
}

/** Samples of the fake's stand-in speech for a text: max(200 ms, 60 ms per character). */
export function fakeSpeechSamples(text: string, rate: number): number {
  const ms = Math.max(200, Array.from(text).length * 60);
  return Math.round((ms * rate) / 1000);
}
