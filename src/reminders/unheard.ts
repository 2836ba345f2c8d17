/**
 * Reminders nobody has heard yet: unread, delivered to no device or call, and not recorded as
 * missed (stale ones are never spoken). A device or call that connects speaks the newest few.
 */
import type { AnyItem, UserHealth } from '../health/service.js';

export const isUnheard = (n: AnyItem) => !n.read && !n.delivered_at && !n.missed;

/** At most `max` unheard reminders of the last day, oldest first. */
export async function unheardReminders(health: UserHealth, nowMs: number, max = 3): Promise<AnyItem[]> {
  const page = await health.list('notification', { limit: 20, from: new Date(nowMs - 24 * 3600_000).toISOString() });
  return (page.items as AnyItem[]).filter(isUnheard).reverse().slice(-max);
}
