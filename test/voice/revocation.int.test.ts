/**
 * Voice sockets end with the credential that opened them (#18 point 5): revoking a device key,
 * changing the password or deleting the account closes the sockets within a second, with 4001.
 * A device key itself may open the socket and talk.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, registerUser, type TestApp } from '../helpers/app.js';
import { VoiceClient } from './helpers.js';

let t: TestApp;
let wsUrl: string;

beforeAll(async () => {
  t = await makeTestApp({ env: { LOGIN_RATE_LIMIT_PER_MIN: '1000', REGISTER_RATE_LIMIT_PER_MIN: '1000' } });
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  wsUrl = address.replace('http', 'ws') + '/api/voice/ws';
}, 60_000);
afterAll(async () => t?.close());

type Headers = Record<string, string>;
const connect = (headers: Headers) => VoiceClient.open(wsUrl, { headers });

async function deviceKey(auth: Headers, name: string): Promise<{ id: string; headers: Headers }> {
  const res = await t.app.inject({ method: 'POST', url: '/api/devices', headers: auth, payload: { name } });
  expect(res.statusCode).toBe(201);
  return { id: res.json().id, headers: { authorization: `Device ${res.json().key}` } };
}

/** Resolves with the close code and reason, or with null if the socket is still open after `ms`. */
function closedWithin(c: VoiceClient, ms: number): Promise<{ code: number; reason: string; afterMs: number } | null> {
  const t0 = performance.now();
  if (c.ws.readyState === c.ws.CLOSED) return Promise.resolve({ code: c.closeCode!, reason: '', afterMs: 0 });
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    c.ws.once('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: String(reason), afterMs: performance.now() - t0 });
    });
  });
}

/** Proves a socket is still served: ping → pong. */
async function stillOpen(c: VoiceClient) {
  const pongs = c.messages.filter((m) => m.type === 'pong').length;
  c.send({ type: 'ping' });
  await c.waitFor(() => c.messages.filter((m) => m.type === 'pong').length > pongs, 2_000);
}

describe('a device key on the voice socket', () => {
  it('opens the socket and gets a typed turn answered and stored for its user', async () => {
    const u = await registerUser(t.app);
    const device = await deviceKey(u.auth, 'Kitchen speaker');
    const c = await connect(device.headers);
    await c.start();
    c.send({ type: 'text', text: 'I drank 2 glasses of water' });
    const end = await c.waitForRunEnd();
    expect(c.turnSequence(end.turn_id!)).toContain('audio');
    expect(c.events().find((e) => e.event === 'intent-end')!.data!.route).toBe('log');
    c.close();
    const water = await t.app.inject({ url: '/api/tracking/water', headers: u.auth });
    expect(water.json().items).toHaveLength(1);
  });
});

describe('revoking a device key', () => {
  it("closes that key's sockets within a second with 4001, answers nothing more on them, and leaves other sockets open", async () => {
    const u = await registerUser(t.app);
    const kitchen = await deviceKey(u.auth, 'Kitchen speaker');
    const bedroom = await deviceKey(u.auth, 'Bedroom speaker');
    const revoked = [await connect(kitchen.headers), await connect(kitchen.headers)];
    const kept = [await connect(bedroom.headers), await connect(u.auth)];
    for (const c of [...revoked, ...kept]) await c.start();
    expect(t.app.services.voiceSessions.count(u.user.id)).toBe(4);

    const closing = revoked.map((c) => closedWithin(c, 1_000));
    const res = await t.app.inject({ method: 'DELETE', url: `/api/devices/${kitchen.id}`, headers: u.auth });
    expect(res.statusCode).toBe(204);
    // A turn typed as the revocation lands is not answered.
    if (revoked[0]!.ws.readyState === revoked[0]!.ws.OPEN) revoked[0]!.send({ type: 'text', text: 'what did I eat today' });

    for (const closed of await Promise.all(closing)) {
      expect(closed).toMatchObject({ code: 4001, reason: 'device key revoked' });
      expect(closed!.afterMs).toBeLessThan(1_000);
    }
    await new Promise((r) => setTimeout(r, 500));
    for (const c of revoked) expect(c.events().some((e) => e.event === 'run-start')).toBe(false);
    // Every answered turn is kept as a chat event: none was.
    expect((await t.app.inject({ url: '/api/chat/history?limit=100', headers: u.auth })).json().items).toEqual([]);
    for (const c of kept) await stillOpen(c);
    expect(t.app.services.voiceSessions.count(u.user.id)).toBe(2);
    await expect(connect(kitchen.headers)).rejects.toMatchObject({ status: 401 });
    for (const c of kept) c.close();
  });
});

describe('changing the password', () => {
  it("closes every socket of the account within a second; other accounts' sockets stay; the old token cannot reconnect", async () => {
    const u = await registerUser(t.app);
    const other = await registerUser(t.app);
    const device = await deviceKey(u.auth, 'Kitchen speaker');
    const mine = [await connect(u.auth), await connect(device.headers)];
    const theirs = await connect(other.auth);
    for (const c of [...mine, theirs]) await c.start();

    const closing = mine.map((c) => closedWithin(c, 1_000));
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/password', headers: u.auth, payload: { current_password: u.password, new_password: 'a brand new passphrase' } });
    expect(res.statusCode).toBe(204);
    for (const closed of await Promise.all(closing)) expect(closed).toMatchObject({ code: 4001, reason: 'password changed' });

    await stillOpen(theirs);
    theirs.close();
    await expect(connect(u.auth)).rejects.toMatchObject({ status: 401 });
    // The device key was not revoked: the speaker reconnects.
    const again = await connect(device.headers);
    await again.start();
    again.close();
  });
});

describe('deleting the account', () => {
  it('closes every socket of the account within a second, and nothing of it can reconnect', async () => {
    const u = await registerUser(t.app);
    const device = await deviceKey(u.auth, 'Kitchen speaker');
    const mine = [await connect(u.auth), await connect(device.headers)];
    for (const c of mine) await c.start();

    const closing = mine.map((c) => closedWithin(c, 1_000));
    const res = await t.app.inject({ method: 'DELETE', url: '/api/auth/account', headers: u.auth, payload: { password: u.password } });
    expect(res.statusCode).toBe(204);
    for (const closed of await Promise.all(closing)) expect(closed).toMatchObject({ code: 4001, reason: 'account deleted' });
    expect(t.app.services.voiceSessions.count(u.user.id)).toBe(0);
    await expect(connect(u.auth)).rejects.toMatchObject({ status: 401 });
    await expect(connect(device.headers)).rejects.toMatchObject({ status: 401 });
  });
});
