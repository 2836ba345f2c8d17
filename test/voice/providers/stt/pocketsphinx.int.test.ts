import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWav } from '../../../../src/voice/audio/wav.js';
import { locateSpeechAssets } from '../../../../src/voice/providers/speech-assets.js';
import { PocketsphinxStt } from '../../../../src/voice/providers/stt/pocketsphinx.js';
import type { SttEvent, SttStream } from '../../../../src/voice/providers/types.js';
import { fixtureManifest, fixturePcm } from '../../audio/fixtures.js';
import { wordErrors } from './wer.js';

let assetsReady = true;
try {
  locateSpeechAssets();
} catch {
  assetsReady = false;
}
const TESTDATA = '/usr/share/pocketsphinx/test/data';
const haveTestdata = existsSync(join(TESTDATA, 'librivox', 'transcription'));
if (!assetsReady) console.warn('[stt tests] skipped: build/speech missing — run `node scripts/build-speech.mjs`');
if (!haveTestdata) console.warn('[stt tests] human-speech test skipped: Debian package pocketsphinx-testdata is not installed');

/** Streams audio in 20 ms frames as fast as the decoder takes it and collects the events. */
async function streamUtterance(stream: SttStream, pcm: Int16Array): Promise<SttEvent[]> {
  const events: SttEvent[] = [];
  const reading = (async () => {
    for await (const e of stream) events.push(e);
  })();
  for (let o = 0; o < pcm.length; o += 320) stream.push(pcm.subarray(o, o + 320));
  await stream.end();
  stream.close();
  await reading;
  return events;
}

async function inBatches<T, R>(items: T[], width: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += width) out.push(...(await Promise.all(items.slice(i, i + width).map(fn))));
  return out;
}

function checkFixtures(label: string, make: () => PocketsphinxStt, pick: (i: number) => boolean) {
  it(`${label}: transcribes fixtures streamed in 20 ms frames — partials, then one final with the key words`, { timeout: 60_000 }, async () => {
    const stt = make();
    const fixtures = fixtureManifest().filter((_, i) => pick(i));
    const results = await inBatches(fixtures, 2, async (u) => ({ u, events: await streamUtterance(stt.stream({ language: 'en-IN' }), fixturePcm(u.file)) }));
    await stt.close();
    let errors = 0;
    let words = 0;
    for (const { u, events } of results) {
      const types = events.map((e) => e.type);
      expect(types[0], u.file).toBe('speech-start');
      expect(types.filter((t) => t === 'partial').length, u.file).toBeGreaterThan(0);
      expect(types.indexOf('partial'), u.file).toBeLessThan(types.indexOf('final'));
      expect(types.at(-1), u.file).toBe('speech-end');
      const text = events.filter((e): e is Extract<SttEvent, { type: 'final' }> => e.type === 'final').map((e) => e.text).join(' ');
      for (const k of u.keywords) expect(text.split(' '), `${u.file}: "${text}"`).toContain(k);
      const w = wordErrors(u.transcript, text);
      errors += w.errors;
      words += w.words;
    }
    // Measured 0% (domain) and 2.2% (domain + general: "two" and "for" heard as "do" and "far",
    // a stray last word); a regression in the model or the decoder shows up here first.
    expect(errors / words).toBeLessThanOrEqual(0.05);
  });
}

describe.skipIf(!assetsReady)('local STT (pocketsphinx)', () => {
  // All fixtures through the domain model alone and through the default domain + general
  // model, which must keep every key word of the domain's phrases.
  checkFixtures('domain model', () => new PocketsphinxStt({ freeSpeech: false, spares: 0 }), () => true);
  checkFixtures('domain + general', () => new PocketsphinxStt({ spares: 0 }), () => true);
});

describe.skipIf(!assetsReady)('local STT streams', () => {
  let stt: PocketsphinxStt;
  beforeAll(() => {
    stt = new PocketsphinxStt({ spares: 1 });
  });
  afterAll(() => stt.close());

  it('hears speech outside the domain through the general model', async () => {
    const fixture = fixtureManifest()[0]!;
    // The librivox sentence is as far from Podd's phrases as speech gets.
    const text = haveTestdata
      ? (await stt.transcribe(readWav(readFileSync(join(TESTDATA, 'librivox', 'sense_and_sensibility_01_austen_64kb-0880.wav'))).pcm, 'en-IN')).text
      : (await stt.transcribe(fixturePcm(fixture.file), 'en-IN')).text;
    if (haveTestdata) expect(text).toMatch(/young man/);
    else expect(text.length).toBeGreaterThan(0);
  });

  it('ends an utterance on end() even without trailing silence (push-to-talk)', async () => {
    const u = fixtureManifest().find((f) => f.file === 'medication-metformin.wav')!;
    const pcm = fixturePcm(u.file);
    // Cut the trailing silence so the decoder's own VAD cannot end it.
    const events = await streamUtterance(stt.stream({ language: 'en-IN' }), pcm.subarray(0, pcm.length - 16000 * 0.8));
    const final = events.find((e) => e.type === 'final') as Extract<SttEvent, { type: 'final' }>;
    expect(final.text).toContain('metformin');
  });

  it('keeps one stream open across several utterances', async () => {
    const [a, b] = fixtureManifest().filter((f) => ['vitals-bp.wav', 'tracking-water.wav'].includes(f.file));
    const stream = stt.stream({ language: 'en-IN' });
    const events = await streamUtterance(stream, Int16Array.from([...fixturePcm(a!.file), ...fixturePcm(b!.file)]));
    const finals = events.filter((e): e is Extract<SttEvent, { type: 'final' }> => e.type === 'final').map((e) => e.text);
    expect(finals.length).toBeGreaterThanOrEqual(2);
    expect(finals.join(' ')).toContain('forty over ninety');
    expect(finals.join(' ')).toContain('glasses of water');
  });

  it('says nothing for silence', async () => {
    const events = await streamUtterance(stt.stream({ language: 'en-IN' }), new Int16Array(16000 * 2));
    expect(events).toEqual([]);
  });

  it('stops at once when its signal aborts, and kills the decoder', async () => {
    const ac = new AbortController();
    const stream = stt.stream({ language: 'en-IN', signal: ac.signal });
    const events: SttEvent[] = [];
    const reading = (async () => {
      for await (const e of stream) events.push(e);
    })();
    stream.push(fixturePcm(fixtureManifest()[0]!.file).subarray(0, 16000));
    ac.abort();
    await reading; // ends: the iterator finishes after abort
    await expect(stream.end()).resolves.toBeUndefined();
    stream.push(new Int16Array(320)); // ignored, no throw
    expect(events.some((e) => e.type === 'final')).toBe(false);
  });
});

describe.skipIf(!assetsReady || !haveTestdata)('local STT on human speech (Debian pocketsphinx-testdata)', () => {
  // A word-error-rate check, not a timing one: the decoder gets generous time on a busy machine.
  it('transcribes the librivox and cards recordings within the measured word error rate', { timeout: 180_000 }, async () => {
    const stt = new PocketsphinxStt({ spares: 0, flushTimeoutMs: 60_000 });
    const items: Array<{ path: string; ref: string }> = [];
    for (const dir of ['librivox', 'cards']) {
      const file = dir === 'librivox' ? 'transcription' : 'cards.transcription';
      for (const line of readFileSync(join(TESTDATA, dir, file), 'utf8').trim().split('\n')) {
        const m = /<s> (.*) <\/s> \((.*)\)/.exec(line)!;
        items.push({ path: join(TESTDATA, dir, `${m[2]}.wav`), ref: m[1]!.trim() });
      }
    }
    let errors = 0;
    let words = 0;
    const results = await inBatches(items, 2, async (it) => ({ it, text: (await stt.transcribe(readWav(readFileSync(it.path)).pcm, 'en-US')).text }));
    for (const { it, text } of results) {
      const w = wordErrors(it.ref, text);
      errors += w.errors;
      words += w.words;
    }
    await stt.close();
    // Measured 59% (the earlier pair of live decoders with the full general model: 58%; domain
    // alone: 90%). Podd's own phrases are what it must get right (fixtures above); this bounds
    // how badly free speech degrades.
    expect(errors / words).toBeLessThanOrEqual(0.7);
  });
});
