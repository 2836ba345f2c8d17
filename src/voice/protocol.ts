/**
 * Our device protocol (WIRE.md §1): the client's JSON messages, validated, and the server's
 * event vocabulary (Home Assistant Assist style).
 */
import { z } from 'zod';
import { INPUT_ENCODINGS, OUTPUT_ENCODINGS, SAMPLE_RATES, type InputFormat, type OutputFormat } from './audio/format.js';

const rate = z.union(SAMPLE_RATES.map((r) => z.literal(r)) as unknown as [z.ZodLiteral<8000>, z.ZodLiteral<16000>, z.ZodLiteral<24000>, z.ZodLiteral<48000>]);

export const LANGUAGE = z.string().regex(/^([a-z]{2,3}-[A-Z]{2}|auto)$/, 'must be a locale such as en-IN or hi-IN, or auto');

const StartMessage = z.object({
  type: z.literal('start'),
  audio: z.object({ encoding: z.enum(INPUT_ENCODINGS).default('pcm_s16le'), sample_rate: rate.default(16000), channels: z.literal(1).default(1) }).optional(),
  language: LANGUAGE.optional(),
  output: z.object({ encoding: z.enum(OUTPUT_ENCODINGS).default('pcm_s16le'), sample_rate: rate.default(16000) }).optional(),
  vad: z.boolean().optional(),
});

export const ClientMessage = z.discriminatedUnion('type', [
  StartMessage,
  z.object({ type: z.literal('end') }),
  z.object({ type: z.literal('interrupt') }),
  z.object({ type: z.literal('text'), text: z.string().min(1).max(2000) }),
  z.object({ type: z.literal('ping') }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;
export type StartMessage = z.infer<typeof StartMessage>;

export interface NegotiatedAudio {
  input: InputFormat;
  output: OutputFormat;
  vad: boolean;
}

export function negotiate(start: StartMessage | undefined): NegotiatedAudio {
  return {
    input: { encoding: start?.audio?.encoding ?? 'pcm_s16le', sampleRate: start?.audio?.sample_rate ?? 16000 },
    output: { encoding: start?.output?.encoding ?? 'pcm_s16le', sampleRate: start?.output?.sample_rate ?? 16000 },
    vad: start?.vad ?? true,
  };
}

/** Pipeline events of one turn, in their order. */
export type PipelineEvent =
  | 'run-start'
  | 'vad-start'
  | 'vad-end'
  | 'stt-partial'
  | 'stt-end'
  | 'intent-start'
  | 'intent-end'
  | 'tts-start'
  | 'tts-end'
  | 'run-end'
  | 'error';

export interface Timings {
  stt_ms: number | null;
  graph_ms: number | null;
  tts_first_byte_ms: number | null;
  total_ms: number;
}

/**
 * Close codes of WIRE.md §1. `revoked` (4001, application range): the credential that opened
 * the session is no longer valid — the device key was revoked, the password changed or the
 * account was deleted (the reason says which). Reconnecting with the same credential will fail,
 * except after a password change, which leaves device keys working.
 */
export const CLOSE = { normal: 1000, policy: 1008, tooBig: 1009, serverError: 1011, revoked: 4001 } as const;

/** Error codes of the `error` event. */
export type VoiceErrorCode = 'bad_message' | 'bad_audio' | 'stt_failed' | 'assistant_failed' | 'tts_failed' | 'too_long';
