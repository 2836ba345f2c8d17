import { join } from 'node:path';
import { migrate, openEncryptedDatabase, type Migration, type SqliteDatabase } from '../db/sqlite.js';
import { careMigration } from '../care/circle.js';
import { addAlertOwner, telephonyMigration } from '../telephony/store.js';

/**
 * podd_auth.db holds only accounts, refresh tokens, device keys, telephony routing and the care
 * circle (who may look after whom, and who looked): never health data.
 * It is encrypted at rest with the same data key as the health store because emails and
 * password hashes are personal data too.
 */
const MIGRATIONS: Migration[] = [
  {
    version: 1,
    up: (db) => {
      db.exec(`
        CREATE TABLE users (
          id            TEXT PRIMARY KEY,
          email         TEXT NOT NULL UNIQUE,
          password_hash TEXT NOT NULL,
          name          TEXT NOT NULL,
          created_at    TEXT NOT NULL,
          updated_at    TEXT NOT NULL
        );
        CREATE TABLE refresh_tokens (
          id          TEXT PRIMARY KEY,
          user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          token       TEXT NOT NULL UNIQUE,          -- SHA-256 hex of the token the client holds
          expires_at  TEXT NOT NULL,
          created_at  TEXT NOT NULL,
          family_id   TEXT NOT NULL,                 -- every rotation of one login shares it
          revoked_at  TEXT,
          replaced_by TEXT
        );
        CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id);
        CREATE INDEX refresh_tokens_user ON refresh_tokens(user_id);
      `);
    },
  },
  {
    version: 2,
    up: (db) => {
      db.exec(`
        CREATE TABLE devices (
          id           TEXT PRIMARY KEY,
          user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          name         TEXT NOT NULL,
          key_hash     TEXT NOT NULL UNIQUE,         -- SHA-256 hex of the device key
          key_prefix   TEXT NOT NULL,                -- first characters, to tell keys apart in lists
          created_at   TEXT NOT NULL,
          last_used_at TEXT
        );
        CREATE INDEX devices_user ON devices(user_id);
      `);
    },
  },
  // Phone routes (keyed hashes of E.164 numbers), single-use call tokens, caregiver-alert ledger:
  // identity and routing data, no health data.
  telephonyMigration(3),
  {
    version: 4,
    up: (db) => {
      // Access tokens carry it; a password change bumps it, so tokens issued before stop working.
      db.exec('ALTER TABLE users ADD COLUMN token_version INTEGER NOT NULL DEFAULT 0');
      // Account deletion finds the account's caregiver-alert claims by their owner.
      addAlertOwner(db);
    },
  },
  // The care circle: invitations, caregiver links and the access log (who read what, when).
  careMigration(5),
];

export const AUTH_DB_FILE = 'podd_auth.db';

export function openAuthDatabase(dataDir: string, key: Buffer): SqliteDatabase {
  const db = openEncryptedDatabase(join(dataDir, AUTH_DB_FILE), key);
  migrate(db, MIGRATIONS);
  return db;
}
