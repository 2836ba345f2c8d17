/**
 * Sarvam text-to-speech over REST. Text over the model's limit is split at sentence boundaries and
 * sent as consecutive requests, so a caller can play the first chunk while the next is synthesised.
 */
import { validationError } from '../../../errors.js';
import {
  checkTtsRequest,
  SARVAM_TTS_MAX_CHARS,
  type SarvamTtsCodec,
  type SarvamTtsLanguage,
  type SarvamTtsModel,
} from './catalog.js';
import { malformed, postJson, type SarvamConnection } from './http.js';
import { splitTextForTts } from './text-split.js';

export interface TtsRestOptions extends SarvamConnection {
  text: string;
  languageCode: SarvamTtsLanguage;
  /** Default bulbul:v3. */
  model?: SarvamTtsModel;
  /** Default: the model's default voice (shubh for v3). */
  speaker?: string;
  pace?: number;
  /** Hz; Sarvam's default (24 kHz for v3) when absent. */
  sampleRate?: number;
  /** Default wav (a complete file per chunk). */
  codec?: SarvamTtsCodec;
}

export interface TtsRestChunk {
  index: number;
  /** Characters of text this chunk covers (for timing, never logged as text). */
  chars: number;
  requestId?: string;
  audio: Buffer;
}

const PATH = '/text-to-speech';

function check(opts: TtsRestOptions): { model: SarvamTtsModel; speaker: string; chunks: string[] } {
  const { model, speaker } = checkTtsRequest(opts, opts.sampleRate, false);
  const chunks = splitTextForTts(opts.text, SARVAM_TTS_MAX_CHARS[model]);
  if (chunks.length === 0) throw validationError({ text: 'must contain something to say' });
  return { model, speaker, chunks };
}

/** Synthesises chunk by chunk, yielding each chunk's decoded audio as soon as it arrives. */
export async function* ttsRestChunks(opts: TtsRestOptions): AsyncGenerator<TtsRestChunk> {
  const { model, speaker, chunks } = check(opts);
  for (const [index, text] of chunks.entries()) {
    const body = (await postJson(
      opts,
      PATH,
      JSON.stringify({
        text,
        language_code: opts.languageCode,
        model,
        speaker,
        pace: opts.pace,
        speech_sample_rate: opts.sampleRate,
        output_audio_codec: opts.codec ?? 'wav',
      }),
      { 'content-type': 'application/json' },
    )) as Record<string, unknown> | null;
    const audios = body?.audios;
    if (!Array.isArray(audios) || audios.length === 0 || typeof audios[0] !== 'string' || audios[0] === '') {
      throw malformed(PATH, 'audio');
    }
    yield {
      index,
      chars: text.length,
      requestId: typeof body?.request_id === 'string' ? body.request_id : undefined,
      audio: Buffer.from(audios[0], 'base64'),
    };
  }
}

export interface TtsRestResult {
  requestIds: string[];
  /** One entry per chunk, in order; with codec wav each is a complete WAV file. */
  audios: Buffer[];
}

export async function ttsRest(opts: TtsRestOptions): Promise<TtsRestResult> {
  const result: TtsRestResult = { requestIds: [], audios: [] };
  for await (const chunk of ttsRestChunks(opts)) {
    if (chunk.requestId) result.requestIds.push(chunk.requestId);
    result.audios.push(chunk.audio);
  }
  return result;
}
