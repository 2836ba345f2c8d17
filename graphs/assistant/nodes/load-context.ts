import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { runtimeOf } from '../configuration.js';
import { isValidTimeZone } from '../nlu/clock.js';
import { knownLangOf } from '../../../prompts/lang.js';
import type { AssistantStateType, AssistantUpdate } from '../state.js';

/**
 * What the turn needs to know about its user, all from the user's own graph: time zone and
 * language from the profile, active medication names (the NLU matches against them), the profile and
 * the emergency contacts (the emergency agent tells them). Three small reads.
 */
export async function loadContextNode(_state: AssistantStateType, config: LangGraphRunnableConfig): Promise<AssistantUpdate> {
  const { health, configuration } = runtimeOf(config);
  const [profile, meds, contacts] = await Promise.all([
    health.get('profile', health.store.profileId),
    health.all('medication', { cap: 200 }),
    health.all('emergency_contact', { cap: 50 }),
  ]);
  const tz = typeof profile?.timezone === 'string' && isValidTimeZone(profile.timezone) ? profile.timezone : configuration.defaultTimeZone;
  const preferred = knownLangOf(profile?.preferred_language);
  return {
    context: {
      timeZone: tz,
      ...(preferred ? { preferredLanguage: preferred } : {}),
      medications: meds.filter((m) => m.active !== false).map((m) => ({ id: m.id, name: String(m.name) })),
      medicalConditions: Array.isArray(profile?.medical_conditions) ? profile.medical_conditions.map(String) : [],
      profile,
      contacts,
    },
  };
}
