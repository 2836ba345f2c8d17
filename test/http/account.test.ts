/**
 * Account control over HTTP with the real app (#18 point 6): password change, export and account
 * deletion — checked in both databases afterwards. (What a device key may not do: devices.test.ts.)
 */
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuthDatabase } from '../../src/auth/db.js';
import { openEncryptedDatabase } from '../../src/db/sqlite.js';
import { EMBEDDED_DB_FILE } from '../../src/locusgraph/embedded.js';
import { graphIdForUser } from '../../src/locusgraph/health.js';
import { EVENT_TYPE_NAMES } from '../../src/locusgraph/schemas.js';
import { makeTestApp, registerUser, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp({ env: { LOGIN_RATE_LIMIT_PER_MIN: '1000', REGISTER_RATE_LIMIT_PER_MIN: '1000', API_RATE_LIMIT_PER_MIN: '100000' } });
});
afterAll(async () => t.close());

type User = Awaited<ReturnType<typeof registerUser>>;
type Headers = Record<string, string>;

const req = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, headers: Headers, payload?: object) =>
  t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
const login = (email: string, password: string) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
const refresh = (token: string) => t.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refresh_token: token } });

async function deviceKey(u: User, name = 'Kitchen speaker'): Promise<{ id: string; key: string; headers: Headers }> {
  const res = await req('POST', '/api/devices', u.auth, { name });
  expect(res.statusCode).toBe(201);
  const { id, key } = res.json();
  return { id, key, headers: { authorization: `Device ${key}` } };
}

function expectError(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json()).toEqual({ status: 'error', error: { code, message: expect.any(String), details: expect.any(Object) } });
  return res.json().error as { details: Record<string, unknown> };
}

const VITALS = { blood_pressure_systolic: 128, blood_pressure_diastolic: 82, heart_rate: 74, logged_at: '2026-02-20T08:00:00+05:30' };
const FOOD = { description: 'Poha with peanuts', calories: 320, meal_type: 'breakfast', logged_at: '2026-02-20T09:00:00+05:30' };
const WATER = { amount_ml: 250, logged_at: '2026-02-20T10:00:00+05:30' };
const MEDICATION = { name: 'Metformin', dosage: '500 mg', quantity: 30 };
const PROFILE = { name: 'Asha Rao', phone: '+919812345678', timezone: 'Asia/Kolkata' };

describe('POST /api/auth/password', () => {
  it('changes the password: 204, every refresh token and earlier access token stops working, the new password signs in', async () => {
    const u = await registerUser(t.app);
    const second = (await login(u.email, u.password)).json();
    const device = await deviceKey(u);

    const res = await req('POST', '/api/auth/password', u.auth, { current_password: u.password, new_password: 'a brand new passphrase' });
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');

    for (const token of [u.refresh_token, second.refresh_token]) expectError(await refresh(token), 401, 'TOKEN_INVALID');
    for (const access of [u.access_token, second.access_token]) {
      expectError(await req('GET', '/api/auth/me', { authorization: `Bearer ${access}` }), 401, 'TOKEN_INVALID');
    }
    expectError(await login(u.email, u.password), 401, 'INVALID_CREDENTIALS');

    const fresh = await login(u.email, 'a brand new passphrase');
    expect(fresh.statusCode).toBe(200);
    const pair = fresh.json();
    expect((await req('GET', '/api/auth/me', { authorization: `Bearer ${pair.access_token}` })).json().id).toBe(u.user.id);
    expect((await refresh(pair.refresh_token)).statusCode).toBe(200);
    // Device keys are revoked one by one, not by a password change.
    expect((await req('GET', '/api/auth/me', device.headers)).statusCode).toBe(200);
  });

  it('refuses a wrong current password with 401 INVALID_CREDENTIALS and changes nothing', async () => {
    const u = await registerUser(t.app);
    const err = expectError(await req('POST', '/api/auth/password', u.auth, { current_password: 'not my password', new_password: 'a brand new passphrase' }), 401, 'INVALID_CREDENTIALS');
    expect(Object.keys(err.details)).toEqual(['current_password']);
    expect((await req('GET', '/api/auth/me', u.auth)).statusCode).toBe(200);
    expect((await refresh(u.refresh_token)).statusCode).toBe(200);
    expect((await login(u.email, u.password)).statusCode).toBe(200);
    expect((await login(u.email, 'a brand new passphrase')).statusCode).toBe(401);
  });

  it('holds the new password to the registration rules and refuses malformed bodies with 400, changing nothing', async () => {
    const u = await registerUser(t.app);
    const cases: Array<[unknown, string]> = [
      [{ current_password: u.password, new_password: 'short' }, 'new_password'],
      [{ current_password: u.password, new_password: 'x'.repeat(129) }, 'new_password'],
      [{ current_password: u.password, new_password: u.password }, 'new_password'],
      [{ current_password: u.password }, 'new_password'],
      [{ new_password: 'a brand new passphrase' }, 'current_password'],
      [{ current_password: u.password, new_password: 'a brand new passphrase', email: 'x@example.com' }, ''],
      [{ current_password: 12345678, new_password: 'a brand new passphrase' }, 'current_password'],
    ];
    for (const [payload, field] of cases) {
      const err = expectError(await req('POST', '/api/auth/password', u.auth, payload as object), 400, 'VALIDATION_ERROR');
      if (field) expect(Object.keys(err.details), JSON.stringify(payload)).toContain(field);
    }
    const notJson = await t.app.inject({ method: 'POST', url: '/api/auth/password', headers: { ...u.auth, 'content-type': 'application/json' }, payload: '{"current_password":' });
    expectError(notJson, 400, 'BAD_REQUEST');
    expectError(await req('POST', '/api/auth/password', {}, { current_password: u.password, new_password: 'a brand new passphrase' }), 401, 'UNAUTHORIZED');
    expect((await req('GET', '/api/auth/me', u.auth)).statusCode).toBe(200);
    expect((await login(u.email, u.password)).statusCode).toBe(200);
  });
});

describe('GET /api/export', () => {
  it('returns the account, devices without keys, the profile and every record by type, and no secret', async () => {
    const u = await registerUser(t.app, { name: 'Asha Rao' });
    const device = await deviceKey(u);
    const stranger = await registerUser(t.app);
    await req('POST', '/api/health/vitals', stranger.auth, { ...VITALS, notes: 'stranger-note' });

    expect((await req('PUT', '/api/profile', u.auth, PROFILE)).statusCode).toBe(201);
    const vitals = (await req('POST', '/api/health/vitals', device.headers, VITALS)).json();
    const food = (await req('POST', '/api/food-logs', u.auth, FOOD)).json();
    const medication = (await req('POST', '/api/medications', u.auth, MEDICATION)).json();
    // More than one page of the store (pages of 100), written through the service like any client's writes.
    await t.app.services.health.forUser(u.user.id).createMany('water', Array.from({ length: 130 }, (_, i) => ({ ...WATER, amount_ml: 100 + i })));

    const res = await req('GET', '/api/export', u.auth);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="podd-export.json"');
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();

    expect(body.exported_at).toEqual(expect.any(String));
    expect(body.account).toEqual({ id: u.user.id, email: u.email, name: 'Asha Rao', created_at: u.user.created_at });
    expect(body.devices).toEqual([{ id: device.id, name: 'Kitchen speaker', created_at: expect.any(String), last_used_at: expect.any(String) }]);
    expect(body.profile).toMatchObject(PROFILE);
    expect(Object.keys(body.events).sort()).toEqual(EVENT_TYPE_NAMES.filter((n) => n !== 'profile').sort());
    // The write's answer adds `alerts` for an out-of-range reading; the stored record is the rest.
    const { alerts: _alerts, ...storedVitals } = vitals;
    expect(body.events.vitals).toEqual([storedVitals]);
    expect(body.events.food).toEqual([food]);
    expect(body.events.medication).toEqual([medication]);
    expect(body.events.water).toHaveLength(130);
    expect(new Set(body.events.water.map((w: { amount_ml: number }) => w.amount_ml)).size).toBe(130);
    expect(body.events.sleep).toEqual([]);

    for (const secret of [device.key, device.key.slice(0, 10), u.access_token, u.refresh_token, u.password, '$argon2', 'stranger-note', stranger.user.id]) {
      expect(res.body.includes(secret), secret.slice(0, 12)).toBe(false);
    }
    expect(res.body).not.toMatch(/password|key_hash|key_prefix|token/);
  });

  it('exports an empty account as empty lists', async () => {
    const u = await registerUser(t.app);
    const body = (await req('GET', '/api/export', u.auth)).json();
    expect(body.profile).toBeNull();
    expect(body.devices).toEqual([]);
    expect(Object.values(body.events).every((items) => Array.isArray(items) && items.length === 0)).toBe(true);
  });
});

describe('DELETE /api/auth/account', () => {
  /** Every row of podd_auth.db, table by table, through a second connection with the data key. */
  function authRows(): Record<string, Array<Record<string, unknown>>> {
    const db = openAuthDatabase(t.dataDir, t.config.dataKey);
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
      return Object.fromEntries(tables.map((name) => [name, db.prepare(`SELECT * FROM "${name}"`).all() as Array<Record<string, unknown>>]));
    } finally {
      db.close();
    }
  }

  /** The user's graph in the embedded store's file: its row and its events. */
  function graphRows(userId: string): { graphs: number; events: number } {
    const db = openEncryptedDatabase(join(t.dataDir, EMBEDDED_DB_FILE), t.config.dataKey, { readonly: true });
    try {
      const graphId = graphIdForUser(userId);
      return {
        graphs: db.prepare('SELECT count(*) FROM graphs WHERE graph_id = ?').pluck().get(graphId) as number,
        events: db.prepare('SELECT count(*) FROM events e JOIN graphs g ON g.g = e.g WHERE g.graph_id = ?').pluck().get(graphId) as number,
      };
    } finally {
      db.close();
    }
  }

  const mentions = (rows: ReturnType<typeof authRows>, needles: string[]) =>
    Object.entries(rows).flatMap(([table, list]) => list.filter((r) => needles.some((n) => JSON.stringify(r).includes(n))).map(() => table));

  let phones = 0;
  async function personWithEverything() {
    const u = await registerUser(t.app);
    const device = await deviceKey(u);
    const second = (await login(u.email, u.password)).json();
    // A number of their own: a number two accounts claim routes to nobody.
    const phone = `+9197000000${String(++phones).padStart(2, '0')}`;
    expect((await req('PUT', '/api/profile', u.auth, { ...PROFILE, phone })).statusCode).toBe(201);
    for (const [url, headers, body] of [
      ['/api/health/vitals', u.auth, VITALS],
      ['/api/food-logs', device.headers, FOOD],
      ['/api/alarms', u.auth, { type: 'water', title: 'Drink water', message: 'A glass now', time: '10:00', days_of_week: ['1', '2', '3', '4', '5', '6', '7'] }],
    ] as const) {
      const res = await req('POST', url, headers, body);
      expect(res.statusCode, res.body).toBe(201);
    }
    const { tokens, ledger } = t.app.services.telephony;
    tokens.issue(u.user.id, 'inbound', 600_000);
    expect(ledger.claim(u.user.id, 'fire-1')).toBe(true);
    expect(ledger.claimWindow(u.user.id, 'emergency', 60_000)).toBe(true);
    return { u, device, second, phone };
  }

  it('deletes everything: no row in podd_auth.db, no health graph, no phone route, no reminder; sign-in fails and the email can register again', async () => {
    const { u, device, second, phone } = await personWithEverything();
    const bystander = await registerUser(t.app);
    await req('PUT', '/api/profile', bystander.auth, { name: 'Ravi', phone: '+919800000001' });
    await req('POST', '/api/health/vitals', bystander.auth, VITALS);

    const before = authRows();
    expect(mentions(before, [u.user.id]).sort()).toEqual(['call_tokens', 'caregiver_alerts_sent', 'caregiver_alerts_sent', 'devices', 'phone_routes', 'refresh_tokens', 'refresh_tokens', 'users']);
    expect(graphRows(u.user.id)).toEqual({ graphs: 1, events: 4 });
    expect(t.app.services.telephony.routes.lookup(phone)).toEqual({ userId: u.user.id });
    const indexed = t.app.services.reminders.indexed;

    const res = await req('DELETE', '/api/auth/account', u.auth, { password: u.password });
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');

    const after = authRows();
    expect(mentions(after, [u.user.id, u.email])).toEqual([]);
    expect(graphRows(u.user.id)).toEqual({ graphs: 0, events: 0 });
    const graphId = graphIdForUser(u.user.id);
    for (const type of ['profile', 'vitals', 'food', 'alarm', 'chat']) expect((await t.app.services.locusgraph.listContextType(graphId, type)).items).toEqual([]);
    expect(t.app.services.telephony.routes.lookup(phone)).toBeNull();
    expect(t.app.services.reminders.indexed).toBe(indexed - 1);

    expectError(await login(u.email, u.password), 401, 'INVALID_CREDENTIALS');
    expectError(await req('GET', '/api/profile', u.auth), 401, 'TOKEN_INVALID');
    expectError(await req('GET', '/api/health/vitals', device.headers), 401, 'TOKEN_INVALID');
    expectError(await refresh(second.refresh_token), 401, 'TOKEN_INVALID');

    // Nobody else lost anything.
    expect(mentions(after, [bystander.user.id]).sort()).toEqual(mentions(before, [bystander.user.id]).sort());
    expect((await req('GET', '/api/health/vitals', bystander.auth)).json().items).toHaveLength(1);
    expect(t.app.services.telephony.routes.lookup('+919800000001')).toEqual({ userId: bystander.user.id });

    const again = await registerUser(t.app, { email: u.email, password: 'another long passphrase' });
    expect(again.user.id).not.toBe(u.user.id);
    const fresh = (await req('GET', '/api/export', again.auth)).json();
    expect(fresh.profile).toBeNull();
    expect(Object.values(fresh.events).flat()).toEqual([]);
  });

  it('refuses a wrong password with 401 and deletes nothing', async () => {
    const { u, device } = await personWithEverything();
    const rows = mentions(authRows(), [u.user.id]).length;
    const err = expectError(await req('DELETE', '/api/auth/account', u.auth, { password: 'not my password' }), 401, 'INVALID_CREDENTIALS');
    expect(Object.keys(err.details)).toEqual(['password']);
    expect(mentions(authRows(), [u.user.id])).toHaveLength(rows);
    expect(graphRows(u.user.id)).toEqual({ graphs: 1, events: 4 });
    expect((await req('GET', '/api/profile', u.auth)).statusCode).toBe(200);
    expect((await req('GET', '/api/profile', device.headers)).statusCode).toBe(200);
    expect((await login(u.email, u.password)).statusCode).toBe(200);
  });

  it('refuses malformed bodies with 400 and deletes nothing', async () => {
    const { u } = await personWithEverything();
    const rows = mentions(authRows(), [u.user.id]).length;
    for (const payload of [{}, { password: '' }, { password: 42 }, { password: u.password, confirm: true }, { password: 'x'.repeat(129) }]) {
      expectError(await req('DELETE', '/api/auth/account', u.auth, payload), 400, 'VALIDATION_ERROR');
    }
    expectError(await req('DELETE', '/api/auth/account', u.auth), 400, 'VALIDATION_ERROR');
    expect(mentions(authRows(), [u.user.id])).toHaveLength(rows);
    expect(graphRows(u.user.id)).toEqual({ graphs: 1, events: 4 });
    expect((await login(u.email, u.password)).statusCode).toBe(200);
  });
});
