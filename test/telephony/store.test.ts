import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAuthDatabase } from '../../src/auth/db.js';
import { migrate, type SqliteDatabase } from '../../src/db/sqlite.js';
import { openEncryptedDatabase } from '../../src/db/sqlite.js';
import { addAlertOwner, AlertLedger, CallTokens, createTelephonyTables, phoneHashKey, PhoneRoutes, telephonyMigration } from '../../src/telephony/store.js';
import { tempDir } from '../helpers/app.js';

let dir: string;
let db: SqliteDatabase;
const key = randomBytes(32);

function addUser(id: string) {
  db.prepare("INSERT INTO users (id, email, password_hash, name, created_at, updated_at) VALUES (?, ?, 'x', 'n', 't', 't')").run(id, `${id}@example.com`);
}

beforeEach(() => {
  dir = tempDir();
  db = openAuthDatabase(dir, key);
  createTelephonyTables(db);
  for (const id of ['u1', 'u2']) addUser(id);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('telephony tables', () => {
  it('are created by a numbered migration after the auth ones, and creating them twice is harmless', () => {
    const fresh = openAuthDatabase(tempDir(), key);
    const before = fresh.pragma('user_version', { simple: true }) as number;
    expect(migrate(fresh, [telephonyMigration(before + 1)])).toBe(before + 1);
    createTelephonyTables(fresh);
    const tables = fresh.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['phone_routes', 'call_tokens', 'caregiver_alerts_sent']));
    fresh.close();
  });
});

describe('the alert ledger owner column', () => {
  it('is added to a ledger from before it existed, keeping its rows, and adding it twice is harmless', () => {
    const legacy = openEncryptedDatabase(join(tempDir(), 'legacy.db'), key);
    legacy.exec('CREATE TABLE caregiver_alerts_sent (alert_key TEXT PRIMARY KEY, sent_at INTEGER NOT NULL)');
    legacy.prepare('INSERT INTO caregiver_alerts_sent VALUES (?, ?)').run('a'.repeat(64), 1);
    addAlertOwner(legacy);
    addAlertOwner(legacy);
    expect(legacy.prepare('SELECT alert_key, sent_at, user_id FROM caregiver_alerts_sent').all()).toEqual([{ alert_key: 'a'.repeat(64), sent_at: 1, user_id: null }]);
    // An old row's window claimed again learns its owner.
    const ledger = new AlertLedger(legacy, () => 10_000);
    expect(ledger.claim('u1', 'fire-1')).toBe(true);
    expect(legacy.prepare('SELECT count(*) FROM caregiver_alerts_sent WHERE user_id = ?').pluck().get('u1')).toBe(1);
    legacy.close();
  });
});

describe('forgetting a user (account deletion)', () => {
  it("deletes the user's phone route, call tokens and alert claims, and nobody else's", () => {
    const routes = new PhoneRoutes(db, phoneHashKey(key));
    const tokens = new CallTokens(db);
    const ledger = new AlertLedger(db);
    for (const [id, phone] of [['u1', '+919876543210'], ['u2', '+919000000000']] as const) {
      routes.set(id, phone);
      tokens.issue(id, 'inbound', 60_000);
      ledger.claim(id, 'fire-1');
      ledger.claimWindow(id, 'emergency', 60_000);
    }
    const count = (table: string, id: string) => db.prepare(`SELECT count(*) FROM ${table} WHERE user_id = ?`).pluck().get(id);
    routes.forgetUser('u1');
    tokens.forgetUser('u1');
    ledger.forgetUser('u1');
    for (const table of ['phone_routes', 'call_tokens', 'caregiver_alerts_sent']) expect(count(table, 'u1'), table).toBe(0);
    expect([count('phone_routes', 'u2'), count('call_tokens', 'u2'), count('caregiver_alerts_sent', 'u2')]).toEqual([1, 1, 2]);
    expect(routes.lookup('+919876543210')).toBeNull();
    expect(routes.lookup('+919000000000')).toEqual({ userId: 'u2' });
    // Forgotten claims can be made again (a new account with the same id would start clean).
    expect(ledger.claim('u1', 'fire-1')).toBe(true);
    expect(ledger.claim('u2', 'fire-1')).toBe(false);
  });
});

describe('PhoneRoutes', () => {
  it('routes a number to its one user, follows changes, and forgets removed numbers', () => {
    const routes = new PhoneRoutes(db, phoneHashKey(key));
    routes.set('u1', '+919876543210');
    expect(routes.lookup('+919876543210')).toEqual({ userId: 'u1' });
    routes.set('u1', '+919000000000');
    expect(routes.lookup('+919876543210')).toBeNull();
    expect(routes.lookup('+919000000000')).toEqual({ userId: 'u1' });
    routes.set('u1', null);
    expect(routes.lookup('+919000000000')).toBeNull();
  });

  it('routes a number two accounts claim to nobody', () => {
    const routes = new PhoneRoutes(db, phoneHashKey(key));
    routes.set('u1', '+919876543210');
    routes.set('u2', '+919876543210');
    expect(routes.lookup('+919876543210')).toEqual({ ambiguous: true });
    routes.set('u2', null);
    expect(routes.lookup('+919876543210')).toEqual({ userId: 'u1' });
  });

  it('stores a keyed hash, never the number, and deleting the user deletes the route', () => {
    const routes = new PhoneRoutes(db, phoneHashKey(key));
    routes.set('u1', '+919876543210');
    const row = db.prepare('SELECT phone_hash FROM phone_routes').get() as { phone_hash: string };
    expect(row.phone_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.phone_hash).not.toBe(new PhoneRoutes(db, phoneHashKey(randomBytes(32))).hash('+919876543210'));
    db.pragma('wal_checkpoint(TRUNCATE)');
    for (const f of readdirSync(dir).filter((f) => f.startsWith('podd_auth.db'))) expect(readFileSync(join(dir, f)).includes('9876543210')).toBe(false);
    db.prepare('DELETE FROM users WHERE id = ?').run('u1');
    expect(routes.lookup('+919876543210')).toBeNull();
  });
});

describe('CallTokens', () => {
  it('redeem a token once, before it expires, for the user and purpose it was issued for', () => {
    let t = 1_000_000;
    const tokens = new CallTokens(db, () => t);
    const token = tokens.issue('u1', 'reminder', 60_000, 'fire-abc');
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(tokens.redeem(token)).toEqual({ userId: 'u1', purpose: 'reminder', ref: 'fire-abc' });
    expect(tokens.redeem(token)).toBeNull();
    const late = tokens.issue('u2', 'inbound', 60_000);
    t += 60_001;
    expect(tokens.redeem(late)).toBeNull();
    expect(tokens.redeem('not-a-token')).toBeNull();
    expect(tokens.redeem(undefined)).toBeNull();
    expect(db.prepare('SELECT count(*) FROM call_tokens WHERE token_hash = ?').pluck().get(token)).toBe(0);
  });
});

describe('AlertLedger', () => {
  it('lets each (user, dose) be claimed exactly once', () => {
    const ledger = new AlertLedger(db);
    expect(ledger.claim('u1', 'fire-1')).toBe(true);
    expect(ledger.claim('u1', 'fire-1')).toBe(false);
    expect(ledger.claim('u1', 'fire-2')).toBe(true);
    expect(ledger.claim('u2', 'fire-1')).toBe(true);
  });
});
