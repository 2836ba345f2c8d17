import { describe, expect, it } from 'vitest';
import { createSttProvider, createTtsProvider, FallbackStt, FallbackTts, SarvamSettingsError } from '../../../src/voice/providers/index.js';
import { SarvamRestStt, SarvamRestTts, SarvamStreamingStt, SarvamStreamingTts } from '../../../src/voice/providers/sarvam/index.js';
import { LocalTts } from '../../../src/voice/providers/tts/local.js';

const silent = { log: { warn: () => undefined, info: () => undefined } };
const sarvam = (extra: object = {}) => ({ apiKey: 'sk_factory', baseUrl: 'http://127.0.0.1:9', ...extra });

describe('provider factory', () => {
  it('builds the local TTS for tts.provider=local', () => {
    expect(createTtsProvider({ tts: { provider: 'local' } })).toBeInstanceOf(LocalTts);
  });

  it('wraps Sarvam in the local fallback, streaming by default and REST when configured', () => {
    const stt = createSttProvider({ stt: { provider: 'sarvam' }, sarvam: sarvam() }, {}, silent);
    const tts = createTtsProvider({ tts: { provider: 'sarvam' }, sarvam: sarvam() }, {}, silent);
    expect(stt).toBeInstanceOf(FallbackStt);
    expect(tts).toBeInstanceOf(FallbackTts);
    expect((stt as FallbackStt).primary).toBeInstanceOf(SarvamStreamingStt);
    expect((tts as FallbackTts).primary).toBeInstanceOf(SarvamStreamingTts);

    const restStt = createSttProvider({ stt: { provider: 'sarvam' }, sarvam: sarvam({ sttMode: 'rest' }) }, {}, silent) as FallbackStt;
    const restTts = createTtsProvider({ tts: { provider: 'sarvam' }, sarvam: sarvam({ ttsMode: 'rest' }) }, {}, silent) as FallbackTts;
    expect(restStt.primary).toBeInstanceOf(SarvamRestStt);
    expect(restStt.primary).not.toBeInstanceOf(SarvamStreamingStt);
    expect(restTts.primary).toBeInstanceOf(SarvamRestTts);
    expect(restTts.primary).not.toBeInstanceOf(SarvamStreamingTts);
  });

  it('refuses inconsistent Sarvam settings at start with one line naming the setting', () => {
    const bad = [
      [{ ttsSpeaker: 'anushka' }, /SARVAM_TTS_.*speaker/],
      [{ ttsPace: 2.5 }, /pace must be between 0.5 and 2/],
      [{ sttTranslate: true, sttModel: 'saaras:v3' }, /SARVAM_STT_MODEL.*TRANSLATE/],
      [{ sttLanguage: 'fr-FR' }, /SARVAM_STT_LANGUAGE/],
      [{ ttsMode: 'stream', ttsSampleRate: 48000 }, /sampleRate/],
    ] as const;
    for (const [extra, message] of bad) {
      const make = () => (('ttsSpeaker' in extra || 'ttsPace' in extra || 'ttsSampleRate' in extra)
        ? createTtsProvider({ tts: { provider: 'sarvam' }, sarvam: sarvam(extra) }, {}, silent)
        : createSttProvider({ stt: { provider: 'sarvam' }, sarvam: sarvam(extra) }, {}, silent));
      expect(make).toThrow(SarvamSettingsError);
      expect(make).toThrow(message);
    }
    expect(() => createSttProvider({ stt: { provider: 'sarvam' }, sarvam: { baseUrl: 'http://x' } }, {}, silent)).toThrow(/SARVAM_API_KEY/);
  });
});
