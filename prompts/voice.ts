/**
 * What the voice session says about itself: the apology spoken when speech cannot be recognised
 * (voice/speech-unavailable.json). It is in every language the cloud recogniser hears, by base
 * language code, not only in Podd's own: it is said exactly when Podd cannot understand the user,
 * so it is in the language they speak.
 */
import speechUnavailable from './voice/speech-unavailable.json' with { type: 'json' };

/** "Speech is unavailable, try again later", by base language code (`hi`, `ta`, …). */
export const SPEECH_UNAVAILABLE: Readonly<Record<string, string | undefined>> & { en: string } = speechUnavailable;
