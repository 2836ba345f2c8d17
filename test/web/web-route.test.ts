/**
 * GET / and /web/*: the built page served with its own strict CSP (replacing the app-wide one),
 * outside authentication, with no way out of the web root.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_CSP, webRoutes } from '../../src/http/routes/web.js';
import { makeTestApp, tempDir, type TestApp } from '../helpers/app.js';

let t: TestApp;
let root: string;

beforeAll(async () => {
  // <tmp>/outside.js sits next to the web root <tmp>/public, where a ../ escape would find it.
  const dir = tempDir('podd-web-');
  writeFileSync(join(dir, 'outside.js'), 'not served either');
  root = join(dir, 'public');
  mkdirSync(join(root, 'js/audio'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Podd</title><script type="module" src="/web/js/main.js"></script>');
  writeFileSync(join(root, 'js/main.js'), 'export {};');
  writeFileSync(join(root, 'js/audio/worklet.js'), 'registerProcessor("x", class {});');
  writeFileSync(join(root, 'styles.css'), 'body{}');
  writeFileSync(join(root, 'secret.txt'), 'not served');
  // Registered the way the lead wires it: after helmet, outside the authenticated /api scope.
  t = await makeTestApp({ app: { webRoot: root } });
});
afterAll(async () => {
  await t?.close();
  rmSync(join(root, '..'), { recursive: true, force: true });
});

const directives = (csp: string) => Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));

describe('the talk page', () => {
  it('serves index.html at / without credentials, with the page CSP replacing the global one', async () => {
    const res = await t.app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('<title>Podd</title>');
    expect(res.headers['content-security-policy']).toBe(PAGE_CSP);
    const csp = directives(String(res.headers['content-security-policy']));
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['style-src']).toEqual(["'self'"]);
    expect(csp['connect-src']).toEqual(["'self'"]);
    expect(csp['default-src']).toEqual(["'none'"]);
    expect(String(res.headers['content-security-policy'])).not.toMatch(/unsafe-inline|unsafe-eval|nonce-/);
    expect(res.headers['permissions-policy']).toContain('microphone=(self)');
    // helmet's other headers still apply
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves modules, the worklet and styles with their types; revalidates with the etag', async () => {
    const js = await t.app.inject({ url: '/web/js/main.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['content-security-policy']).toBe(PAGE_CSP);
    expect((await t.app.inject({ url: '/web/js/audio/worklet.js' })).body).toContain('registerProcessor');
    expect((await t.app.inject({ url: '/web/styles.css' })).headers['content-type']).toBe('text/css; charset=utf-8');
    const again = await t.app.inject({ url: '/web/js/main.js', headers: { 'if-none-match': String(js.headers.etag) } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('serves a rebuilt file without a restart', async () => {
    writeFileSync(join(root, 'js/main.js'), 'export const rebuilt = 1;');
    expect((await t.app.inject({ url: '/web/js/main.js' })).body).toContain('rebuilt');
  });

  it('refuses unknown types, dot-segments and paths out of the root with a 404 in the error format', async () => {
    for (const url of ['/web/secret.txt', '/web/../outside.js', '/web/js/../../outside.js', '/web/%2e%2e/outside.js', '/web/.hidden.js', '/web/js/nope.js', '/web/']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json(), url).toMatchObject({ status: 'error', error: { code: 'NOT_FOUND' } });
    }
  });

  it('keeps the API behind authentication and the global CSP on the API', async () => {
    const res = await t.app.inject({ url: '/api/health/vitals' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-security-policy']).not.toBe(PAGE_CSP);
  });
});

describe('before the page is built', () => {
  it('answers / with a 404 that says how to build it', async () => {
    const bare = await makeTestApp({ app: { webRoot: join(root, 'missing') } });
    try {
      const res = await bare.app.inject({ url: '/' });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.message).toContain('build:web');
    } finally {
      await bare.close();
    }
  });
});
