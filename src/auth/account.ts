/**
 * The person's control over their account (DPDP Act / GDPR): revoke a device, change the
 * password, export everything, delete everything. Each spans more than podd_auth.db — live voice
 * sessions are hung up, the reminder index forgets the user, the health graph is dropped — so it
 * is wired here rather than in AuthService.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { SqliteDatabase } from '../db/sqlite.js';
import type { HealthService } from '../health/service.js';
import type { HealthItem } from '../locusgraph/health.js';
import { EVENT_TYPE_NAMES, type EventType } from '../locusgraph/schemas.js';
import type { AlertLedger, CallTokens, PhoneRoutes } from '../telephony/store.js';
import type { VoiceSessions } from '../voice/registry.js';
import type { AuthRepository } from './repository.js';
import type { AuthService, PublicUser } from './service.js';

export interface AccountExport {
  exported_at: string;
  account: PublicUser;
  /** Device keys by name and dates; never the keys or their hashes. */
  devices: Array<{ id: string; name: string; created_at: string; last_used_at: string | null }>;
  profile: HealthItem<'profile'> | null;
  /** Every other record, by type, newest first; every type is present, empty or not. */
  events: Record<string, Array<Record<string, unknown> & { id: string; created_at: string; updated_at: string }>>;
}

export interface AccountServiceDeps {
  auth: AuthService;
  repo: AuthRepository;
  /** podd_auth.db: the account's rows in every table go in one transaction. */
  db: SqliteDatabase;
  health: HealthService;
  sessions: VoiceSessions;
  reminders: { forgetUser(userId: string): void };
  telephony: { routes: PhoneRoutes; tokens: CallTokens; ledger: AlertLedger };
  now: () => number;
  log: Pick<FastifyBaseLogger, 'info' | 'warn'>;
}

export class AccountService {
  constructor(private readonly d: AccountServiceDeps) {}

  /** Revokes one device key and hangs up the voice sessions it opened. */
  revokeDevice(userId: string, deviceId: string): void {
    this.d.auth.revokeDevice(userId, deviceId);
    const closed = this.d.sessions.closeDevice(userId, deviceId);
    this.d.log.info({ userId, deviceId, sessionsClosed: closed }, 'device key revoked');
  }

  /** New password; every token issued before is void, and every live session is hung up. */
  async changePassword(userId: string, currentPassword: string, newPassword: string): Promise<void> {
    await this.d.auth.changePassword(userId, currentPassword, newPassword);
    const closed = this.d.sessions.closeUser(userId, 'password changed');
    this.d.log.info({ userId, sessionsClosed: closed }, 'password changed');
  }

  /** Everything stored about the person, paged out of the store type by type. */
  async exportData(userId: string): Promise<AccountExport> {
    const account = this.d.auth.me(userId);
    const devices = this.d.auth.listDevices(userId).map((d) => ({ id: d.id, name: d.name, created_at: d.created_at, last_used_at: d.last_used_at }));
    const health = this.d.health.forUser(userId);
    const events: AccountExport['events'] = {};
    for (const type of EVENT_TYPE_NAMES.filter((t): t is Exclude<EventType, 'profile'> => t !== 'profile')) {
      events[type] = await health.all(type, { cap: Infinity });
    }
    return { exported_at: new Date(this.d.now()).toISOString(), account, devices, profile: await health.profile(), events };
  }

  /**
   * Deletes the account and everything of it, after checking the password. In an order that can
   * be retried: first every credential but the password stops working and live sessions end, then
   * the health graph goes (the step that can fail, against a hosted store), and only then the
   * rows in podd_auth.db — so a failure leaves an account the person can sign in to and delete again,
   * never rows gone with the health data still there.
   */
  async deleteAccount(userId: string, password: string): Promise<void> {
    await this.d.auth.verifyPassword(userId, password);
    this.d.repo.lockOut(userId, new Date(this.d.now()).toISOString());
    const closed = this.d.sessions.closeUser(userId, 'account deleted');
    this.d.reminders.forgetUser(userId);
    const { forgotten } = await this.d.health.forUser(userId).store.forgetGraph();
    const { routes, tokens, ledger } = this.d.telephony;
    this.d.db.transaction(() => {
      routes.forgetUser(userId);
      tokens.forgetUser(userId);
      ledger.forgetUser(userId);
      this.d.repo.deleteUser(userId);
    })();
    this.d.log.info({ userId, events: forgotten, sessionsClosed: closed }, 'account deleted');
  }
}
