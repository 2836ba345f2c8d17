/**
 * What the voice session says about itself: the messages of its `error` events (voice/en.json,
 * voice/hi.json), and the apology spoken when speech cannot be recognised
 * (voice/speech-unavailable.json). The apology is in every language the cloud recogniser hears, by
 * base language code, not only in Podd's own: it is said exactly when Podd cannot understand the
 * user, so it is in the language they speak.
 */
import en from './voice/en.json' with { type: 'json' };
import hi from './voice/hi.json' with { type: 'json' };
import speechUnavailable from './voice/speech-unavailable.json' with { type: 'json' };
import { Sentences, type Leaves } from './sentences.js';

export type VoiceKey = Leaves<typeof en>;

export const VOICE = new Sentences<VoiceKey>('voice sentence', { en, hi });

/** "Speech is unavailable, try again later", by base language code (`hi`, `ta`, …). */
export const SPEECH_UNAVAILABLE: Readonly<Record<string, string | undefined>> & { en: string } = speechUnavailable;
