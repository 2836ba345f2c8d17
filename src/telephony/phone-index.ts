/**
 * Keeps the phone → user routes in step with profiles. Profiles live in per-user graphs, so
 * finding the caller by scanning would read every user's profile on every ring (one HTTP round
 * trip each against hosted LocusGraph); instead every profile write updates the route, and a
 * start-up backfill covers profiles written before the index existed.
 */
import type { ChangeListener, HealthService } from '../health/service.js';
import { toE164 } from './phone.js';
import type { PhoneRoutes } from './store.js';

/** A HealthService change listener: `health.onChange(phoneRouteListener(routes))`. */
export function phoneRouteListener(routes: PhoneRoutes): ChangeListener {
  return (_store, change) => {
    if (change.type !== 'profile') return;
    const phone = change.op === 'delete' ? null : toE164(change.item.phone);
    const before = change.previous ? toE164(change.previous.phone) : undefined;
    if (change.op !== 'delete' && phone === before) return;
    routes.set(change.userId, phone);
  };
}

/** Re-reads every user's profile once (start-up); returns how many users have a number. */
export async function backfillPhoneRoutes(routes: PhoneRoutes, health: HealthService, userIds: Iterable<string>): Promise<number> {
  let withPhone = 0;
  for (const userId of userIds) {
    const store = health.forUser(userId).store;
    const profile = await store.get('profile', store.profileId);
    const phone = toE164(profile?.phone);
    routes.set(userId, phone);
    if (phone) withPhone++;
  }
  return withPhone;
}
