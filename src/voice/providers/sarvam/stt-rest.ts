/** Sarvam speech-to-text over REST: one utterance per call, after our own endpointing. */
import { validationError } from '../../../errors.js';
import {
  checkSttRequest,
  type SarvamSttLanguageOrDetect,
  type SarvamSttMode,
  type SarvamSttModel,
  type SarvamSttTranslateModel,
} from './catalog.js';
import { malformed, postJson, type SarvamConnection } from './http.js';

export interface SttRestOptions extends SarvamConnection {
  audio: Uint8Array;
  /** What `audio` holds: a WAV file, or raw 16 kHz 16-bit mono PCM (Sarvam takes PCM at 16 kHz only). */
  audioFormat?: 'wav' | 'pcm_s16le';
  /** `unknown` (default) lets Sarvam detect the language. Ignored by translate. */
  languageCode?: SarvamSttLanguageOrDetect;
  /** Default saaras:v3, or saaras:v2.5 when translating. */
  model?: SarvamSttModel | SarvamSttTranslateModel;
  mode?: SarvamSttMode;
  /** Use /speech-to-text-translate: the transcript comes back in English. */
  translate?: boolean;
  /** Context for the translate model. */
  prompt?: string;
}

export interface SttRestResult {
  requestId?: string;
  transcript: string;
  /** The spoken (source) language: detected when `unknown` was asked, else the one given. */
  languageCode?: string;
  languageProbability?: number;
}

export async function sttRest(opts: SttRestOptions): Promise<SttRestResult> {
  const language = opts.languageCode ?? 'unknown';
  if (opts.audio.byteLength === 0) throw validationError({ audio: 'must not be empty' });
  const { translate, model } = checkSttRequest(opts);

  const format = opts.audioFormat ?? 'wav';
  const form = new FormData();
  form.append(
    'file',
    new Blob([opts.audio], { type: format === 'wav' ? 'audio/wav' : 'application/octet-stream' }),
    format === 'wav' ? 'audio.wav' : 'audio.pcm',
  );
  form.append('model', model);
  if (!translate) form.append('language_code', language);
  if (!translate && opts.mode) form.append('mode', opts.mode);
  if (translate && opts.prompt) form.append('prompt', opts.prompt);
  form.append('input_audio_codec', format);

  const path = translate ? '/speech-to-text-translate' : '/speech-to-text';
  const body = (await postJson(opts, path, form)) as Record<string, unknown> | null;
  if (typeof body !== 'object' || body === null || typeof body.transcript !== 'string') throw malformed(path, 'a transcript');
  return {
    requestId: typeof body.request_id === 'string' ? body.request_id : undefined,
    transcript: body.transcript,
    languageCode: typeof body.language_code === 'string' ? body.language_code : undefined,
    languageProbability: typeof body.language_probability === 'number' ? body.language_probability : undefined,
  };
}
