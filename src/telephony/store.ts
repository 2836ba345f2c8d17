/**
 * Telephony's tables in podd_auth.db. They hold identity and routing data only, never health
 * data: a keyed hash of a phone number → user id (who is calling), hashes of short-lived call
 * tokens, and hashes of the caregiver alerts already sent (so each dose alerts at most once,
 * across instances sharing the database). Every row names its user, so deleting an account
 * deletes its rows here too.
 *
 * Phone numbers are stored as HMAC-SHA256 under a key derived from the data key, not plain
 * SHA-256: the space of phone numbers is small enough to hash exhaustively.
 */
import { createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { Migration, SqliteDatabase } from '../db/sqlite.js';

/** Idempotent, so it can run as a numbered migration or on its own in tests and tools. */
export function createTelephonyTables(db: SqliteDatabase): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS phone_routes (
      phone_hash TEXT NOT NULL,                       -- HMAC-SHA256 hex of the E.164 number
      user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (phone_hash, user_id)
    );
    CREATE INDEX IF NOT EXISTS phone_routes_user ON phone_routes(user_id);
    CREATE TABLE IF NOT EXISTS call_tokens (
      token_hash TEXT PRIMARY KEY,                    -- SHA-256 hex of the token the provider holds
      user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      purpose    TEXT NOT NULL,                       -- inbound | reminder
      ref        TEXT,                                -- reminder calls: the notification id
      expires_at INTEGER NOT NULL,                    -- epoch ms
      used_at    INTEGER
    );
    CREATE INDEX IF NOT EXISTS call_tokens_expiry ON call_tokens(expires_at);
    CREATE TABLE IF NOT EXISTS caregiver_alerts_sent (
      alert_key TEXT PRIMARY KEY,                     -- SHA-256 hex of user id + notification id
      sent_at   INTEGER NOT NULL,
      user_id   TEXT                                  -- whose (account deletion); NULL on rows from before it was kept
    );
  `);
  addAlertOwner(db);
}

/**
 * The alert ledger's owner column, for databases whose ledger predates it (podd_auth.db
 * migration 4). Idempotent. No foreign key: a claim never fails for want of an account row.
 */
export function addAlertOwner(db: SqliteDatabase): void {
  const columns = db.pragma('table_info(caregiver_alerts_sent)') as Array<{ name: string }>;
  if (!columns.some((c) => c.name === 'user_id')) db.exec('ALTER TABLE caregiver_alerts_sent ADD COLUMN user_id TEXT');
  db.exec('CREATE INDEX IF NOT EXISTS caregiver_alerts_user ON caregiver_alerts_sent(user_id)');
}

/** The migration the lead adds to podd_auth.db's list, under the next free version number. */
export function telephonyMigration(version: number): Migration {
  return { version, up: createTelephonyTables };
}

/** A key for phone hashes, derived from the data key so the hashes change if it does. */
export function phoneHashKey(dataKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'podd phone routes v1', 32));
}

export const sha256Hex = (s: string) => createHash('sha256').update(s).digest('hex');

export class PhoneRoutes {
  private readonly s;

  constructor(db: SqliteDatabase, private readonly key: Buffer, private readonly now: () => number = Date.now) {
    this.s = {
      upsert: db.prepare('INSERT INTO phone_routes (phone_hash, user_id, updated_at) VALUES (?, ?, ?) ON CONFLICT (phone_hash, user_id) DO UPDATE SET updated_at = excluded.updated_at'),
      removeUser: db.prepare('DELETE FROM phone_routes WHERE user_id = ?'),
      usersOf: db.prepare('SELECT user_id FROM phone_routes WHERE phone_hash = ? LIMIT 2').pluck(),
    };
    this.setTx = db.transaction((userId: string, hash: string | null) => {
      this.s.removeUser.run(userId);
      if (hash) this.s.upsert.run(hash, userId, new Date(this.now()).toISOString());
    });
  }

  private readonly setTx: (userId: string, hash: string | null) => void;

  hash(e164: string): string {
    return createHmac('sha256', this.key).update(e164).digest('hex');
  }

  /** The user's number (E.164), or null when they have none: replaces whatever was there. */
  set(userId: string, e164: string | null): void {
    this.setTx(userId, e164 ? this.hash(e164) : null);
  }

  /** Removes the user's number (account deletion). */
  forgetUser(userId: string): void {
    this.s.removeUser.run(userId);
  }

  /**
   * The one user with this number. Two accounts claiming one number is ambiguous, and a caller
   * must never hear someone else's data: such a number routes to nobody.
   */
  lookup(e164: string): { userId: string } | { ambiguous: true } | null {
    const users = this.s.usersOf.all(this.hash(e164)) as string[];
    if (users.length === 1) return { userId: users[0]! };
    return users.length > 1 ? { ambiguous: true } : null;
  }
}

export type CallPurpose = 'inbound' | 'reminder';

export interface CallGrant {
  userId: string;
  purpose: CallPurpose;
  ref: string | null;
}

/**
 * Short-lived, single-use call tokens: minted when a call is set up (webhook or outbound call),
 * redeemed by the stream's `start`. 128 random bits, hex, so they fit every provider's channel
 * (Plivo extraHeaders take letters and digits only). Only their hash is stored.
 */
export class CallTokens {
  private readonly s;

  constructor(db: SqliteDatabase, private readonly now: () => number = Date.now) {
    this.s = {
      insert: db.prepare('INSERT INTO call_tokens (token_hash, user_id, purpose, ref, expires_at) VALUES (?, ?, ?, ?, ?)'),
      // One statement: two streams presenting the same token cannot both win.
      redeem: db.prepare(
        'UPDATE call_tokens SET used_at = @now WHERE token_hash = @hash AND used_at IS NULL AND expires_at > @now RETURNING user_id AS userId, purpose, ref',
      ),
      purge: db.prepare('DELETE FROM call_tokens WHERE expires_at < ?'),
      removeUser: db.prepare('DELETE FROM call_tokens WHERE user_id = ?'),
    };
  }

  /** Drops every token of the user, used or not (account deletion). */
  forgetUser(userId: string): void {
    this.s.removeUser.run(userId);
  }

  issue(userId: string, purpose: CallPurpose, ttlMs: number, ref: string | null = null, token = randomHex(16)): string {
    this.s.purge.run(this.now() - 3600_000);
    this.s.insert.run(sha256Hex(token), userId, purpose, ref, this.now() + ttlMs);
    return token;
  }

  redeem(token: unknown): CallGrant | null {
    if (typeof token !== 'string' || !/^[0-9a-f]{32}$/.test(token)) return null;
    return (this.s.redeem.get({ hash: sha256Hex(token), now: this.now() }) as CallGrant | undefined) ?? null;
  }
}

const randomHex = (bytes: number) => randomBytes(bytes).toString('hex');

/** Each caregiver alert key is claimed once; the first claimer sends, everyone else skips. */
export class AlertLedger {
  private readonly claimStmt;
  private readonly windowStmt;
  private readonly forgetStmt;

  constructor(db: SqliteDatabase, private readonly now: () => number = Date.now) {
    this.claimStmt = db.prepare('INSERT OR IGNORE INTO caregiver_alerts_sent (alert_key, sent_at, user_id) VALUES (?, ?, ?)');
    // One statement, so two instances sharing the file cannot both claim the same window.
    this.windowStmt = db.prepare(
      'INSERT INTO caregiver_alerts_sent (alert_key, sent_at, user_id) VALUES (?, ?, ?) ON CONFLICT(alert_key) DO UPDATE SET sent_at = excluded.sent_at, user_id = excluded.user_id WHERE caregiver_alerts_sent.sent_at <= ?',
    );
    this.forgetStmt = db.prepare('DELETE FROM caregiver_alerts_sent WHERE user_id = ?');
  }

  /** Once ever per (user, key): a missed dose's text. */
  claim(userId: string, notificationId: string): boolean {
    return this.claimStmt.run(sha256Hex(`${userId}|${notificationId}`), this.now(), userId).changes === 1;
  }

  /** Once per `windowMs` per (user, key): true when nothing was claimed for it within the window. */
  claimWindow(userId: string, key: string, windowMs: number): boolean {
    const now = this.now();
    return this.windowStmt.run(sha256Hex(`${userId}|window|${key}`), now, userId, now - windowMs).changes === 1;
  }

  /** Drops the user's claims (account deletion). */
  forgetUser(userId: string): void {
    this.forgetStmt.run(userId);
  }
}
