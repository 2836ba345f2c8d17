/** REST endpoints of the fake: speech-to-text (and translate), text-to-speech and its HTTP stream. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  audioKey,
  CONTENT_TYPES,
  encodeAudio,
  FAKE_TTS_CODECS,
  parseWav,
  silencePcm,
  wavHeader,
  type FakeTtsCodec,
} from './audio.js';
import {
  STT_INPUT_CODECS,
  STT_LANGUAGES,
  STT_MODELS,
  STT_MODES,
  STT_TRANSLATE_MODELS,
  TTS_CODECS,
  TTS_DEFAULT_SPEAKER,
  TTS_LANGUAGES,
  TTS_MAX_CHARS,
  TTS_MODELS,
  TTS_PACE,
  TTS_REST_SAMPLE_RATES,
  TTS_SPEAKERS,
} from './catalog.js';
import { FakeHttpError, isFiniteNumber, requestId, sendJson, sentencesOf, sleep, speechPcm } from './common.js';
import type { FakeRequestLog } from './log.js';
import type { ScriptState } from './script.js';

export interface RestContext {
  req: IncomingMessage;
  res: ServerResponse;
  body: Buffer;
  state: ScriptState;
  log: FakeRequestLog;
}

function oneOf(name: string, value: string, allowed: readonly string[]): void {
  if (!allowed.includes(value)) throw new FakeHttpError(400, `Invalid ${name}: ${value}`);
}

async function parseMultipart(ctx: RestContext): Promise<FormData> {
  const type = ctx.req.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data')) throw new FakeHttpError(400, 'Expected multipart/form-data');
  try {
    return await new Response(ctx.body, { headers: { 'content-type': type } }).formData();
  } catch {
    throw new FakeHttpError(400, 'Malformed multipart body');
  }
}

/** Seconds of audio, where the fake can tell (WAV, or raw PCM which Sarvam takes at 16 kHz only). */
function durationS(bytes: Buffer, codec: string | undefined): number | undefined {
  const wav = parseWav(bytes);
  if (wav) return wav.data.length / (wav.sampleRate * wav.channels * (wav.bitsPerSample / 8));
  if (codec?.startsWith('pcm')) return bytes.length / 32000;
  return undefined;
}

export async function handleStt(ctx: RestContext, translate: boolean): Promise<void> {
  const form = await parseMultipart(ctx);
  const fields: Record<string, string> = {};
  let file: File | undefined;
  for (const [k, v] of form) {
    if (typeof v === 'string') fields[k] = v;
    else if (k === 'file') file = v;
  }
  const bytes = file ? Buffer.from(await file.arrayBuffer()) : undefined;
  ctx.log.body = {
    fields,
    files: file && bytes ? { file: { filename: file.name, contentType: file.type, size: bytes.length, sha256: audioKey(bytes) } } : {},
  };
  if (!file || !bytes) throw new FakeHttpError(422, 'file: Field required');
  if (bytes.length === 0) throw new FakeHttpError(400, 'Empty audio file');

  const model = fields.model ?? (translate ? 'saaras:v2.5' : 'saaras:v3');
  oneOf('model', model, translate ? STT_TRANSLATE_MODELS : STT_MODELS);
  if (fields.input_audio_codec !== undefined) oneOf('input_audio_codec', fields.input_audio_codec, STT_INPUT_CODECS);
  if (fields.mode !== undefined) oneOf('mode', fields.mode, STT_MODES);
  const language = translate ? 'unknown' : (fields.language_code ?? 'unknown');
  oneOf('language_code', language, STT_LANGUAGES);
  const seconds = durationS(bytes, fields.input_audio_codec);
  if (seconds !== undefined && seconds > 30) {
    throw new FakeHttpError(400, 'Audio duration exceeds the maximum of 30 seconds; use the batch API');
  }

  const u = ctx.state.resolveUtterance(bytes);
  await sleep(ctx.state.script.stt?.latencyMs ?? 0);
  const detect = language === 'unknown';
  const detected = ctx.state.detectedLanguage(u);
  const english = u.translation ?? u.transcript;
  if (translate) {
    sendJson(ctx.res, 200, {
      request_id: requestId(),
      transcript: english,
      language_code: detected,
      diarized_transcript: null,
      language_probability: u.languageProbability ?? 0.93,
    });
    return;
  }
  const text = fields.mode === 'translate' ? english : u.transcript;
  sendJson(ctx.res, 200, {
    request_id: requestId(),
    transcript: text,
    timestamps:
      fields.with_timestamps === 'true'
        ? { words: [text], start_time_seconds: [0], end_time_seconds: [seconds ?? 0] }
        : null,
    language_code: detect ? detected : language,
    language_probability: detect ? (u.languageProbability ?? 0.93) : null,
  });
}

interface TtsParams {
  text: string;
  sentences: string[];
  sampleRate: number;
  codec: FakeTtsCodec;
  pace: number;
}

/** Validates a TTS JSON body as Sarvam does; accepts both language field names. */
function ttsParams(body: Record<string, unknown>, maxChars: (model: string) => number, defaultRate: (model: string) => number, defaultCodec: string): TtsParams {
  const model = typeof body.model === 'string' ? body.model : 'bulbul:v3';
  oneOf('model', model, TTS_MODELS);
  const text = body.text;
  if (typeof text !== 'string' || text.trim() === '') throw new FakeHttpError(400, 'text must be a non-empty string');
  if (text.length > maxChars(model)) {
    throw new FakeHttpError(400, `text exceeds the maximum of ${maxChars(model)} characters for ${model}`);
  }
  const language = body.target_language_code ?? body.language_code;
  if (typeof language !== 'string') throw new FakeHttpError(422, 'language_code: Field required');
  oneOf('language_code', language, TTS_LANGUAGES);
  const speaker = body.speaker ?? TTS_DEFAULT_SPEAKER[model];
  if (typeof speaker !== 'string' || !TTS_SPEAKERS[model]!.includes(speaker)) {
    throw new FakeHttpError(400, `Speaker ${String(speaker)} is not compatible with model ${model}`);
  }
  const pace = body.pace ?? 1;
  const [lo, hi] = TTS_PACE[model]!;
  if (!isFiniteNumber(pace) || pace < lo || pace > hi) throw new FakeHttpError(400, `pace must be between ${lo} and ${hi}`);
  const sampleRate = body.speech_sample_rate ?? defaultRate(model);
  if (!isFiniteNumber(sampleRate) || !TTS_REST_SAMPLE_RATES.includes(sampleRate)) {
    throw new FakeHttpError(400, `Unsupported speech_sample_rate: ${String(sampleRate)}`);
  }
  const codec = body.output_audio_codec ?? defaultCodec;
  if (typeof codec !== 'string' || !TTS_CODECS.includes(codec)) {
    throw new FakeHttpError(400, `Unsupported output_audio_codec: ${String(codec)}`);
  }
  if (!(FAKE_TTS_CODECS as readonly string[]).includes(codec)) {
    throw new FakeHttpError(501, `The fake Sarvam server cannot produce ${codec}; use wav, linear16, mulaw or alaw`, 'not_implemented_in_fake');
  }
  return { text, sentences: sentencesOf(text), sampleRate, codec: codec as FakeTtsCodec, pace };
}

function parseJsonBody(ctx: RestContext): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(ctx.body.toString('utf8'));
  } catch {
    throw new FakeHttpError(400, 'Request body is not valid JSON');
  }
  ctx.log.body = parsed;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new FakeHttpError(422, 'Request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function sentenceAudio(ctx: RestContext, p: TtsParams, sentence: string): Buffer {
  const tts = ctx.state.script.tts;
  return speechPcm(sentence, p.sampleRate, p.pace, tts?.audioMsPerChar ?? 60, tts?.toneHz ?? 220);
}

export async function handleTts(ctx: RestContext): Promise<void> {
  const body = parseJsonBody(ctx);
  const p = ttsParams(body, (m) => TTS_MAX_CHARS[m]!, (m) => (m === 'bulbul:v2' ? 22050 : 24000), 'wav');
  // A REST call returns only when every sentence is synthesised: the cost streaming avoids.
  await sleep(ctx.state.ttsDelayMs * p.sentences.length);
  const gap = silencePcm(80, p.sampleRate);
  const pcm = Buffer.concat(p.sentences.flatMap((s, i) => (i === 0 ? [sentenceAudio(ctx, p, s)] : [gap, sentenceAudio(ctx, p, s)])));
  const audio = encodeAudio(pcm, p.sampleRate, p.codec);
  sendJson(ctx.res, 200, { request_id: requestId(), audios: [audio.toString('base64')] });
}

/** POST /text-to-speech/stream: the audio bytes themselves, one sentence at a time. */
export async function handleTtsStream(ctx: RestContext): Promise<void> {
  const body = parseJsonBody(ctx);
  const p = ttsParams(body, () => 3500, (m) => (m === 'bulbul:v3' ? 24000 : 22050), 'mp3');
  const parts = p.sentences.map((s) => sentenceAudio(ctx, p, s));
  ctx.res.writeHead(200, { 'content-type': CONTENT_TYPES[p.codec] });
  if (p.codec === 'wav') {
    // Sizes are known up front, so the header is exact and the stream is a valid WAV file.
    const total = parts.reduce((n, b) => n + b.length, 0);
    ctx.res.write(wavHeader(total, p.sampleRate));
  }
  for (const pcm of parts) {
    await sleep(ctx.state.ttsDelayMs);
    if (ctx.res.destroyed) return;
    ctx.res.write(p.codec === 'wav' ? pcm : encodeAudio(pcm, p.sampleRate, p.codec));
  }
  ctx.res.end();
}
