/**
 * The talk page: `GET /` and its static files under `/web/`, built by `npm run build:web` into
 * dist/web. Public (no auth): the page signs in through the REST API itself.
 *
 * Every response carries the page's own Content-Security-Policy, replacing the app-wide one:
 * scripts and styles from this origin only (no inline code at all), the AudioWorklet from this
 * origin (worklets follow script-src), fetch and the voice WebSocket to this origin only.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve, sep } from 'node:path';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { AppError } from '../../errors.js';

export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  // 'self' covers ws:/wss: to the same host in CSP Level 3 (Chromium, Firefox, Safari ≥ 15.4).
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  // The sign-in form is submitted by script; without it nothing is submitted at all.
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** The microphone for this origin only; nothing else the page does not use. */
export const PAGE_PERMISSIONS = 'microphone=(self), camera=(), geolocation=(), payment=(), usb=()';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** Lower-case path segments of letters, digits, dot, dash and underscore; no dot-segments. */
const SAFE_PATH = /^(?:[a-z0-9_-][a-z0-9._-]*\/)*[a-z0-9_-][a-z0-9._-]*$/i;

/** dist/web of the repository this file belongs to, whether run from src (tsx) or dist (node). */
export function defaultWebRoot(): string {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return resolve('dist/web');
    dir = up;
  }
  return join(dir, 'dist', 'web');
}

export interface WebRouteOptions {
  /** The built page (index.html, styles, js/); defaults to dist/web. */
  root?: string;
}

interface CachedFile {
  body: Buffer;
  etag: string;
  mtimeMs: number;
  size: number;
}

export const webRoutes: FastifyPluginAsync<WebRouteOptions> = async (app, opts) => {
  const root = resolve(opts.root ?? defaultWebRoot());
  const cache = new Map<string, CachedFile>();

  /** Reads through a cache keyed by mtime and size, so a rebuild is served without a restart. */
  function load(rel: string): CachedFile | null {
    const file = resolve(root, rel);
    if (!file.startsWith(root + sep)) return null;
    let st;
    try {
      st = statSync(file);
    } catch {
      return null;
    }
    if (!st.isFile()) return null;
    const hit = cache.get(file);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit;
    const body = readFileSync(file);
    const entry = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`, mtimeMs: st.mtimeMs, size: st.size };
    cache.set(file, entry);
    return entry;
  }

  function send(reply: FastifyReply, ifNoneMatch: string | undefined, rel: string, f: CachedFile) {
    reply
      .header('content-security-policy', PAGE_CSP)
      .header('permissions-policy', PAGE_PERMISSIONS)
      // Small files, rebuilt in place: always revalidate, answered with 304 when unchanged.
      .header('cache-control', 'no-cache')
      .header('etag', f.etag);
    if (ifNoneMatch === f.etag) return reply.status(304).send();
    return reply.type(TYPES[extname(rel)] ?? 'application/octet-stream').send(f.body);
  }

  const hidden = { hide: true } as const;

  app.get('/', { schema: hidden }, async (req, reply) => {
    const page = load('index.html');
    if (!page) throw new AppError('NOT_FOUND', 'The talk page is not built on this server; run npm run build:web');
    return send(reply, req.headers['if-none-match'], 'index.html', page);
  });

  app.get('/web/*', { schema: hidden }, async (req, reply) => {
    const rel = (req.params as { '*': string })['*'];
    const f = SAFE_PATH.test(rel) && TYPES[extname(rel)] ? load(rel) : null;
    if (!f) throw new AppError('NOT_FOUND', 'No such file');
    return send(reply, req.headers['if-none-match'], rel, f);
  });
};
