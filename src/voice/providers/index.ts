/**
 * Config picks the speech providers; the pipeline only sees the contracts in types.ts.
 */
import type { Config } from '../../config.js';
import { PocketsphinxStt, type PocketsphinxOptions } from './stt/pocketsphinx.js';
import { LocalTts, type LocalTtsOptions } from './tts/local.js';
import type { SttProvider, TtsProvider } from './types.js';

export type { SttProvider, TtsProvider, SttStream, TtsStream, SttEvent, TtsEvent } from './types.js';
export { ProviderError, Resilience, CircuitOpenError, parseRetryAfter } from './resilience.js';
export { SpeechAssetsMissing } from './speech-assets.js';

export class ProviderNotImplemented extends Error {
  constructor(what: string) {
    super(`${what} is not implemented yet`);
    this.name = 'ProviderNotImplemented';
  }
}

export function createSttProvider(config: Pick<Config, 'stt'>, local: PocketsphinxOptions = {}): SttProvider {
  switch (config.stt.provider) {
    case 'local':
      return new PocketsphinxStt(local);
    case 'sarvam':
      throw new ProviderNotImplemented('the Sarvam STT provider');
  }
}

export function createTtsProvider(config: Pick<Config, 'tts'>, local: LocalTtsOptions = {}): TtsProvider {
  switch (config.tts.provider) {
    case 'local':
      return new LocalTts(local);
    case 'sarvam':
      throw new ProviderNotImplemented('the Sarvam TTS provider');
  }
}
