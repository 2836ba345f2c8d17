/**
 * The page's REST client (web/src/api.ts) against the real server over a real port, with node's
 * fetch: sign-in, the refresh-on-401 path with a server clock moved past expiry, shared
 * rotations, a refused refresh token, and the error messages people see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, ApiError, jwtExpiry, REFRESH_KEY, type TokenStore } from '../../web/src/api.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let base: string;
let offset = 0;

class MemoryStore implements TokenStore {
  readonly map = new Map<string, string>();
  getItem = (k: string) => this.map.get(k) ?? null;
  setItem = (k: string, v: string) => void this.map.set(k, v);
  removeItem = (k: string) => void this.map.delete(k);
}

beforeAll(async () => {
  t = await makeTestApp({ now: () => Date.now() + offset, env: { REGISTER_RATE_LIMIT_PER_MIN: '100', LOGIN_RATE_LIMIT_PER_MIN: '100' } });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => t?.close());

let n = 0;
const fresh = (store = new MemoryStore(), signedOut: string[] = []) => ({
  store,
  signedOut,
  api: new Api({ base, fetch: (url, init) => fetch(url, init), store, onSignedOut: (m) => signedOut.push(m) }),
});
const account = () => ({ email: `web-${process.pid}-${++n}@example.com`, password: 'correct horse battery', name: 'Asha' });

describe('Api (the page’s REST client)', () => {
  it('registers, keeps the refresh token in the store only, and makes authenticated requests', async () => {
    const { api, store } = fresh();
    const user = await api.register(account());
    expect(user.name).toBe('Asha');
    expect(store.getItem(REFRESH_KEY)).toEqual(expect.any(String));
    expect([...store.map.values()].join()).not.toContain('.'); // the JWT (dotted) is not stored
    const created = await api.request<{ id: string }>('POST', '/api/tracking/water', { amount_ml: 250 });
    const list = await api.request<{ items: Array<{ id: string }> }>('GET', '/api/tracking/water');
    expect(list.items.map((i) => i.id)).toContain(created.id);
  });

  it('refreshes once and retries when the server says the access token expired', async () => {
    const { api, store } = fresh();
    await api.register(account());
    const before = store.getItem(REFRESH_KEY);
    offset = (t.config.auth.accessTokenTtlS + 60) * 1000; // the server's clock passes expiry; the page's does not
    try {
      const results = await Promise.all([1, 2, 3].map(() => api.request<{ items: unknown[] }>('GET', '/api/health/vitals')));
      expect(results.every((r) => Array.isArray(r.items))).toBe(true);
      expect(api.refreshes).toBe(1);
      expect(store.getItem(REFRESH_KEY)).not.toBe(before);
    } finally {
      offset = 0;
    }
  });

  it('refreshes before use when its own token is about to expire', async () => {
    let clock = Date.now();
    const store = new MemoryStore();
    const api = new Api({ base, fetch: (url, init) => fetch(url, init), store, now: () => clock });
    await api.register(account());
    const first = await api.accessToken();
    expect(api.refreshes).toBe(0);
    clock = jwtExpiry(first)! - 10_000;
    const second = await api.accessToken();
    expect(second).not.toBe(first);
    expect(api.refreshes).toBe(1);
  });

  it('resumes a session from the stored refresh token (a reload)', async () => {
    const a = fresh();
    const acct = account();
    await a.api.register(acct);
    const b = fresh(a.store);
    expect(b.api.canResume).toBe(true);
    expect((await b.api.resume()).email).toBe(acct.email);
  });

  it('signs out, clearing the store, when the refresh token is refused', async () => {
    const a = fresh();
    await a.api.register(account());
    const stolen = a.store.getItem(REFRESH_KEY)!;
    await a.api.refresh(); // rotates: the old token is now a reused one
    const b = fresh();
    b.store.setItem(REFRESH_KEY, stolen);
    await expect(b.api.resume()).rejects.toMatchObject({ code: 'SIGNED_OUT' });
    expect(b.store.getItem(REFRESH_KEY)).toBeNull();
    expect(b.signedOut).toEqual(['Your session has ended. Please sign in again.']);
    expect(b.api.signedIn).toBe(false);
  });

  it('explains failures: wrong password, field errors, and an unreachable server', async () => {
    const { api } = fresh();
    const acct = account();
    await api.register(acct);
    const wrong = await fresh().api.login({ email: acct.email, password: 'wrong password!' }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(ApiError);
    expect((wrong as ApiError).status).toBe(401);
    const invalid = await api.request('POST', '/api/tracking/water', { amount_ml: -5 }).catch((e: unknown) => e as ApiError);
    expect((invalid as ApiError).code).toBe('VALIDATION_ERROR');
    expect((invalid as ApiError).friendly).toMatch(/amount_ml/);
    const down = new Api({ base: 'http://127.0.0.1:9', fetch: (url, init) => fetch(url, init), store: new MemoryStore() });
    await expect(down.login(acct)).rejects.toMatchObject({ code: 'NETWORK', status: 0 });
  });
});
