/**
 * Live voice sessions by user: where due reminders are pushed, and where unread ones are spoken
 * when a device connects.
 */
import type { NotificationItem } from '../reminders/delivery.js';
import { spokenReminder, type NotificationSink } from '../reminders/delivery.js';
import type { VoiceSession } from './session.js';

export class VoiceSessions implements NotificationSink {
  private readonly byUser = new Map<string, Set<VoiceSession>>();

  add(session: VoiceSession): void {
    let set = this.byUser.get(session.userId);
    if (!set) this.byUser.set(session.userId, (set = new Set()));
    set.add(session);
  }

  remove(session: VoiceSession): void {
    const set = this.byUser.get(session.userId);
    if (!set) return;
    set.delete(session);
    if (set.size === 0) this.byUser.delete(session.userId);
  }

  count(userId?: string): number {
    if (userId) return this.byUser.get(userId)?.size ?? 0;
    let n = 0;
    for (const s of this.byUser.values()) n += s.size;
    return n;
  }

  /** Every open session of the user hears it; one failing session does not stop the others. */
  async deliver(userId: string, n: NotificationItem): Promise<number> {
    let delivered = 0;
    for (const session of this.byUser.get(userId) ?? []) {
      try {
        session.deliverReminder(spokenReminder(n));
        delivered++;
      } catch {
        // A broken socket is cleaned up by its close handler; the notification stays unread.
      }
    }
    return delivered;
  }

  closeAll(): void {
    for (const set of this.byUser.values()) for (const s of set) s.close();
  }
}
