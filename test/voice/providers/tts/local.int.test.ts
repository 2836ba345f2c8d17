import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { LocalTts, pickVoice } from '../../../../src/voice/providers/tts/local.js';
import type { TtsEvent } from '../../../../src/voice/providers/types.js';
import { rms } from '../../audio/signals.js';

const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const ready = have('espeak-ng') && have('flite');
if (!ready) console.warn('[tts tests] skipped: espeak-ng and flite are needed (npm run setup)');

async function collect(stream: AsyncIterable<TtsEvent>): Promise<TtsEvent[]> {
  const out: TtsEvent[] = [];
  for await (const e of stream) out.push(e);
  return out;
}

describe('voice choice', () => {
  it('sends English to flite, Hindi to espeak-ng, and honours an explicit voice', () => {
    expect(pickVoice('en-IN', undefined, 'flite')).toEqual({ engine: 'flite', name: 'slt' });
    expect(pickVoice('en-IN', undefined, 'espeak')).toEqual({ engine: 'espeak', name: 'en-in' });
    expect(pickVoice('hi-IN', undefined, 'flite')).toEqual({ engine: 'espeak', name: 'hi' });
    expect(pickVoice('en-IN', 'espeak:en-us+klatt', 'flite')).toEqual({ engine: 'espeak', name: 'en-us+klatt' });
    expect(pickVoice('en-IN', 'awb', 'flite')).toEqual({ engine: 'flite', name: 'awb' });
    expect(() => pickVoice('en-IN', 'espeak:$(reboot)', 'flite')).toThrow(/invalid voice/);
  });
});

describe.skipIf(!ready)('local TTS', () => {
  const tts = new LocalTts();

  for (const [language, text] of [
    ['en-IN', 'Your blood pressure is one forty over ninety.'],
    ['hi-IN', 'आपका रक्तचाप सामान्य है।'],
  ] as const) {
    for (const rate of [8000, 16000, 24000]) {
      it(`speaks ${language} at ${rate / 1000} kHz`, async () => {
        const { pcm, sampleRate } = await tts.synthesize(text, language, { sampleRate: rate });
        expect(sampleRate).toBe(rate);
        // Roughly 1–5 s of audible speech.
        expect(pcm.length / rate).toBeGreaterThan(1);
        expect(pcm.length / rate).toBeLessThan(6);
        expect(rms(pcm)).toBeGreaterThan(500);
      });
    }
  }

  it('streams sentences in order as audio chunks, then done', async () => {
    const s = tts.stream({ language: 'en-IN', sampleRate: 16000 });
    s.pushText('Good morning.');
    s.pushText('You walked for thirty minutes today, well done.');
    s.flush();
    const events = await collect(s);
    expect(events.at(-1)).toEqual({ type: 'done' });
    const audio = events.filter((e): e is Extract<TtsEvent, { type: 'audio' }> => e.type === 'audio');
    expect(audio.length).toBeGreaterThan(1);
    expect(audio.every((a) => a.sampleRate === 16000)).toBe(true);
    const seconds = audio.reduce((n, a) => n + a.pcm.length, 0) / 16000;
    expect(seconds).toBeGreaterThan(2.5); // both sentences, not just the first
  });

  it('stops producing audio as soon as it is closed (barge-in)', async () => {
    const s = tts.stream({ language: 'hi-IN', sampleRate: 16000 });
    s.pushText('यह एक बहुत लंबा वाक्य है जो बोलने में काफी समय लेगा और इसे बीच में रोक दिया जाएगा।'.repeat(3));
    s.pushText('This sentence must never be spoken.');
    s.flush();
    const events: TtsEvent[] = [];
    for await (const e of s) {
      events.push(e);
      if (e.type === 'audio') s.close();
    }
    expect(events.filter((e) => e.type === 'audio')).toHaveLength(1);
    expect(events.some((e) => e.type === 'done')).toBe(false);
  });

  it('is cancelled by its AbortSignal', async () => {
    const ac = new AbortController();
    const s = tts.stream({ language: 'en-IN', sampleRate: 8000, signal: ac.signal });
    s.pushText('A sentence that will be cut off.');
    s.flush();
    ac.abort();
    const events = await collect(s);
    expect(events.some((e) => e.type === 'done')).toBe(false);
  });

  it('refuses an unknown flite voice before starting anything', () => {
    // (espeak-ng itself falls back to its default voice for unknown names, exit status 0.)
    expect(() => tts.stream({ language: 'en-IN', voice: 'flite:nobody', sampleRate: 16000 })).toThrow(/unknown flite voice/);
  });

  it('finishes an empty reply with done and no audio', async () => {
    const s = tts.stream({ language: 'en-IN', sampleRate: 16000 });
    s.pushText('   ');
    s.flush();
    expect(await collect(s)).toEqual([{ type: 'done' }]);
  });
});
