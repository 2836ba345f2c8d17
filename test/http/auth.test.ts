import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEncryptedDatabase } from '../../src/db/sqlite.js';
import { makeTestApp, registerUser, type TestApp } from '../helpers/app.js';

let t: TestApp;
let now: number;

beforeEach(async () => {
  now = Date.parse('2026-11-26T08:00:00Z');
  t = await makeTestApp({ now: () => now, env: { ACCESS_TOKEN_TTL: '15m', REFRESH_TOKEN_TTL: '1d' } });
});
afterEach(async () => t.close());

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, payload: payload as object, headers });

describe('register', () => {
  it('creates an account and returns a bearer token pair and the user', async () => {
    const res = await post('/api/auth/register', { email: '  Asha.Rao@Example.COM ', password: 'long enough pw', name: 'Asha' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 900, user: { email: 'asha.rao@example.com', name: 'Asha' } });
    expect(body.access_token.split('.')).toHaveLength(3);
    expect(Buffer.from(body.refresh_token, 'base64url').length).toBeGreaterThanOrEqual(32);
    expect(Object.keys(body.user).sort()).toEqual(['created_at', 'email', 'id', 'name']);
  });

  it('refuses a duplicate email whatever its case with 409 CONFLICT', async () => {
    await post('/api/auth/register', { email: 'dup@example.com', password: 'long enough pw', name: 'A' });
    const res = await post('/api/auth/register', { email: 'DUP@example.com', password: 'another long pw', name: 'B' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({ status: 'error', error: { code: 'CONFLICT', message: expect.any(String), details: {} } });
  });

  it('refuses short and overlong passwords, bad emails, blank names and unknown fields, writing nothing', async () => {
    const cases: Array<[object, string]> = [
      [{ email: 'a@example.com', password: 'short', name: 'A' }, 'password'],
      [{ email: 'a@example.com', password: 'x'.repeat(129), name: 'A' }, 'password'],
      [{ email: 'not-an-email', password: 'long enough pw', name: 'A' }, 'email'],
      [{ email: 'a@example.com', password: 'long enough pw', name: '   ' }, 'name'],
      [{ email: 'a@example.com', password: 'long enough pw', name: 'A', role: 'admin' }, ''],
    ];
    for (const [payload, field] of cases) {
      const res = await post('/api/auth/register', payload);
      expect(res.statusCode).toBe(400);
      const err = res.json().error;
      expect(err.code).toBe('VALIDATION_ERROR');
      if (field) expect(Object.keys(err.details)).toContain(field);
    }
    const login = await post('/api/auth/login', { email: 'a@example.com', password: 'long enough pw' });
    expect(login.statusCode).toBe(401);
  });
});

describe('login', () => {
  it('signs in with the right password and gives one INVALID_CREDENTIALS for wrong password and unknown email', async () => {
    const u = await registerUser(t.app);
    const ok = await post('/api/auth/login', { email: u.email.toUpperCase(), password: u.password });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.id).toBe(u.user.id);

    const wrong = await post('/api/auth/login', { email: u.email, password: 'wrong password!' });
    const unknown = await post('/api/auth/login', { email: 'nobody@example.com', password: 'wrong password!' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json().error.code).toBe('INVALID_CREDENTIALS');
  });
});

describe('refresh token lifecycle', () => {
  it('rotates: the new pair works, the old refresh token does not', async () => {
    const u = await registerUser(t.app);
    const r1 = await post('/api/auth/refresh', { refresh_token: u.refresh_token });
    expect(r1.statusCode).toBe(200);
    const pair = r1.json();
    expect(pair.refresh_token).not.toBe(u.refresh_token);
    expect(pair.access_token).not.toBe(u.access_token);
    const me = await t.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${pair.access_token}` } });
    expect(me.json().id).toBe(u.user.id);
  });

  it('treats a reused refresh token as theft and revokes the whole family, newest included', async () => {
    const u = await registerUser(t.app);
    const newest = (await post('/api/auth/refresh', { refresh_token: u.refresh_token })).json().refresh_token;
    const reuse = await post('/api/auth/refresh', { refresh_token: u.refresh_token });
    expect(reuse.statusCode).toBe(401);
    expect(reuse.json().error.code).toBe('TOKEN_INVALID');
    const afterTheft = await post('/api/auth/refresh', { refresh_token: newest });
    expect(afterTheft.statusCode).toBe(401);
    // Another login of the same user is another family and keeps working.
    const other = await post('/api/auth/login', { email: u.email, password: u.password });
    expect((await post('/api/auth/refresh', { refresh_token: other.json().refresh_token })).statusCode).toBe(200);
  });

  it('expires refresh tokens after REFRESH_TOKEN_TTL', async () => {
    const u = await registerUser(t.app);
    now += 86_400_000 + 1000;
    const res = await post('/api/auth/refresh', { refresh_token: u.refresh_token });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('TOKEN_EXPIRED');
  });

  it('logout revokes the family, and refresh of garbage is TOKEN_INVALID', async () => {
    const u = await registerUser(t.app);
    const next = (await post('/api/auth/refresh', { refresh_token: u.refresh_token })).json().refresh_token;
    expect((await post('/api/auth/logout', { refresh_token: next })).statusCode).toBe(204);
    expect((await post('/api/auth/refresh', { refresh_token: next })).statusCode).toBe(401);
    const garbage = await post('/api/auth/refresh', { refresh_token: 'garbage' });
    expect(garbage.json().error.code).toBe('TOKEN_INVALID');
  });

  it('stores only the SHA-256 of refresh tokens in podd_auth.db, and the file is encrypted', async () => {
    const u = await registerUser(t.app, { email: 'distinctive.mailbox@example.com' });
    const db = openEncryptedDatabase(join(t.dataDir, 'podd_auth.db'), t.config.dataKey, { readonly: true });
    const rows = db.prepare('SELECT token FROM refresh_tokens WHERE user_id = ?').all(u.user.id) as Array<{ token: string }>;
    db.close();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token).not.toBe(u.refresh_token);
    expect(rows[0]!.token).toBe(createHash('sha256').update(u.refresh_token).digest('hex'));
    const { readFileSync, readdirSync } = await import('node:fs');
    for (const f of readdirSync(t.dataDir).filter((f) => f.startsWith('podd_auth.db'))) {
      expect(readFileSync(join(t.dataDir, f)).includes('distinctive.mailbox')).toBe(false);
    }
  });
});

describe('access tokens on routes', () => {
  it('returns the account from /me, and TOKEN_EXPIRED after the TTL', async () => {
    const u = await registerUser(t.app);
    const me = await t.app.inject({ url: '/api/auth/me', headers: u.auth });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({ id: u.user.id, email: u.email, name: u.user.name ?? expect.any(String), created_at: expect.any(String) });
    now += 15 * 60_000 + 1000;
    const expired = await t.app.inject({ url: '/api/auth/me', headers: u.auth });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.code).toBe('TOKEN_EXPIRED');
  });

  it('refuses missing, malformed and tampered credentials', async () => {
    const u = await registerUser(t.app);
    const none = await t.app.inject({ url: '/api/auth/me' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect(none.json().error.code).toBe('UNAUTHORIZED');
    const basic = await t.app.inject({ url: '/api/auth/me', headers: { authorization: 'Basic abc' } });
    expect(basic.statusCode).toBe(401);
    const tampered = u.access_token.slice(0, -3) + (u.access_token.endsWith('abc') ? 'xyz' : 'abc');
    const bad = await t.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${tampered}` } });
    expect(bad.json().error.code).toBe('TOKEN_INVALID');
  });
});

describe('rate limits', () => {
  it('limits login per IP to 5 a minute with 429 RATE_LIMITED and Retry-After', async () => {
    const codes: number[] = [];
    let last;
    for (let i = 0; i < 6; i++) {
      last = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: `x${i}@example.com`, password: 'whatever1' }, remoteAddress: '10.0.0.9' });
      codes.push(last.statusCode);
    }
    expect(codes).toEqual([401, 401, 401, 401, 401, 429]);
    expect(last!.json().error.code).toBe('RATE_LIMITED');
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    // Another address is not affected.
    const other = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'y@example.com', password: 'whatever1' }, remoteAddress: '10.0.0.10' });
    expect(other.statusCode).toBe(401);
  });

  it('limits login per email across addresses', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'Target@example.com', password: 'whatever1' }, remoteAddress: `10.1.0.${i}` });
      codes.push(res.statusCode);
    }
    expect(codes.slice(0, 5).every((c) => c === 401)).toBe(true);
    expect(codes[5]).toBe(429);
  });

  it('limits registration per IP', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: { email: `r${i}@example.com`, password: 'short' }, remoteAddress: '10.2.0.1' });
      codes.push(res.statusCode);
    }
    expect(codes).toEqual([400, 400, 400, 400, 400, 429]);
  });
});
