/**
 * How to speak to a person, read one way everywhere: the profile's time zone (else the service
 * default) and the language Podd speaks to them (from `preferred_language`, else English).
 */
import { langOf, type Lang } from '../../prompts/lang.js';
import type { HealthItem, UserHealthStore } from '../locusgraph/health.js';

export interface Preferences {
  /** IANA zone for "today", reminders and times said aloud. */
  timeZone: string;
  lang: Lang;
  /** The profile's locale as the person set it (`hi-IN`), when set. */
  locale?: string;
}

export function preferencesOf(profile: HealthItem<'profile'> | null, defaultTimeZone: string): Preferences {
  return {
    timeZone: profile?.timezone ?? defaultTimeZone,
    lang: langOf(profile?.preferred_language),
    ...(profile?.preferred_language ? { locale: profile.preferred_language } : {}),
  };
}

/** The person's profile, typed; null before the first PUT. */
export function profileOf(store: Pick<UserHealthStore, 'get' | 'profileId'>): Promise<HealthItem<'profile'> | null> {
  return store.get('profile', store.profileId);
}
