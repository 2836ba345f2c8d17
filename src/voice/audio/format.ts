/** The audio formats of WIRE.md §1 (`start.audio` and `start.output`). */
export const INPUT_ENCODINGS = ['pcm_s16le', 'mulaw', 'opus'] as const;
export const OUTPUT_ENCODINGS = ['pcm_s16le', 'wav', 'mulaw'] as const;
export const SAMPLE_RATES = [8000, 16000, 24000, 48000] as const;

export type InputEncoding = (typeof INPUT_ENCODINGS)[number];
export type OutputEncoding = (typeof OUTPUT_ENCODINGS)[number];
export type SampleRate = (typeof SAMPLE_RATES)[number];

export interface InputFormat {
  encoding: InputEncoding;
  sampleRate: SampleRate;
}

export interface OutputFormat {
  encoding: OutputEncoding;
  sampleRate: SampleRate;
}

/** Everything after the input stage runs at this rate: VAD and STT models are 16 kHz. */
export const PIPELINE_RATE = 16000;
/** Frame length handed to VAD and STT. */
export const FRAME_MS = 20;
export const FRAME_SAMPLES = (PIPELINE_RATE / 1000) * FRAME_MS;
