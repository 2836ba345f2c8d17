/**
 * Request signatures of the telephony providers (WIRE.md §4). Every comparison is constant-time,
 * and a missing or malformed header is simply "not valid".
 *
 * - Twilio `X-Twilio-Signature`: base64 HMAC-SHA1 (key: auth token) of the full URL followed by the
 *   POST parameters sorted by name, each name then value with no separator. The WebSocket upgrade
 *   is signed the same way over the `wss://` URL, with no parameters.
 * - Plivo `X-Plivo-Signature-V3` (+ `-Nonce`): base64 HMAC-SHA256 (key: auth token) of the URL with
 *   its query sorted (`?k=v&k=v`), then for POST the sorted parameters as name+value (after a `.`
 *   when there was a query), then `.` + nonce. The header may hold several signatures, comma-separated.
 * - Exotel signs nothing: its stream connects with HTTP Basic credentials.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type Params = Record<string, string | string[] | undefined>;

function pairs(params: Params): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) out.push([k, one]);
  }
  return out;
}

const byNameThenValue = (a: [string, string], b: [string, string]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function twilioSignature(authToken: string, url: string, params: Params = {}): string {
  const data = url + pairs(params).sort(byNameThenValue).map(([k, v]) => k + v).join('');
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

export function verifyTwilioSignature(authToken: string, url: string, params: Params, header: unknown): boolean {
  if (typeof header !== 'string' || header.length === 0) return false;
  return safeEqual(twilioSignature(authToken, url, params), header);
}

/** The string Plivo V3 signs, before `.` + nonce. */
function plivoBase(method: 'GET' | 'POST', url: string, params: Params): string {
  const u = new URL(url);
  const base = `${u.protocol}//${u.host}${u.pathname}`;
  const query = [...u.searchParams.entries()];
  const post = method === 'GET' ? [] : pairs(params);
  // GET parameters are part of the query; POST ones follow it.
  if (method === 'GET') query.push(...pairs(params));
  const sortedQuery = query.sort(byNameThenValue).map(([k, v]) => `${k}=${v}`).join('&');
  let out = base;
  if (sortedQuery.length > 0 || post.length > 0) out += `?${sortedQuery}`;
  if (sortedQuery.length > 0 && post.length > 0) out += '.';
  return out + post.sort(byNameThenValue).map(([k, v]) => k + v).join('');
}

export function plivoSignatureV3(authToken: string, method: 'GET' | 'POST', url: string, params: Params, nonce: string): string {
  return createHmac('sha256', authToken).update(`${plivoBase(method, url, params)}.${nonce}`, 'utf8').digest('base64');
}

export function verifyPlivoSignatureV3(authToken: string, method: 'GET' | 'POST', url: string, params: Params, nonce: unknown, header: unknown): boolean {
  if (typeof header !== 'string' || typeof nonce !== 'string' || header.length === 0 || nonce.length === 0) return false;
  const expected = plivoSignatureV3(authToken, method, url, params, nonce);
  return header.split(',').some((s) => safeEqual(s.trim(), expected));
}

/** `Authorization: Basic …` against the configured user and password (Exotel streams). */
export function verifyBasicAuth(header: unknown, user: string, password: string): boolean {
  if (typeof header !== 'string' || !/^basic /i.test(header)) return false;
  let decoded: string;
  try {
    decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  } catch {
    return false;
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  // Both halves are compared so the time taken does not reveal which one was wrong.
  const okUser = safeEqual(decoded.slice(0, colon), user);
  const okPassword = safeEqual(decoded.slice(colon + 1), password);
  return okUser && okPassword;
}
