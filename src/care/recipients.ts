/**
 * Who else hears of a person's alerts: every caregiver they gave the `alerts` scope. Each one's
 * phone and language come from the caregiver's own profile (their own data, read in their own
 * store scope); one without a phone still sees the alert in GET /api/care/alerts.
 */
import { langOf, type Lang } from '../../prompts/lang.js';
import type { AuthRepository } from '../auth/repository.js';
import type { HealthService } from '../health/service.js';
import type { CareCircle } from './circle.js';

export interface CircleRecipient {
  /** The caregiver's account name, as the person's records name them. */
  name: string;
  /** E.164, from the caregiver's profile; absent when they have none. */
  phone?: string;
  lang: Lang;
}

export interface CircleAlerts {
  /** Names of the caregivers who hear of the person's alerts (synchronous: the reply names them). */
  names(userId: string): string[];
  recipients(userId: string): Promise<CircleRecipient[]>;
}

export function circleAlerts(circle: CareCircle, accounts: Pick<AuthRepository, 'userById'>, health: HealthService): CircleAlerts {
  const links = (userId: string) => circle.caregiversWith(userId, 'alerts');
  const nameOf = (id: string) => accounts.userById(id)?.name ?? '';
  return {
    names: (userId) => links(userId).map((l) => nameOf(l.caregiver_id)).filter(Boolean),
    async recipients(userId) {
      return Promise.all(
        links(userId).map(async (l) => {
          const profile = await health.forUser(l.caregiver_id).profile();
          return { name: nameOf(l.caregiver_id), ...(profile?.phone ? { phone: profile.phone } : {}), lang: langOf(profile?.preferred_language) };
        }),
      );
    },
  };
}
