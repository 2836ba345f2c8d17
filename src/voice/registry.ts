/**
 * Live voice sessions by user: where due reminders are pushed, where unread ones are spoken
 * when a device connects, and what is hung up when the credential that opened a session stops
 * being valid (a device key revoked, the password changed, the account deleted).
 */
import type { NotificationItem } from '../reminders/delivery.js';
import { spokenReminder, type NotificationSink } from '../reminders/delivery.js';
import { CLOSE } from './protocol.js';
import type { VoiceSession } from './session.js';

/**
 * What opened a session: the person's access token, one of their device keys, or a phone call
 * (a call token minted for a caller's number, no credential of the person's).
 */
export type SessionOpener = { via: 'bearer' } | { via: 'device'; deviceId: string } | { via: 'phone' };

/** Why the server hung up; sent as the close reason with CLOSE.revoked. */
export type RevokeReason = 'device key revoked' | 'password changed' | 'account deleted';

export class VoiceSessions implements NotificationSink {
  private readonly byUser = new Map<string, Map<VoiceSession, SessionOpener>>();

  add(session: VoiceSession, opener: SessionOpener = { via: 'phone' }): void {
    let sessions = this.byUser.get(session.userId);
    if (!sessions) this.byUser.set(session.userId, (sessions = new Map()));
    sessions.set(session, opener);
  }

  remove(session: VoiceSession): void {
    const sessions = this.byUser.get(session.userId);
    if (!sessions) return;
    sessions.delete(session);
    if (sessions.size === 0) this.byUser.delete(session.userId);
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
    for (const session of this.byUser.get(userId)?.keys() ?? []) {
      try {
        session.deliverReminder(spokenReminder(n));
        delivered++;
      } catch {
        // A broken socket is cleaned up by its close handler; the notification stays unread.
      }
    }
    return delivered;
  }

  /** Hangs up the sessions one device key opened (the key was revoked); returns how many. */
  closeDevice(userId: string, deviceId: string): number {
    return this.hangUp(userId, 'device key revoked', (o) => o.via === 'device' && o.deviceId === deviceId);
  }

  /** Hangs up every session of the user, phone calls included; returns how many. */
  closeUser(userId: string, reason: Exclude<RevokeReason, 'device key revoked'>): number {
    return this.hangUp(userId, reason, () => true);
  }

  closeAll(): void {
    for (const sessions of this.byUser.values()) for (const s of sessions.keys()) s.close();
  }

  private hangUp(userId: string, reason: RevokeReason, which: (o: SessionOpener) => boolean): number {
    let n = 0;
    for (const [session, opener] of [...(this.byUser.get(userId) ?? [])]) {
      if (!which(opener)) continue;
      // end() closes the transport and the session, whose onClose removes it from this map.
      session.end(CLOSE.revoked, reason);
      this.remove(session);
      n++;
    }
    return n;
  }
}
