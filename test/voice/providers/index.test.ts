import { describe, expect, it } from 'vitest';
import { ProviderNotImplemented, createSttProvider, createTtsProvider } from '../../../src/voice/providers/index.js';
import { LocalTts } from '../../../src/voice/providers/tts/local.js';

describe('provider factory', () => {
  it('builds the local TTS for tts.provider=local', () => {
    expect(createTtsProvider({ tts: { provider: 'local' } })).toBeInstanceOf(LocalTts);
  });

  it('says the Sarvam providers are not implemented yet', () => {
    expect(() => createSttProvider({ stt: { provider: 'sarvam' } })).toThrow(ProviderNotImplemented);
    expect(() => createTtsProvider({ tts: { provider: 'sarvam' } })).toThrow(/not implemented yet/);
  });
});
