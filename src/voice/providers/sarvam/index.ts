/** Low-level Sarvam wire clients (REST and WebSocket). Retry, fallback and our STT/TTS contracts wrap these. */
export * from './catalog.js';
export { SarvamError, isSarvamError, isRetryableStatus, parseRetryAfterMs, type SarvamErrorKind } from './errors.js';
export { DEFAULT_TIMEOUT_MS, type SarvamConnection } from './http.js';
export { sttRest, type SttRestOptions, type SttRestResult } from './stt-rest.js';
export { ttsRest, ttsRestChunks, type TtsRestChunk, type TtsRestOptions, type TtsRestResult } from './tts-rest.js';
export { splitTextForTts, sentencesOf } from './text-split.js';
export { DEFAULT_CONNECT_TIMEOUT_MS, type SarvamWsOptions, type StreamClosedEvent, type StreamErrorEvent } from './ws-stream.js';
export { SarvamSttStream, type SttStreamEvent, type SttStreamOptions } from './stt-stream.js';
export { SarvamTtsStream, type TtsStreamEvent, type TtsStreamOptions } from './tts-stream.js';
