import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../src/errors.js';
import { assertSttLanguage, assertTtsLanguage, assertTtsVoice, SARVAM_TTS_LANGUAGES } from '../../../../src/voice/providers/sarvam/catalog.js';
import { errorFromHttp, parseRetryAfterMs, SarvamError } from '../../../../src/voice/providers/sarvam/errors.js';

describe('parseRetryAfterMs', () => {
  it('reads delta-seconds and HTTP dates, and ignores junk', () => {
    expect(parseRetryAfterMs('3')).toBe(3000);
    expect(parseRetryAfterMs('0.5')).toBe(500);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfterMs('Wed, 01 Jan 2025 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfterMs('soon')).toBeUndefined();
    expect(parseRetryAfterMs(null)).toBeUndefined();
  });
});

describe('errorFromHttp', () => {
  it("takes code and request id from Sarvam's error body", () => {
    const e = errorFromHttp(403, JSON.stringify({ error: { message: 'Invalid key', code: 'invalid_api_key_error', request_id: 'r1' } }), null);
    expect(e).toBeInstanceOf(SarvamError);
    expect(e).toMatchObject({ kind: 'http', status: 403, code: 'invalid_api_key_error', requestId: 'r1', retryable: false });
  });

  it('marks 408, 429 and 5xx retryable and carries Retry-After', () => {
    expect(errorFromHttp(429, '{}', '2')).toMatchObject({ retryable: true, retryAfterMs: 2000, code: 'rate_limit_exceeded_error' });
    expect(errorFromHttp(408, '', null).retryable).toBe(true);
    expect(errorFromHttp(502, '<html>bad gateway</html>', null)).toMatchObject({ retryable: true, code: 'internal_server_error' });
    expect(errorFromHttp(400, '', null).retryable).toBe(false);
    expect(errorFromHttp(422, '', null).retryable).toBe(false);
  });
});

describe('language and voice checks', () => {
  it('accepts Sarvam languages and unknown for STT, and refuses others as a 400 validation error', () => {
    expect(() => assertSttLanguage('hi-IN')).not.toThrow();
    expect(() => assertSttLanguage('unknown')).not.toThrow();
    const err = (() => {
      try {
        assertSttLanguage('fr-FR');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'VALIDATION_ERROR', statusCode: 400 });
  });

  it('limits TTS to the 11 bulbul languages (no unknown)', () => {
    expect(SARVAM_TTS_LANGUAGES).toHaveLength(11);
    expect(() => assertTtsLanguage('ta-IN')).not.toThrow();
    expect(() => assertTtsLanguage('unknown')).toThrow(AppError);
    expect(() => assertTtsLanguage('ur-IN')).toThrow(AppError);
  });

  it('checks speaker against the model and the streaming sample rates', () => {
    expect(() => assertTtsVoice({ model: 'bulbul:v3', speaker: 'shubh', pace: 1, sampleRate: 16000 }, true)).not.toThrow();
    expect(() => assertTtsVoice({ model: 'bulbul:v3', speaker: 'anushka' }, false)).toThrow(AppError);
    expect(() => assertTtsVoice({ model: 'bulbul:v3', speaker: 'shubh', pace: 2.5 }, false)).toThrow(AppError);
    expect(() => assertTtsVoice({ model: 'bulbul:v3', speaker: 'shubh', sampleRate: 48000 }, true)).toThrow(AppError);
    expect(() => assertTtsVoice({ model: 'bulbul:v3', speaker: 'shubh', sampleRate: 48000 }, false)).not.toThrow();
  });
});
