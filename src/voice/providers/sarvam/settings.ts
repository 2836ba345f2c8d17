/**
 * What the Sarvam speech providers are configured with, checked once at start-up, and how the
 * pipeline's language tags map onto Sarvam's codes. A bad setting stops the server at start
 * rather than failing every turn.
 */
import { isAppError, validationError } from '../../../errors.js';
import {
  assertSttModel,
  assertTtsVoice,
  isSarvamSttLanguage,
  isSarvamTtsLanguage,
  SARVAM_STT_LANGUAGES,
  SARVAM_TTS_DEFAULT_SPEAKER,
  SARVAM_TTS_LANGUAGES,
  type SarvamSttLanguage,
  type SarvamSttLanguageOrDetect,
  type SarvamSttModel,
  type SarvamSttTranslateModel,
  type SarvamTtsLanguage,
  type SarvamTtsModel,
} from './catalog.js';

/** The shape of `config.sarvam`: every field but baseUrl optional, so older configs still load. */
export interface SarvamConfigInput {
  apiKey?: string;
  baseUrl: string;
  /** `stream` (default): /speech-to-text/ws; `rest`: one POST per utterance after our endpointing. */
  sttMode?: 'stream' | 'rest';
  sttModel?: string;
  /** `unknown` (default) detects per utterance; `session` follows the session's language; or a fixed code. */
  sttLanguage?: string;
  /** Route on Sarvam's English translation (`/speech-to-text-translate`). */
  sttTranslate?: boolean;
  /** `stream` (default): /text-to-speech/ws; `rest`: one POST per sentence. */
  ttsMode?: 'stream' | 'rest';
  ttsModel?: string;
  ttsSpeaker?: string;
  ttsPace?: number;
  /** Rate asked of Sarvam; default: the session's output rate when Sarvam offers it. */
  ttsSampleRate?: number;
  /** Per request (REST) or per response wait (WebSocket). Default 5 s. */
  timeoutMs?: number;
}

export interface SarvamVoiceSettings {
  apiKey: string;
  baseUrl: string;
  stt: {
    mode: 'stream' | 'rest';
    model: SarvamSttModel | SarvamSttTranslateModel;
    language: 'session' | SarvamSttLanguageOrDetect;
    translate: boolean;
  };
  tts: {
    mode: 'stream' | 'rest';
    model: SarvamTtsModel;
    speaker: string;
    pace?: number;
    sampleRate?: number;
  };
  timeoutMs: number;
  connectTimeoutMs: number;
}

export class SarvamSettingsError extends Error {
  constructor(message: string) {
    super(`Invalid configuration: ${message}`);
    this.name = 'SarvamSettingsError';
  }
}

function detailOf(err: unknown): string {
  if (isAppError(err)) return Object.entries(err.details).map(([k, v]) => `${k} ${String(v)}`).join('; ');
  return err instanceof Error ? err.message : String(err);
}

/** Resolves defaults and validates the combination (speaker for model, pace range, translate model). */
export function sarvamVoiceSettings(input: SarvamConfigInput): SarvamVoiceSettings {
  if (!input.apiKey) throw new SarvamSettingsError('SARVAM_API_KEY is required when a Sarvam provider is selected');
  const translate = input.sttTranslate ?? false;
  const sttModel = (input.sttModel ?? (translate ? 'saaras:v2.5' : 'saaras:v3')) as SarvamSttModel | SarvamSttTranslateModel;
  const ttsModel = (input.ttsModel ?? 'bulbul:v3') as SarvamTtsModel;
  const speaker = input.ttsSpeaker ?? SARVAM_TTS_DEFAULT_SPEAKER[ttsModel] ?? '';
  const language = input.sttLanguage ?? 'unknown';
  try {
    assertSttModel(sttModel, translate);
  } catch (err) {
    throw new SarvamSettingsError(`SARVAM_STT_MODEL ${detailOf(err)}${translate ? ' (with SARVAM_STT_TRANSLATE=true)' : ''}`);
  }
  try {
    assertTtsVoice({ model: ttsModel, speaker, pace: input.ttsPace, sampleRate: input.ttsSampleRate }, (input.ttsMode ?? 'stream') === 'stream');
  } catch (err) {
    throw new SarvamSettingsError(`SARVAM_TTS_* ${detailOf(err)}`);
  }
  if (language !== 'session' && language !== 'unknown' && !isSarvamSttLanguage(language)) {
    throw new SarvamSettingsError(`SARVAM_STT_LANGUAGE must be unknown, session or one of ${SARVAM_STT_LANGUAGES.join(', ')}`);
  }
  return {
    apiKey: input.apiKey,
    baseUrl: input.baseUrl.replace(/\/+$/, ''),
    stt: { mode: input.sttMode ?? 'stream', model: sttModel, language: language as SarvamVoiceSettings['stt']['language'], translate },
    tts: { mode: input.ttsMode ?? 'stream', model: ttsModel, speaker, pace: input.ttsPace, sampleRate: input.ttsSampleRate },
    timeoutMs: input.timeoutMs ?? 5_000,
    connectTimeoutMs: Math.min(input.timeoutMs ?? 5_000, 5_000),
  };
}

/**
 * Our tags are BCP-47 (`en-US`, `hi-IN`); Sarvam serves India only, so any English becomes en-IN
 * and `hi`-anything hi-IN. Undefined when Sarvam has nothing for the language.
 */
function toSarvam<T extends string>(tag: string, supported: readonly T[]): T | undefined {
  if ((supported as readonly string[]).includes(tag)) return tag as T;
  const base = tag.split('-')[0]!.toLowerCase();
  return supported.find((code) => code.split('-')[0] === base);
}

/**
 * The language_code sent for a recognition request. The caller's language is checked even when
 * Sarvam is told to detect, so an unsupported one is a 400 before any call.
 */
export function sttLanguageFor(setting: SarvamVoiceSettings['stt']['language'], requested: string): SarvamSttLanguageOrDetect {
  const asked = requested === 'auto' || requested === 'unknown' ? 'unknown' : toSarvam<SarvamSttLanguage>(requested, SARVAM_STT_LANGUAGES);
  if (asked === undefined) {
    throw validationError({ language: `unsupported speech-to-text language: expected auto or one of ${SARVAM_STT_LANGUAGES.join(', ')}` });
  }
  return setting === 'session' ? asked : setting;
}

/** The target_language_code for synthesis; `auto` speaks Indian English. */
export function ttsLanguageFor(requested: string): SarvamTtsLanguage {
  const code = requested === 'auto' ? 'en-IN' : toSarvam<SarvamTtsLanguage>(requested, SARVAM_TTS_LANGUAGES);
  if (code === undefined || !isSarvamTtsLanguage(code)) {
    throw validationError({ language: `unsupported text-to-speech language: expected one of ${SARVAM_TTS_LANGUAGES.join(', ')}` });
  }
  return code;
}
