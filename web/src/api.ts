/**
 * REST client of the page: the access token lives only in memory, the refresh token in
 * sessionStorage (gone when the tab closes). An expired or rejected access token is refreshed
 * once and the request retried; refreshes are shared, because the server rotates refresh tokens
 * and treats a reused one as theft.
 *
 * No DOM types: fetch and storage are passed in, so node tests drive it against the real server.
 */

export interface PublicUser {
  id: string;
  email: string;
  name: string;
  created_at: string;
}

interface TokenPair {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  user: PublicUser;
}

export interface TokenStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<{
  status: number;
  ok: boolean;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

export const REFRESH_KEY = 'podd.refresh_token';
/** Refresh this long before expiry, so a token never dies between check and use. */
const EXPIRY_MARGIN_MS = 30_000;
const AUTH_CODES = new Set(['TOKEN_EXPIRED', 'TOKEN_INVALID', 'UNAUTHORIZED']);

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** One line a person can act on; field details are appended when the server gave them. */
  get friendly(): string {
    const fields = Object.entries(this.details)
      .filter(([, v]) => typeof v === 'string')
      .map(([k, v]) => `${k.replace(/^body\./, '')} ${v as string}`);
    return fields.length ? `${this.message}: ${fields.join('; ')}` : this.message;
  }
}

/** Seconds-since-epoch `exp` of a JWT, read without verifying (the server verifies). */
export function jwtExpiry(token: string): number | null {
  try {
    const part = token.split('.')[1];
    if (!part) return null;
    const json = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=')));
    return typeof json.exp === 'number' ? json.exp * 1000 : null;
  } catch {
    return null;
  }
}

export interface ApiOptions {
  fetch: FetchLike;
  store: TokenStore;
  /** Origin prefix; '' on the page (same origin). */
  base?: string;
  now?: () => number;
  /** Called when no valid session remains (refresh refused): the page shows sign-in. */
  onSignedOut?: (message: string) => void;
}

export class Api {
  private access: string | null = null;
  private accessExp = 0;
  private refreshing: Promise<void> | null = null;
  user: PublicUser | null = null;
  /** Count of refreshes performed, for the page's diagnostics. */
  refreshes = 0;

  constructor(private readonly opts: ApiOptions) {}

  private now() {
    return (this.opts.now ?? Date.now)();
  }

  get signedIn(): boolean {
    return this.user !== null;
  }

  /** Whether a refresh token from an earlier visit in this tab exists. */
  get canResume(): boolean {
    return this.opts.store.getItem(REFRESH_KEY) !== null;
  }

  async register(body: { email: string; password: string; name: string }): Promise<PublicUser> {
    return this.adopt(await this.raw<TokenPair>('POST', '/api/auth/register', body));
  }

  async login(body: { email: string; password: string }): Promise<PublicUser> {
    return this.adopt(await this.raw<TokenPair>('POST', '/api/auth/login', body));
  }

  /** Restores a session after a reload from the stored refresh token. */
  async resume(): Promise<PublicUser> {
    await this.refresh();
    return this.user!;
  }

  async logout(): Promise<void> {
    const token = this.opts.store.getItem(REFRESH_KEY);
    this.forget();
    if (token) await this.raw('POST', '/api/auth/logout', { refresh_token: token }).catch(() => undefined);
  }

  /** A current access token, refreshed first when it is about to expire. */
  async accessToken(): Promise<string> {
    if (!this.access || this.now() > this.accessExp - EXPIRY_MARGIN_MS) await this.refresh();
    return this.access!;
  }

  /** Rotates the refresh token; concurrent callers share one rotation. */
  refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      const token = this.opts.store.getItem(REFRESH_KEY);
      if (!token) throw this.signedOut('Please sign in.');
      try {
        this.adopt(await this.raw<TokenPair>('POST', '/api/auth/refresh', { refresh_token: token }));
        this.refreshes++;
      } catch (err) {
        // A refused refresh token will never work again; a network error might.
        if (err instanceof ApiError && err.status === 401) throw this.signedOut('Your session has ended. Please sign in again.');
        throw err;
      }
    })().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** An authenticated request; a 401 for an expired or unknown token is refreshed and retried once. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const token = await this.accessToken();
    try {
      return await this.raw<T>(method, path, body, token);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 401 || !AUTH_CODES.has(err.code)) throw err;
      // Another request may already have rotated the token while this one was in flight.
      if (this.access === token) await this.refresh();
      return this.raw<T>(method, path, body, this.access!);
    }
  }

  private adopt(pair: TokenPair): PublicUser {
    this.access = pair.access_token;
    this.accessExp = jwtExpiry(pair.access_token) ?? this.now() + pair.expires_in * 1000;
    this.user = pair.user;
    this.opts.store.setItem(REFRESH_KEY, pair.refresh_token);
    return pair.user;
  }

  private forget() {
    this.access = null;
    this.accessExp = 0;
    this.user = null;
    this.opts.store.removeItem(REFRESH_KEY);
  }

  private signedOut(message: string): ApiError {
    this.forget();
    this.opts.onSignedOut?.(message);
    return new ApiError(401, 'SIGNED_OUT', message);
  }

  private async raw<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    let res;
    try {
      res = await this.opts.fetch((this.opts.base ?? '') + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError(0, 'NETWORK', 'Podd could not be reached. Check the connection and try again.');
    }
    const text = await res.text();
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      /* a proxy's HTML error page */
    }
    if (res.ok) return json as T;
    const e = (json as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | undefined)?.error;
    if (res.status === 429) {
      const after = res.headers.get('retry-after');
      throw new ApiError(429, e?.code ?? 'RATE_LIMITED', `Too many requests. Please wait${after ? ` ${after} seconds` : ' a moment'} and try again.`);
    }
    if (e?.code && e.message) throw new ApiError(res.status, e.code, e.message, e.details ?? {});
    throw new ApiError(res.status, `HTTP_${res.status}`, res.status >= 500 ? 'Podd had a problem on its side. Please try again in a moment.' : `The request failed (${res.status}).`);
  }
}
