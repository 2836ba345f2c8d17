/** The fake Sarvam server: `startFakeSarvam({ apiKey, script })` and the helpers tests feed it with. */
export { startFakeSarvam, type FakeSarvam, type FakeSarvamOptions } from './server.js';
export type {
  ChatRequestBody,
  FakeFailure,
  FakeRoute,
  FakeSarvamControl,
  FakeSarvamScript,
  ScriptedChatReply,
  ScriptedToolCall,
  ScriptedUtterance,
} from './script.js';
export type { AuthVia, FakeFrame, FakeRequestLog, MultipartFile } from './log.js';
export { audioKey, chunksOf, markerBytes, parseWav, silencePcm, speechWindows, tonePcm, utterancePcm, wavFile } from './audio.js';
