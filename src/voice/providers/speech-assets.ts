/**
 * Where the local speech tools live: build/speech/ (made by scripts/build-speech.mjs at
 * `npm run setup`) and the Debian pocketsphinx model. Found by walking up from this module to
 * the package root, so it works from src/ under tsx and from dist/ alike.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SpeechAssets {
  dir: string;
  decoder: string;
  domainLm: string;
  domainDict: string;
  mergedDict: string;
  modelDir: string;
  acousticModel: string;
  /** The general English model pruned to its most likely words (build-speech.mjs), interpolated with the domain one. */
  generalLm: string;
}

export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'podd') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('package root not found');
    dir = up;
  }
}

export class SpeechAssetsMissing extends Error {
  constructor(missing: string) {
    super(`local speech assets missing (${missing}): run npm run setup, or node scripts/build-speech.mjs`);
    this.name = 'SpeechAssetsMissing';
  }
}

export function locateSpeechAssets(dir = join(packageRoot(), 'build', 'speech')): SpeechAssets {
  const manifest = join(dir, 'manifest.json');
  if (!existsSync(manifest)) throw new SpeechAssetsMissing('build/speech/manifest.json');
  const { modelDir } = JSON.parse(readFileSync(manifest, 'utf8')) as { modelDir: string };
  const a: SpeechAssets = {
    dir,
    decoder: join(dir, 'podd-stt'),
    domainLm: join(dir, 'domain.lm'),
    domainDict: join(dir, 'domain.dict'),
    mergedDict: join(dir, 'podd.dict'),
    modelDir,
    acousticModel: join(modelDir, 'en-us'),
    generalLm: join(dir, 'general.lm.bin'),
  };
  for (const p of [a.decoder, a.domainLm, a.domainDict, a.mergedDict, a.acousticModel, a.generalLm]) {
    if (!existsSync(p)) throw new SpeechAssetsMissing(p);
  }
  return a;
}
