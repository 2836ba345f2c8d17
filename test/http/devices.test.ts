import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, registerUser, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(async () => t.close());

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
