import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readWav } from '../../../src/voice/audio/wav.js';

export const FIXTURE_DIR = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'audio');

export interface FixtureUtterance {
  file: string;
  text: string;
  spoken: string;
  transcript: string;
  route: string;
  keywords: string[];
  voice: string;
}

export function fixtureManifest(): FixtureUtterance[] {
  return (JSON.parse(readFileSync(join(FIXTURE_DIR, 'manifest.json'), 'utf8')) as { utterances: FixtureUtterance[] }).utterances;
}

export function fixturePcm(file: string): Int16Array {
  const { pcm, sampleRate } = readWav(readFileSync(join(FIXTURE_DIR, file)));
  if (sampleRate !== 16000) throw new Error(`${file} is not 16 kHz`);
  return pcm;
}
