/**
 * Snooze: a reminder re-fires once after the delay, as a one-shot alarm (so it survives a restart
 * and goes through the same exactly-once path as every other reminder) at the next whole minute
 * at or after now + delay in the user's zone, referencing the notification, which is marked read.
 * POST /api/notifications/:id/snooze and "remind me in 10 minutes" by voice both use this.
 */
import type { AnyItem, UserHealth } from '../health/service.js';
import { localDate, localTime } from '../locusgraph/zoned-time.js';

export async function snoozeNotification(health: UserHealth, n: AnyItem, minutes: number, nowMs: number): Promise<AnyItem> {
  const tz = await health.timezone();
  const at = Math.ceil((nowMs + minutes * 60_000) / 60_000) * 60_000;
  const alarm = (await health.create('alarm', {
    type: n.type,
    title: n.title,
    message: n.message,
    time: localTime(at, tz),
    date: localDate(at, tz),
    days_of_week: [],
    reference_id: `notification:${n.id}`,
  }));
  if (!n.read) await health.patch('notification', n.id, { read: true, read_at: new Date(nowMs).toISOString() });
  return alarm;
}
