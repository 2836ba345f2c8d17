/**
 * Authentication and the request log. The log keeps every header except credential values, so
 * tests can assert exact wire shapes without the key ever being stored.
 */
import type { IncomingHttpHeaders } from 'node:http';

export type AuthVia = 'header' | 'bearer' | 'subprotocol';

export interface FakeFrame {
  dir: 'in' | 'out';
  /** Parsed JSON when the frame was JSON text, else the raw text (or `<binary N bytes>`). */
  data: unknown;
  at: number;
}

export interface MultipartFile {
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
}

export interface FakeRequestLog {
  id: number;
  kind: 'http' | 'ws';
  method: string;
  /** Path without the query string. */
  path: string;
  /** The raw request target as sent, for "the key is never in the URL" checks. */
  rawUrl: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  auth: { via: AuthVia[]; ok: boolean };
  /** JSON body (parsed), multipart `{ fields, files }`, or text. */
  body?: unknown;
  /** The WS subprotocol the server selected (redacted like the headers). */
  protocol?: string;
  frames: FakeFrame[];
  status?: number;
  at: number;
}

const REDACTED = '[redacted]';

export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.join(', ') : raw;
    if (name === 'api-subscription-key') out[name] = REDACTED;
    else if (name === 'authorization') out[name] = value.replace(/^(\S+)\s+.*$/, `$1 ${REDACTED}`);
    else if (name === 'sec-websocket-protocol') out[name] = redactProtocols(value);
    else out[name] = value;
  }
  return out;
}

export function redactProtocols(value: string): string {
  return value.replace(/api-subscription-key\.[^,\s]*/gi, `api-subscription-key.${REDACTED}`);
}

export interface AuthResult {
  via: AuthVia[];
  ok: boolean;
}

/**
 * Every credential presented must equal the key, and at least one must be present. Sarvam documents
 * the `api-subscription-key` header, the WS subprotocol `api-subscription-key.<key>`, and
 * `Authorization: Bearer <key>` (for OpenAI-style tooling).
 */
export function checkAuth(headers: IncomingHttpHeaders, apiKey: string, allowSubprotocol: boolean): AuthResult {
  const presented: Array<[AuthVia, string]> = [];
  const header = headers['api-subscription-key'];
  if (typeof header === 'string') presented.push(['header', header]);
  const authz = headers.authorization;
  if (typeof authz === 'string') {
    const m = /^Bearer\s+(.+)$/i.exec(authz);
    presented.push(['bearer', m ? m[1]!.trim() : '']);
  }
  if (allowSubprotocol) {
    const protos = headers['sec-websocket-protocol'];
    if (typeof protos === 'string') {
      for (const p of protos.split(',').map((s) => s.trim())) {
        if (p.toLowerCase().startsWith('api-subscription-key.')) {
          presented.push(['subprotocol', p.slice('api-subscription-key.'.length)]);
        }
      }
    }
  }
  const via = presented.map(([v]) => v);
  return { via, ok: presented.length > 0 && presented.every(([, k]) => k === apiKey) };
}

export function queryOf(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of url.searchParams) out[k] = v;
  return out;
}

export function describeFrame(data: Buffer | string, isBinary: boolean): unknown {
  if (isBinary) return `<binary ${data.length} bytes>`;
  const text = data.toString();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
