/**
 * Config picks the speech providers; the pipeline only sees the contracts in types.ts. A cloud
 * provider always comes wrapped in the local fallback.
 */
import type { Config } from '../../config.js';
import { createLogger } from '../../logger.js';
import { FallbackStt, FallbackTts, type FallbackOptions } from './fallback.js';
import type { ResilienceOptions } from './resilience.js';
import { sarvamResilience, SarvamKeyGate, type ProviderLog } from './sarvam/call.js';
import { sarvamVoiceSettings, type SarvamConfigInput } from './sarvam/settings.js';
import { SarvamRestStt } from './sarvam/stt-rest-provider.js';
import { SarvamStreamingStt } from './sarvam/stt-stream-provider.js';
import { SarvamRestTts } from './sarvam/tts-rest-provider.js';
import { SarvamStreamingTts } from './sarvam/tts-stream-provider.js';
import { PocketsphinxStt, type PocketsphinxOptions } from './stt/pocketsphinx.js';
import { LocalTts, type LocalTtsOptions } from './tts/local.js';
import type { SttProvider, TtsProvider } from './types.js';

export type { SttProvider, TtsProvider, SttStream, TtsStream, SttEvent, TtsEvent } from './types.js';
export { ProviderError, Resilience, CircuitOpenError, parseRetryAfter } from './resilience.js';
export { SpeechAssetsMissing } from './speech-assets.js';
export { speechApology, FallbackStt, FallbackTts } from './fallback.js';
export { SarvamSettingsError } from './sarvam/settings.js';

export interface ProviderConfig {
  stt: Config['stt'];
  tts: Config['tts'];
  sarvam?: SarvamConfigInput;
  logLevel?: string;
}

export interface ProviderDeps {
  /** Where provider state changes go (a rejected key, an outage, a recovery). Default: a stdout logger. */
  log?: ProviderLog;
  /** The fallback behind a cloud provider; default the local provider built from the local options. */
  localStt?: () => SttProvider;
  localTts?: () => TtsProvider;
  fallback?: Omit<FallbackOptions, 'log' | 'quiet'>;
  /** Retry/breaker tuning (tests, benchmarks). */
  resilience?: Partial<ResilienceOptions>;
}

/** STT and TTS share the key, so they share what is known about it. */
const gates = new WeakMap<object, SarvamKeyGate>();

function gateFor(sarvam: SarvamConfigInput, log: ProviderLog): SarvamKeyGate {
  let gate = gates.get(sarvam);
  if (!gate) gates.set(sarvam, (gate = new SarvamKeyGate(log)));
  return gate;
}

function logOf(config: ProviderConfig, deps: ProviderDeps): ProviderLog {
  return deps.log ?? createLogger(config.logLevel ?? 'info').child({ component: 'speech' });
}

export function createSttProvider(config: Pick<ProviderConfig, 'stt'> & Partial<ProviderConfig>, local: PocketsphinxOptions = {}, deps: ProviderDeps = {}): SttProvider {
  switch (config.stt.provider) {
    case 'local':
      return new PocketsphinxStt(local);
    case 'sarvam': {
      if (!config.sarvam) throw new Error('Invalid configuration: SARVAM_API_KEY is required when a Sarvam provider is selected');
      const settings = sarvamVoiceSettings(config.sarvam);
      const log = logOf(config as ProviderConfig, deps);
      const gate = gateFor(config.sarvam, log);
      const resilience = sarvamResilience('sarvam-stt', settings.timeoutMs, deps.resilience);
      const cloud = settings.stt.mode === 'rest' ? new SarvamRestStt(settings, { gate, resilience }) : new SarvamStreamingStt(settings, { gate, resilience });
      return new FallbackStt(cloud, deps.localStt ?? (() => new PocketsphinxStt(local)), { ...deps.fallback, log, quiet: () => gate.rejected });
    }
  }
}

export function createTtsProvider(config: Pick<ProviderConfig, 'tts'> & Partial<ProviderConfig>, local: LocalTtsOptions = {}, deps: ProviderDeps = {}): TtsProvider {
  switch (config.tts.provider) {
    case 'local':
      return new LocalTts(local);
    case 'sarvam': {
      if (!config.sarvam) throw new Error('Invalid configuration: SARVAM_API_KEY is required when a Sarvam provider is selected');
      const settings = sarvamVoiceSettings(config.sarvam);
      const log = logOf(config as ProviderConfig, deps);
      const gate = gateFor(config.sarvam, log);
      const resilience = sarvamResilience('sarvam-tts', settings.timeoutMs, deps.resilience);
      const cloud = settings.tts.mode === 'rest' ? new SarvamRestTts(settings, { gate, resilience }) : new SarvamStreamingTts(settings, { gate, resilience });
      return new FallbackTts(cloud, deps.localTts ?? (() => new LocalTts(local)), { ...deps.fallback, log, quiet: () => gate.rejected });
    }
  }
}
