import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, registerUser, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp({ env: { LOGIN_RATE_LIMIT_PER_MIN: '1000', REGISTER_RATE_LIMIT_PER_MIN: '1000' } });
});
afterAll(async () => t.close());

type User = Awaited<ReturnType<typeof registerUser>>;
type Headers = Record<string, string>;

const req = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, headers: Headers, payload?: object) =>
  t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
const login = (email: string, password: string) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });

async function deviceKey(u: User, name = 'Kitchen speaker'): Promise<{ id: string; key: string; headers: Headers }> {
  const res = await req('POST', '/api/devices', u.auth, { name });
  expect(res.statusCode).toBe(201);
  const { id, key } = res.json();
  return { id, key, headers: { authorization: `Device ${key}` } };
}

function expectError(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json()).toEqual({ status: 'error', error: { code, message: expect.any(String), details: expect.any(Object) } });
}

const VITALS = { blood_pressure_systolic: 128, blood_pressure_diastolic: 82, heart_rate: 74, logged_at: '2026-02-20T08:00:00+05:30' };
const PROFILE = { name: 'Asha Rao', timezone: 'Asia/Kolkata' };

describe('device keys', () => {
  it('creates a key shown once, lists without keys, authenticates as the owner, and stops working when revoked', async () => {
    const u = await registerUser(t.app);
    const created = await t.app.inject({ method: 'POST', url: '/api/devices', headers: u.auth, payload: { name: 'Kitchen speaker' } });
    expect(created.statusCode).toBe(201);
    const { id, key } = created.json();
    expect(key).toMatch(/^pdk_[A-Za-z0-9_-]{43}$/);

    const list = await t.app.inject({ url: '/api/devices', headers: u.auth });
    expect(list.json().items).toHaveLength(1);
    expect(list.body).not.toContain(key);
    expect(list.json().items[0]).toMatchObject({ id, name: 'Kitchen speaker' });

    const me = await t.app.inject({ url: '/api/auth/me', headers: { authorization: `Device ${key}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json().id).toBe(u.user.id);

    expect((await t.app.inject({ method: 'DELETE', url: `/api/devices/${id}`, headers: u.auth })).statusCode).toBe(204);
    const after = await t.app.inject({ url: '/api/auth/me', headers: { authorization: `Device ${key}` } });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('TOKEN_INVALID');
  });

  it("never shows or revokes another user's device", async () => {
    const a = await registerUser(t.app);
    const b = await registerUser(t.app);
    const { id, key } = (await t.app.inject({ method: 'POST', url: '/api/devices', headers: a.auth, payload: { name: 'A' } })).json();
    expect((await t.app.inject({ url: '/api/devices', headers: b.auth })).json().items).toEqual([]);
    const del = await t.app.inject({ method: 'DELETE', url: `/api/devices/${id}`, headers: b.auth });
    expect(del.statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { authorization: `Device ${key}` } })).json().id).toBe(a.user.id);
  });

  it('refuses bad input and unauthenticated calls', async () => {
    const u = await registerUser(t.app);
    expect((await t.app.inject({ method: 'POST', url: '/api/devices', headers: u.auth, payload: { name: '' } })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: '/api/devices', payload: { name: 'x' } })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { authorization: 'Device pdk_forged' } })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/devices', headers: u.auth })).json().items).toEqual([]);
  });
});

describe('device keys are scoped: health data and voice, never account control', () => {
  let u: User;
  let device: Awaited<ReturnType<typeof deviceKey>>;
  let other: Awaited<ReturnType<typeof deviceKey>>;
  beforeAll(async () => {
    u = await registerUser(t.app);
    device = await deviceKey(u);
    other = await deviceKey(u, 'Bedroom speaker');
    expect((await req('PUT', '/api/profile', u.auth, PROFILE)).statusCode).toBe(201);
  });

  it('reads and writes health data', async () => {
    const created = await req('POST', '/api/health/vitals', device.headers, VITALS);
    expect(created.statusCode, created.body).toBe(201);
    const list = await req('GET', '/api/health/vitals', device.headers);
    expect(list.json().items.map((v: { id: string }) => v.id)).toContain(created.json().id);
    expect((await req('PATCH', '/api/profile', device.headers, { weight_kg: 61 })).statusCode).toBe(200);
    expect((await req('GET', '/api/profile', device.headers)).json()).toMatchObject({ name: 'Asha Rao', weight_kg: 61 });
    expect((await req('GET', '/api/auth/me', device.headers)).json().id).toBe(u.user.id);
  });

  it('may not mint a key: 403, and no key is made', async () => {
    expectError(await req('POST', '/api/devices', device.headers, { name: 'Attacker' }), 403, 'FORBIDDEN');
    // Refused before the body is read: a malformed body is still a 403, not a 400.
    expectError(await req('POST', '/api/devices', device.headers, { name: '' }), 403, 'FORBIDDEN');
    const names = (await req('GET', '/api/devices', u.auth)).json().items.map((d: { name: string }) => d.name);
    expect(names.sort()).toEqual(['Bedroom speaker', 'Kitchen speaker']);
  });

  it("may not revoke a key, its own or another's: 403, and both keys still work", async () => {
    expectError(await req('DELETE', `/api/devices/${other.id}`, device.headers), 403, 'FORBIDDEN');
    expectError(await req('DELETE', `/api/devices/${device.id}`, device.headers), 403, 'FORBIDDEN');
    for (const d of [device, other]) expect((await req('GET', '/api/auth/me', d.headers)).statusCode).toBe(200);
  });

  it('may not delete the profile and all health data: 403, and everything is still there', async () => {
    expectError(await req('DELETE', '/api/profile', device.headers, { confirm: true }), 403, 'FORBIDDEN');
    expect((await req('GET', '/api/profile', u.auth)).statusCode).toBe(200);
    expect((await req('GET', '/api/health/vitals', u.auth)).json().items).toHaveLength(1);
  });

  it('may not change the password: 403, and the password is unchanged', async () => {
    const res = await req('POST', '/api/auth/password', device.headers, { current_password: u.password, new_password: 'the attacker now' });
    expectError(res, 403, 'FORBIDDEN');
    expect((await login(u.email, u.password)).statusCode).toBe(200);
    expect((await login(u.email, 'the attacker now')).statusCode).toBe(401);
  });

  it('may not export: 403 with no data in the body', async () => {
    const res = await req('GET', '/api/export', device.headers);
    expectError(res, 403, 'FORBIDDEN');
    expect(res.body).not.toContain('Asha');
  });

  it('may not delete the account: 403, and the account and its data remain', async () => {
    expectError(await req('DELETE', '/api/auth/account', device.headers, { password: u.password }), 403, 'FORBIDDEN');
    expect((await login(u.email, u.password)).statusCode).toBe(200);
    expect((await req('GET', '/api/profile', device.headers)).statusCode).toBe(200);
  });

  it('the signed-in person may do all of it (the refusals are about the credential, not the route)', async () => {
    const v = await registerUser(t.app);
    const minted = await req('POST', '/api/devices', v.auth, { name: 'Spare' });
    expect(minted.statusCode).toBe(201);
    expect((await req('DELETE', `/api/devices/${minted.json().id}`, v.auth)).statusCode).toBe(204);
    expect((await req('GET', '/api/export', v.auth)).statusCode).toBe(200);
  });

  it('the OpenAPI document declares the 403 on the account-control routes', async () => {
    const doc = (await t.app.inject({ url: '/docs/json' })).json();
    for (const [path, method] of [['/api/devices', 'post'], ['/api/devices/{id}', 'delete'], ['/api/profile', 'delete'], ['/api/auth/password', 'post'], ['/api/auth/account', 'delete'], ['/api/export', 'get']]) {
      expect(Object.keys(doc.paths[path!][method!].responses), `${method} ${path}`).toContain('403');
    }
  });
});
