/** Sarvam: the wire clients (REST and WebSocket) and the STT/TTS providers built on them. */
export * from './catalog.js';
export { SarvamError, isSarvamError, isRetryableStatus, parseRetryAfterMs, type SarvamErrorKind } from './errors.js';
export { DEFAULT_TIMEOUT_MS, type SarvamConnection } from './http.js';
export { sttRest, type SttRestOptions, type SttRestResult } from './stt-rest.js';
export { ttsRest, ttsRestChunks, type TtsRestChunk, type TtsRestOptions, type TtsRestResult } from './tts-rest.js';
export { splitTextForTts, sentencesOf } from './text-split.js';
export { DEFAULT_CONNECT_TIMEOUT_MS, type SarvamWsOptions, type StreamClosedEvent, type StreamErrorEvent } from './ws-stream.js';
export { SarvamSttStream, type SttStreamEvent, type SttStreamOptions } from './stt-stream.js';
export { SarvamTtsStream, type TtsStreamEvent, type TtsStreamOptions } from './tts-stream.js';
export { SarvamRestStt, type SarvamProviderDeps } from './stt-rest-provider.js';
export { SarvamStreamingStt } from './stt-stream-provider.js';
export { SarvamRestTts } from './tts-rest-provider.js';
export { SarvamStreamingTts } from './tts-stream-provider.js';
export { SarvamKeyGate, sarvamResilience, type ProviderLog } from './call.js';
export { sarvamVoiceSettings, sttLanguageFor, ttsLanguageFor, SarvamSettingsError, type SarvamConfigInput, type SarvamVoiceSettings } from './settings.js';
