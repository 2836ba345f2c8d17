/**
 * What the fake accepts, taken from the `sarvamai` 1.1.10 SDK types (which win over WIRE.md).
 * Kept separate from src/ so the fake checks our clients instead of sharing their assumptions.
 */

export const STT_LANGUAGES = [
  'unknown', 'hi-IN', 'bn-IN', 'kn-IN', 'ml-IN', 'mr-IN', 'od-IN', 'pa-IN', 'ta-IN', 'te-IN', 'en-IN',
  'gu-IN', 'as-IN', 'ur-IN', 'ne-IN', 'kok-IN', 'ks-IN', 'sd-IN', 'sa-IN', 'sat-IN', 'mni-IN', 'brx-IN',
  'mai-IN', 'doi-IN',
];

export const TTS_LANGUAGES = ['bn-IN', 'en-IN', 'gu-IN', 'hi-IN', 'kn-IN', 'ml-IN', 'mr-IN', 'od-IN', 'pa-IN', 'ta-IN', 'te-IN'];

/** saarika:v2.5 is WIRE.md's model; the SDK lists only saaras:v3/v4 but the legacy id still works. */
export const STT_MODELS = ['saaras:v3', 'saaras:v4', 'saarika:v2.5'];
export const STT_TRANSLATE_MODELS = ['saaras:v2.5'];
export const STT_MODES = ['transcribe', 'translate', 'verbatim', 'translit', 'codemix'];

export const STT_INPUT_CODECS = [
  'wav', 'x-wav', 'wave', 'mp3', 'mpeg', 'mpeg3', 'x-mp3', 'x-mpeg-3', 'aac', 'x-aac', 'aiff', 'x-aiff',
  'ogg', 'opus', 'flac', 'x-flac', 'mp4', 'x-m4a', 'amr', 'x-ms-wma', 'webm', 'pcm_s16le', 'pcm_l16', 'pcm_raw',
];
export const STT_STREAM_CODECS = ['wav', 'pcm_s16le', 'pcm_l16', 'pcm_raw'];
export const STT_STREAM_SAMPLE_RATES = [8000, 16000];

export const TTS_MODELS = ['bulbul:v2', 'bulbul:v3'];

const V2_SPEAKERS = ['anushka', 'abhilash', 'manisha', 'vidya', 'arya', 'karun', 'hitesh'];
const V3_SPEAKERS = [
  'shubh', 'aditya', 'ritu', 'priya', 'neha', 'rahul', 'pooja', 'rohan', 'simran', 'kavya', 'amit', 'dev',
  'ishita', 'shreya', 'ratan', 'varun', 'manan', 'sumit', 'roopa', 'kabir', 'aayan', 'ashutosh', 'advait',
  'anand', 'tanya', 'tarun', 'sunny', 'mani', 'gokul', 'vijay', 'shruti', 'suhani', 'mohit', 'kavitha',
  'rehan', 'soham', 'rupali',
];
export const TTS_SPEAKERS: Record<string, string[]> = { 'bulbul:v2': V2_SPEAKERS, 'bulbul:v3': V3_SPEAKERS };
export const TTS_DEFAULT_SPEAKER: Record<string, string> = { 'bulbul:v2': 'anushka', 'bulbul:v3': 'shubh' };
export const TTS_MAX_CHARS: Record<string, number> = { 'bulbul:v2': 1500, 'bulbul:v3': 2500 };
export const TTS_PACE: Record<string, [number, number]> = { 'bulbul:v2': [0.3, 3], 'bulbul:v3': [0.5, 2] };
export const TTS_REST_SAMPLE_RATES = [8000, 16000, 22050, 24000, 32000, 44100, 48000];
export const TTS_WS_SAMPLE_RATES = [8000, 16000, 22050, 24000];
export const TTS_CODECS = ['mp3', 'linear16', 'mulaw', 'alaw', 'opus', 'flac', 'aac', 'wav'];
