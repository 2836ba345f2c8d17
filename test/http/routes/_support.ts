/**
 * Shared plumbing for the REST route tests: an app with the insights route mounted (until the
 * lead wires it into app.ts), and a small client bound to one signed-in user.
 */
import { expect } from 'vitest';
import type { PoddApp } from '../../../src/app.js';
import { insightsRoutes } from '../../../src/http/routes/insights.js';
import { makeTestApp, registerUser, type TestApp } from '../../helpers/app.js';
import { TEST_EPOCH, tickingClock } from '../../helpers/clock.js';

export type Json = Record<string, any>;

export interface Res {
  status: number;
  body: Json;
}

/** The REST routes under test see thousands of requests from one address in a run. */
const ENV = { API_RATE_LIMIT_PER_MIN: '1000000', REGISTER_RATE_LIMIT_PER_MIN: '10000', LOGIN_RATE_LIMIT_PER_MIN: '10000' };

/**
 * The app's clock starts here unless a test passes its own: before every time the fixtures use,
 * so appointments at those times are in the future. It ticks, so write order stays visible.
 */
export const TEST_NOW = TEST_EPOCH;

export async function makeRestApp(opts: { now?: () => number; env?: Record<string, string> } = {}): Promise<TestApp> {
  const now = opts.now ?? tickingClock(TEST_NOW);
  return makeTestApp({
    now,
    env: { ...ENV, ...opts.env },
    beforeReady: async (app: PoddApp) => {
      // app.ts may already register the route (once the lead wires it); mount it only if missing.
      if (app.hasRoute({ method: 'GET', url: '/api/insights' })) return;
      await app.register(
        async (api) => {
          api.addHook('onRequest', api.authenticate);
          await api.register(insightsRoutes, { service: app.services.health });
        },
        { prefix: '/api' },
      );
    },
  });
}

export interface Client {
  userId: string;
  /** The bearer header, for tests that build raw requests. */
  headers: Record<string, string>;
  req(method: string, url: string, payload?: unknown): Promise<Res>;
  get(url: string): Promise<Res>;
  post(url: string, payload: unknown): Promise<Res>;
  put(url: string, payload: unknown): Promise<Res>;
  patch(url: string, payload: unknown): Promise<Res>;
  del(url: string, payload?: unknown): Promise<Res>;
  /** Every item of a list, following next_cursor. */
  all(url: string): Promise<Json[]>;
}

export async function signIn(app: PoddApp): Promise<Client> {
  const u = await registerUser(app);
  const req = async (method: string, url: string, payload?: unknown): Promise<Res> => {
    const res = await app.inject({
      method: method as 'GET',
      url,
      headers: u.auth,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: res.statusCode, body: res.body ? (res.json() as Json) : {} };
  };
  const client: Client = {
    userId: u.user.id,
    headers: u.auth,
    req,
    get: (url) => req('GET', url),
    post: (url, p) => req('POST', url, p),
    put: (url, p) => req('PUT', url, p),
    patch: (url, p) => req('PATCH', url, p),
    del: (url, p) => req('DELETE', url, p),
    async all(url) {
      const out: Json[] = [];
      let cursor: string | null = null;
      do {
        const sep = url.includes('?') ? '&' : '?';
        const r: Res = await req('GET', `${url}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(r.status, `${url}: ${JSON.stringify(r.body)}`).toBe(200);
        out.push(...r.body.items);
        cursor = r.body.next_cursor;
      } while (cursor);
      return out;
    },
  };
  return client;
}

/** Asserts the spec's error body with the given status and code; returns its details. */
export function expectError(res: Res, status: number, code: string): Json {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toEqual({ status: 'error', error: { code, message: expect.any(String), details: expect.any(Object) } });
  return res.body.error.details;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An ISO instant `h` hours before `base`, written with the +05:30 offset so offsets are exercised. */
export function istHoursBefore(base: number, h: number): string {
  const ms = base - h * 3_600_000 + 5.5 * 3_600_000;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+05:30');
}
