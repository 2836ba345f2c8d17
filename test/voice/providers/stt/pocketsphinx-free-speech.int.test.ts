/**
 * Free speech: the default recogniser interpolates the domain model with the pruned general
 * English one, so sentences outside the domain come back in their own words, and an utterance
 * can mix both. Those sentences are synthesised with flite at test time (the committed fixtures
 * are all in-domain); each is also run through the domain model alone, which must not produce
 * the general words, so they are known to come from the general model.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWav } from '../../../../src/voice/audio/wav.js';
import { locateSpeechAssets } from '../../../../src/voice/providers/speech-assets.js';
import { PocketsphinxStt } from '../../../../src/voice/providers/stt/pocketsphinx.js';

let assetsReady = true;
try {
  locateSpeechAssets();
} catch {
  assetsReady = false;
}
const haveFlite = spawnSync('flite', ['-lv']).status === 0;
if (!haveFlite) console.warn('[stt free-speech tests] skipped: flite is not installed');

/** `general`: words only the general model knows; `domain`: words the domain model must keep. */
const SENTENCES = [
  { text: 'what is the capital of france', general: ['capital', 'france'], domain: [] },
  { text: 'the weather is lovely today in the mountains', general: ['weather', 'lovely', 'mountains'], domain: [] },
  { text: 'can you recommend a good movie for tonight', general: ['recommend', 'movie'], domain: [] },
  { text: 'my daughter is getting married next month', general: ['married'], domain: [] },
  { text: "remind me to take metformin before my daughter's wedding", general: ['wedding'], domain: ['remind', 'metformin'] },
];

function synthesise(dir: string, text: string, i: number): Int16Array {
  const out = join(dir, `free-${i}.wav`);
  const r = spawnSync('flite', ['-voice', 'slt', '-t', text, '-o', out]);
  if (r.status !== 0) throw new Error('flite failed');
  const { pcm, sampleRate } = readWav(readFileSync(out));
  if (sampleRate !== 16000) throw new Error('flite slt is expected to speak at 16 kHz');
  // The same framing as the fixtures: 0.5 s before, 0.8 s after, so the decoder's VAD ends it.
  const padded = new Int16Array(8000 + pcm.length + 12800);
  padded.set(pcm, 8000);
  return padded;
}

describe.skipIf(!assetsReady || !haveFlite)('local STT free speech', () => {
  let dir: string;
  let audio: Int16Array[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'podd-stt-free-'));
    audio = SENTENCES.map((s, i) => synthesise(dir, s.text, i));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function transcribeAll(stt: PocketsphinxStt): Promise<string[][]> {
    try {
      const out: string[][] = [];
      for (const pcm of audio) out.push((await stt.transcribe(pcm, 'en-IN')).text.split(' '));
      return out;
    } finally {
      await stt.close();
    }
  }

  it('hears sentences outside the domain, and general words beside domain ones in one utterance', { timeout: 60_000 }, async () => {
    const heard = await transcribeAll(new PocketsphinxStt({ spares: 0 }));
    SENTENCES.forEach((s, i) => {
      for (const w of [...s.general, ...s.domain]) expect(heard[i], `"${s.text}" → "${heard[i]!.join(' ')}"`).toContain(w);
    });
  });

  it('the domain model alone forces the same sentences into domain words', { timeout: 60_000 }, async () => {
    const heard = await transcribeAll(new PocketsphinxStt({ spares: 0, freeSpeech: false }));
    SENTENCES.forEach((s, i) => {
      for (const w of s.general) expect(heard[i], `"${s.text}" → "${heard[i]!.join(' ')}"`).not.toContain(w);
    });
  });
});
