import { AppError, conflict, notFound } from '../errors.js';
import type { PasswordHasher } from './passwords.js';
import { newId, type AuthRepository, type UserRow } from './repository.js';
import { randomToken, sha256Hex, type AccessTokens, type Clock } from './tokens.js';

export interface PublicUser {
  id: string;
  email: string;
  name: string;
  created_at: string;
}

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'bearer';
  expires_in: number;
  user: PublicUser;
}

export interface AuthenticatedUser {
  id: string;
  via: 'bearer' | 'device';
  deviceId?: string;
}

export const DEVICE_KEY_PREFIX = 'pdk_';

/** Lower-cased, NFC-normalised and trimmed: one account per mailbox however it is typed. */
export const normalizeEmail = (email: string) => email.normalize('NFC').trim().toLowerCase();

const toPublic = (u: UserRow): PublicUser => ({ id: u.id, email: u.email, name: u.name, created_at: u.created_at });

export class AuthService {
  constructor(
    private readonly repo: AuthRepository,
    private readonly passwords: PasswordHasher,
    private readonly access: AccessTokens,
    private readonly refreshTtlS: number,
    private readonly now: Clock = Date.now,
  ) {}

  private iso(offsetS = 0) {
    return new Date(this.now() + offsetS * 1000).toISOString();
  }

  async register(input: { email: string; password: string; name: string }): Promise<TokenPair> {
    const email = normalizeEmail(input.email);
    if (this.repo.userByEmail(email)) throw conflict('An account with this email already exists');
    const passwordHash = await this.passwords.hash(input.password);
    const at = this.iso();
    const user: UserRow = { id: newId(), email, password_hash: passwordHash, name: input.name.trim(), created_at: at, updated_at: at, token_version: 0 };
    try {
      this.repo.insertUser(user);
    } catch (err) {
      // Two registrations racing through the hash: the UNIQUE index decides.
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw conflict('An account with this email already exists');
      }
      throw err;
    }
    return this.issuePair(user, newId());
  }

  async login(input: { email: string; password: string }): Promise<TokenPair> {
    const user = this.repo.userByEmail(normalizeEmail(input.email));
    const ok = await this.passwords.verify(user?.password_hash, input.password);
    if (!user || !ok) throw new AppError('INVALID_CREDENTIALS', 'Invalid email or password');
    return this.issuePair(user, newId());
  }

  /**
   * Rotates a refresh token. A token that was already rotated or revoked is treated as stolen:
   * its whole family is revoked, so the thief's and the owner's newest tokens both stop working.
   */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const row = this.repo.refreshTokenByHash(sha256Hex(refreshToken));
    if (!row) throw new AppError('TOKEN_INVALID', 'Invalid refresh token');
    const now = this.iso();
    if (row.revoked_at !== null) {
      this.repo.revokeFamily(row.family_id, now);
      throw new AppError('TOKEN_INVALID', 'Refresh token was already used; please sign in again');
    }
    if (row.expires_at <= now) throw new AppError('TOKEN_EXPIRED', 'Refresh token expired; please sign in again');
    const user = this.repo.userById(row.user_id);
    if (!user) throw new AppError('TOKEN_INVALID', 'Invalid refresh token');

    const token = randomToken();
    const next = { id: newId(), user_id: user.id, token: sha256Hex(token), expires_at: this.iso(this.refreshTtlS), created_at: now, family_id: row.family_id };
    if (!this.repo.rotateRefreshToken(row.id, next, now)) {
      this.repo.revokeFamily(row.family_id, now);
      throw new AppError('TOKEN_INVALID', 'Refresh token was already used; please sign in again');
    }
    return this.pair(user, token);
  }

  /** Idempotent: an unknown or already revoked token still answers success. */
  logout(refreshToken: string): void {
    const row = this.repo.refreshTokenByHash(sha256Hex(refreshToken));
    if (row) this.repo.revokeFamily(row.family_id, this.iso());
  }

  me(userId: string): PublicUser {
    const user = this.repo.userById(userId);
    if (!user) throw new AppError('TOKEN_INVALID', 'Account no longer exists');
    return toPublic(user);
  }

  /**
   * A valid signature is not enough: the account must still exist (deleted accounts' tokens
   * stop at once) and the token must carry its current version (a password change signs every
   * earlier token out). One primary-key read per request.
   */
  async authenticateBearer(token: string): Promise<AuthenticatedUser> {
    const claims = await this.access.verify(token);
    const version = this.repo.tokenVersion(claims.userId);
    if (version === undefined) throw new AppError('TOKEN_INVALID', 'Account no longer exists');
    if (version !== claims.version) throw new AppError('TOKEN_INVALID', 'Signed out: the password was changed; please sign in again');
    return { id: claims.userId, via: 'bearer' };
  }

  /** INVALID_CREDENTIALS (401) unless `password` is the account's; `field` names it in the details. */
  async verifyPassword(userId: string, password: string, field = 'password'): Promise<void> {
    const user = this.repo.userById(userId);
    if (!user) throw new AppError('TOKEN_INVALID', 'Account no longer exists');
    if (!(await this.passwords.verify(user.password_hash, password))) {
      throw new AppError('INVALID_CREDENTIALS', 'The password is not correct', { [field]: 'is not correct' });
    }
  }

  /**
   * Sets a new password after checking the current one. Every access token issued before stops
   * working and every refresh token is revoked; device keys stay (they are revoked one by one).
   */
  async changePassword(userId: string, currentPassword: string, newPassword: string): Promise<void> {
    await this.verifyPassword(userId, currentPassword, 'current_password');
    if (newPassword === currentPassword) {
      throw new AppError('VALIDATION_ERROR', 'Request validation failed', { new_password: 'must differ from the current password' });
    }
    const hash = await this.passwords.hash(newPassword);
    this.repo.changePassword(userId, hash, this.iso());
  }

  authenticateDevice(key: string): AuthenticatedUser {
    const device = key.startsWith(DEVICE_KEY_PREFIX) ? this.repo.deviceByKeyHash(sha256Hex(key)) : undefined;
    if (!device) throw new AppError('TOKEN_INVALID', 'Invalid device key');
    const now = this.now();
    // One write a minute at most: device requests are frequent and this is only a hint.
    if (!device.last_used_at || now - Date.parse(device.last_used_at) > 60_000) {
      this.repo.touchDevice(device.id, new Date(now).toISOString());
    }
    return { id: device.user_id, via: 'device', deviceId: device.id };
  }

  createDevice(userId: string, name: string) {
    const key = randomToken(DEVICE_KEY_PREFIX);
    const row = { id: newId(), user_id: userId, name: name.trim(), key_hash: sha256Hex(key), key_prefix: key.slice(0, 10), created_at: this.iso() };
    this.repo.insertDevice(row);
    return { id: row.id, name: row.name, key, key_prefix: row.key_prefix, created_at: row.created_at };
  }

  listDevices(userId: string) {
    return this.repo.devicesOf(userId).map((d) => ({
      id: d.id,
      name: d.name,
      key_prefix: d.key_prefix,
      created_at: d.created_at,
      last_used_at: d.last_used_at,
    }));
  }

  revokeDevice(userId: string, deviceId: string): void {
    if (!this.repo.deleteDevice(deviceId, userId)) throw notFound('Device');
  }

  private async issuePair(user: UserRow, familyId: string): Promise<TokenPair> {
    const token = randomToken();
    this.repo.insertRefreshToken({
      id: newId(),
      user_id: user.id,
      token: sha256Hex(token),
      expires_at: this.iso(this.refreshTtlS),
      created_at: this.iso(),
      family_id: familyId,
    });
    return this.pair(user, token);
  }

  private async pair(user: UserRow, refreshToken: string): Promise<TokenPair> {
    return {
      access_token: await this.access.issue(user.id, user.token_version),
      refresh_token: refreshToken,
      token_type: 'bearer',
      expires_in: this.access.ttlS,
      user: toPublic(user),
    };
  }
}
