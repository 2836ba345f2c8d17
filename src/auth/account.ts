/**
 * The person's control over their account. Each action spans more than podd_auth.db — live
 * voice sessions are hung up — so it is wired here rather than in AuthService.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { VoiceSessions } from '../voice/registry.js';
import type { AuthService } from './service.js';

export interface AccountServiceDeps {
  auth: AuthService;
  sessions: VoiceSessions;
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
}
