import { randomUUID } from 'node:crypto';
import type { SqliteDatabase } from '../db/sqlite.js';

export interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  name: string;
  created_at: string;
  updated_at: string;
  /** Bumped by a password change: access tokens carry it and stop working when it moves on. */
  token_version: number;
}

export interface RefreshTokenRow {
  id: string;
  user_id: string;
  token: string;
  expires_at: string;
  created_at: string;
  family_id: string;
  revoked_at: string | null;
  replaced_by: string | null;
}

export interface DeviceRow {
  id: string;
  user_id: string;
  name: string;
  key_hash: string;
  key_prefix: string;
  created_at: string;
  last_used_at: string | null;
}

/** All SQL of podd_auth.db, as prepared statements. The Postgres port would reimplement this class. */
export class AuthRepository {
  private readonly s;

  constructor(readonly db: SqliteDatabase) {
    this.s = {
      insertUser: db.prepare(
        'INSERT INTO users (id, email, password_hash, name, created_at, updated_at) VALUES (@id, @email, @password_hash, @name, @created_at, @updated_at)',
      ),
      userByEmail: db.prepare('SELECT * FROM users WHERE email = ?'),
      userById: db.prepare('SELECT * FROM users WHERE id = ?'),
      insertToken: db.prepare(
        'INSERT INTO refresh_tokens (id, user_id, token, expires_at, created_at, family_id) VALUES (@id, @user_id, @token, @expires_at, @created_at, @family_id)',
      ),
      tokenByHash: db.prepare('SELECT * FROM refresh_tokens WHERE token = ?'),
      rotateToken: db.prepare(
        'UPDATE refresh_tokens SET revoked_at = @now, replaced_by = @replaced_by WHERE id = @id AND revoked_at IS NULL',
      ),
      revokeFamily: db.prepare('UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL'),
      purgeExpired: db.prepare('DELETE FROM refresh_tokens WHERE expires_at < ?'),
      insertDevice: db.prepare(
        'INSERT INTO devices (id, user_id, name, key_hash, key_prefix, created_at) VALUES (@id, @user_id, @name, @key_hash, @key_prefix, @created_at)',
      ),
      devicesOf: db.prepare('SELECT * FROM devices WHERE user_id = ? ORDER BY created_at DESC, id'),
      deviceByHash: db.prepare('SELECT * FROM devices WHERE key_hash = ?'),
      deleteDevice: db.prepare('DELETE FROM devices WHERE id = ? AND user_id = ?'),
      touchDevice: db.prepare('UPDATE devices SET last_used_at = ? WHERE id = ?'),
      tokenVersion: db.prepare('SELECT token_version FROM users WHERE id = ?').pluck(),
      setPassword: db.prepare(
        'UPDATE users SET password_hash = @hash, updated_at = @now, token_version = token_version + 1 WHERE id = @id',
      ),
      bumpTokenVersion: db.prepare('UPDATE users SET token_version = token_version + 1, updated_at = ? WHERE id = ?'),
      revokeUserTokens: db.prepare('UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL'),
      deleteUserTokens: db.prepare('DELETE FROM refresh_tokens WHERE user_id = ?'),
      deleteUserDevices: db.prepare('DELETE FROM devices WHERE user_id = ?'),
      deleteUser: db.prepare('DELETE FROM users WHERE id = ?'),
      ping: db.prepare('SELECT 1 AS ok'),
      userIds: db.prepare('SELECT id FROM users ORDER BY created_at, id').pluck(),
    };
  }

  insertUser(row: Omit<UserRow, 'token_version'>): void {
    this.s.insertUser.run(row);
  }

  userByEmail(email: string): UserRow | undefined {
    return this.s.userByEmail.get(email) as UserRow | undefined;
  }

  userById(id: string): UserRow | undefined {
    return this.s.userById.get(id) as UserRow | undefined;
  }

  /** undefined when the account does not exist (any more). */
  tokenVersion(userId: string): number | undefined {
    return this.s.tokenVersion.get(userId) as number | undefined;
  }

  /** New password hash, every access token void (version bump), every refresh token revoked: one transaction. */
  changePassword(userId: string, hash: string, now: string): void {
    this.db.transaction(() => {
      this.s.setPassword.run({ id: userId, hash, now });
      this.s.revokeUserTokens.run(now, userId);
    })();
  }

  /**
   * Ends every way into the account but the password: access tokens void, refresh tokens
   * revoked, device keys deleted. The first step of deleting an account.
   */
  lockOut(userId: string, now: string): void {
    this.db.transaction(() => {
      this.s.bumpTokenVersion.run(now, userId);
      this.s.revokeUserTokens.run(now, userId);
      this.s.deleteUserDevices.run(userId);
    })();
  }

  /** The account's rows in this repository's tables; false when there was no account. */
  deleteUser(userId: string): boolean {
    return this.db.transaction(() => {
      this.s.deleteUserTokens.run(userId);
      this.s.deleteUserDevices.run(userId);
      return this.s.deleteUser.run(userId).changes === 1;
    })();
  }

  insertRefreshToken(row: Omit<RefreshTokenRow, 'revoked_at' | 'replaced_by'>): void {
    this.s.insertToken.run(row);
  }

  refreshTokenByHash(hash: string): RefreshTokenRow | undefined {
    return this.s.tokenByHash.get(hash) as RefreshTokenRow | undefined;
  }

  /** Marks `old` as used and inserts its successor atomically; false when `old` was already used. */
  rotateRefreshToken(oldId: string, next: Omit<RefreshTokenRow, 'revoked_at' | 'replaced_by'>, now: string): boolean {
    return this.db.transaction(() => {
      const changed = this.s.rotateToken.run({ id: oldId, now, replaced_by: next.id }).changes;
      if (changed !== 1) return false;
      this.s.insertToken.run(next);
      return true;
    })();
  }

  revokeFamily(familyId: string, now: string): number {
    return this.s.revokeFamily.run(now, familyId).changes;
  }

  purgeExpiredRefreshTokens(now: string): number {
    return this.s.purgeExpired.run(now).changes;
  }

  insertDevice(row: Omit<DeviceRow, 'last_used_at'>): void {
    this.s.insertDevice.run(row);
  }

  devicesOf(userId: string): DeviceRow[] {
    return this.s.devicesOf.all(userId) as DeviceRow[];
  }

  deviceByKeyHash(hash: string): DeviceRow | undefined {
    return this.s.deviceByHash.get(hash) as DeviceRow | undefined;
  }

  deleteDevice(id: string, userId: string): boolean {
    return this.s.deleteDevice.run(id, userId).changes === 1;
  }

  touchDevice(id: string, at: string): void {
    this.s.touchDevice.run(at, id);
  }

  allUserIds(): string[] {
    return this.s.userIds.all() as string[];
  }

  ping(): boolean {
    return (this.s.ping.get() as { ok: number }).ok === 1;
  }
}

export const newId = () => randomUUID();
