/**
 * Reminder delivery, in one place: a due reminder is pushed to the user's live sessions and calls
 * (the sink composed once at start-up), and marked `delivered_at` when someone received it; a
 * device or call that connects later hears the unheard ones. Nothing else writes `delivered_at`.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { HealthService } from '../health/service.js';
import type { HealthItem } from '../locusgraph/health.js';

/** A stored notification, as delivery hands it to sinks. */
export type NotificationItem = HealthItem<'notification'>;

export interface NotificationSink {
  /**
   * Pushes a notification to the user's live sessions (or places a call); resolves with how many
   * received it at once. 0 leaves it unheard: a call that will speak it marks it when played.
   */
  deliver(userId: string, notification: NotificationItem): Promise<number>;
}

export const NO_SINK: NotificationSink = { deliver: async () => 0 };

/** What a session speaks for a reminder. */
export interface SpokenReminder {
  notification_id: string;
  title: string;
  message: string;
}

export const spokenReminder = (n: NotificationItem): SpokenReminder => ({ notification_id: n.id, title: String(n.title), message: String(n.message ?? n.title) });

/** Unread, delivered to no device or call, and not recorded as missed (stale ones are never spoken). */
export const isUnheard = (n: NotificationItem) => !n.read && !n.delivered_at && !n.missed;

/** How far back a connecting device looks for reminders nobody heard. */
const UNHEARD_WINDOW_MS = 24 * 3600_000;

type Log = Pick<FastifyBaseLogger, 'warn'>;

export class ReminderDelivery {
  constructor(
    private readonly o: { health: HealthService; sink: NotificationSink; now: () => number; log?: Log },
  ) {}

  /** Pushes to live sessions and records when it was delivered; a failed push leaves it unheard for later. */
  async deliver(userId: string, item: NotificationItem): Promise<number> {
    let count = 0;
    try {
      count = await this.o.sink.deliver(userId, item);
    } catch (err) {
      this.o.log?.warn({ err, userId, notificationId: item.id }, 'reminder delivery failed');
    }
    if (count > 0) await this.markDelivered(userId, [item.id]);
    return count;
  }

  /** Records that reminders were heard: spoken on a device, or played on a call. */
  async markDelivered(userId: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const store = this.o.health.forUser(userId).store;
    const at = new Date(this.o.now()).toISOString();
    for (const id of ids) await store.patch('notification', id, { delivered_at: at });
  }

  /** At most `max` unheard reminders of the last day, oldest first. */
  async unheard(userId: string, max = 3): Promise<NotificationItem[]> {
    const page = await this.o.health.forUser(userId).list('notification', { limit: 20, from: new Date(this.o.now() - UNHEARD_WINDOW_MS).toISOString() });
    return (page.items).filter(isUnheard).reverse().slice(-max);
  }

  /**
   * A device just connected: it speaks what the user missed, each marked delivered as it is
   * handed over. (A call speaks them itself and marks them when their audio has played.)
   */
  async replayUnheard(userId: string, speak: (r: SpokenReminder) => void): Promise<number> {
    const missed = await this.unheard(userId);
    for (const n of missed) {
      speak(spokenReminder(n));
      await this.markDelivered(userId, [n.id]);
    }
    return missed.length;
  }
}
