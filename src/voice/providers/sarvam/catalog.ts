/**
 * Languages, models and speakers Sarvam accepts, per the `sarvamai` 1.1.10 SDK. Requests are checked
 * against these before any call, so a bad code is our 400, not a billed round trip.
 */
import { validationError } from '../../../errors.js';

/** Speech-to-text (saaras:v3/v4): 22 Indian languages plus English. `unknown` asks Sarvam to detect. */
export const SARVAM_STT_LANGUAGES = [
  'hi-IN', 'bn-IN', 'kn-IN', 'ml-IN', 'mr-IN', 'od-IN', 'pa-IN', 'ta-IN', 'te-IN', 'en-IN', 'gu-IN',
  'as-IN', 'ur-IN', 'ne-IN', 'kok-IN', 'ks-IN', 'sd-IN', 'sa-IN', 'sat-IN', 'mni-IN', 'brx-IN', 'mai-IN', 'doi-IN',
] as const;
export type SarvamSttLanguage = (typeof SARVAM_STT_LANGUAGES)[number];
export type SarvamSttLanguageOrDetect = SarvamSttLanguage | 'unknown';

/** Text-to-speech (bulbul): 10 Indian languages plus Indian English. */
export const SARVAM_TTS_LANGUAGES = ['bn-IN', 'en-IN', 'gu-IN', 'hi-IN', 'kn-IN', 'ml-IN', 'mr-IN', 'od-IN', 'pa-IN', 'ta-IN', 'te-IN'] as const;
export type SarvamTtsLanguage = (typeof SARVAM_TTS_LANGUAGES)[number];

/** saarika:v2.5 is kept for deployments pinned to it; the SDK's current models are saaras:v3/v4. */
export const SARVAM_STT_MODELS = ['saaras:v3', 'saaras:v4', 'saarika:v2.5'] as const;
export type SarvamSttModel = (typeof SARVAM_STT_MODELS)[number];
export const SARVAM_STT_TRANSLATE_MODELS = ['saaras:v2.5'] as const;
export type SarvamSttTranslateModel = (typeof SARVAM_STT_TRANSLATE_MODELS)[number];
export type SarvamSttMode = 'transcribe' | 'translate' | 'verbatim' | 'translit' | 'codemix';

export const SARVAM_TTS_MODELS = ['bulbul:v3', 'bulbul:v2'] as const;
export type SarvamTtsModel = (typeof SARVAM_TTS_MODELS)[number];

/** Per-request text limit of each TTS model (REST and each WS text message). */
export const SARVAM_TTS_MAX_CHARS: Record<SarvamTtsModel, number> = { 'bulbul:v3': 2500, 'bulbul:v2': 1500 };

export const SARVAM_TTS_SPEAKERS: Record<SarvamTtsModel, readonly string[]> = {
  'bulbul:v2': ['anushka', 'abhilash', 'manisha', 'vidya', 'arya', 'karun', 'hitesh'],
  'bulbul:v3': [
    'shubh', 'aditya', 'ritu', 'priya', 'neha', 'rahul', 'pooja', 'rohan', 'simran', 'kavya', 'amit', 'dev',
    'ishita', 'shreya', 'ratan', 'varun', 'manan', 'sumit', 'roopa', 'kabir', 'aayan', 'ashutosh', 'advait',
    'anand', 'tanya', 'tarun', 'sunny', 'mani', 'gokul', 'vijay', 'shruti', 'suhani', 'mohit', 'kavitha',
    'rehan', 'soham', 'rupali',
  ],
};
export const SARVAM_TTS_DEFAULT_SPEAKER: Record<SarvamTtsModel, string> = { 'bulbul:v3': 'shubh', 'bulbul:v2': 'anushka' };
export const SARVAM_TTS_PACE: Record<SarvamTtsModel, readonly [number, number]> = { 'bulbul:v3': [0.5, 2], 'bulbul:v2': [0.3, 3] };

export const SARVAM_TTS_REST_SAMPLE_RATES = [8000, 16000, 22050, 24000, 32000, 44100, 48000] as const;
export const SARVAM_TTS_STREAM_SAMPLE_RATES = [8000, 16000, 22050, 24000] as const;
export type SarvamTtsCodec = 'wav' | 'linear16' | 'mulaw' | 'alaw' | 'mp3' | 'opus' | 'flac' | 'aac';

export const SARVAM_STT_STREAM_SAMPLE_RATES = [8000, 16000] as const;

const has = (list: readonly string[], v: string) => list.includes(v);

export function isSarvamSttLanguage(code: string): code is SarvamSttLanguage {
  return has(SARVAM_STT_LANGUAGES, code);
}

export function isSarvamTtsLanguage(code: string): code is SarvamTtsLanguage {
  return has(SARVAM_TTS_LANGUAGES, code);
}

export function assertSttLanguage(code: string): asserts code is SarvamSttLanguageOrDetect {
  if (code !== 'unknown' && !isSarvamSttLanguage(code)) {
    throw validationError({ language: `unsupported speech-to-text language: expected unknown or one of ${SARVAM_STT_LANGUAGES.join(', ')}` });
  }
}

export function assertTtsLanguage(code: string): asserts code is SarvamTtsLanguage {
  if (!isSarvamTtsLanguage(code)) {
    throw validationError({ language: `unsupported text-to-speech language: expected one of ${SARVAM_TTS_LANGUAGES.join(', ')}` });
  }
}

function oneOf(field: string, value: string | number, allowed: readonly (string | number)[]): void {
  if (!allowed.includes(value)) throw validationError({ [field]: `must be one of ${allowed.join(', ')}` });
}

export function assertSttModel(model: string, translate: boolean): void {
  oneOf('model', model, translate ? SARVAM_STT_TRANSLATE_MODELS : SARVAM_STT_MODELS);
}

/** Checks a TTS voice request: model, speaker for that model, pace range and sample rate. */
export function assertTtsVoice(v: { model: string; speaker: string; pace?: number; sampleRate?: number }, streaming: boolean): void {
  oneOf('model', v.model, SARVAM_TTS_MODELS);
  const model = v.model as SarvamTtsModel;
  oneOf('speaker', v.speaker, SARVAM_TTS_SPEAKERS[model]);
  if (v.pace !== undefined) {
    const [lo, hi] = SARVAM_TTS_PACE[model];
    if (!(v.pace >= lo && v.pace <= hi)) throw validationError({ pace: `must be between ${lo} and ${hi} for ${model}` });
  }
  if (v.sampleRate !== undefined) {
    oneOf('sampleRate', v.sampleRate, streaming ? SARVAM_TTS_STREAM_SAMPLE_RATES : SARVAM_TTS_REST_SAMPLE_RATES);
  }
}

/** An STT request's model, defaulted (saaras:v3, or saaras:v2.5 when translating), after checking it and the language. */
export function checkSttRequest(opts: { languageCode?: string; translate?: boolean; model?: SarvamSttModel | SarvamSttTranslateModel }): {
  translate: boolean;
  model: SarvamSttModel | SarvamSttTranslateModel;
} {
  const translate = opts.translate ?? false;
  const model = opts.model ?? (translate ? 'saaras:v2.5' : 'saaras:v3');
  assertSttLanguage(opts.languageCode ?? 'unknown');
  assertSttModel(model, translate);
  return { translate, model };
}

/** A TTS request's model and speaker, defaulted (bulbul:v3 and its voice), after checking them with language, pace and rate. */
export function checkTtsRequest(
  opts: { languageCode: string; model?: SarvamTtsModel; speaker?: string; pace?: number },
  sampleRate: number | undefined,
  streaming: boolean,
): { model: SarvamTtsModel; speaker: string } {
  const model = opts.model ?? 'bulbul:v3';
  const speaker = opts.speaker ?? SARVAM_TTS_DEFAULT_SPEAKER[model] ?? '';
  assertTtsLanguage(opts.languageCode);
  assertTtsVoice({ model, speaker, pace: opts.pace, sampleRate }, streaming);
  return { model, speaker };
}
