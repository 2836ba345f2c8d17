import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { makeTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp({
    beforeReady: (app) => {
      app.get('/test/boom', async () => {
        throw new Error('secret internals: SELECT * FROM users at /srv/podd/src/auth.ts:42');
      });
      app.get('/test/query', { schema: { querystring: z.strictObject({ limit: z.coerce.number().int().max(100) }) } }, async () => ({ ok: true }));
    },
  });
});
afterAll(async () => t.close());

const shape = (body: unknown) => expect(body).toEqual({ status: 'error', error: { code: expect.any(String), message: expect.any(String), details: expect.any(Object) } });

describe('one error format for every failure', () => {
  it('validation: 400 VALIDATION_ERROR with details per field', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 5 } });
    expect(res.statusCode).toBe(400);
    shape(res.json());
    expect(res.json().error.code).toBe('VALIDATION_ERROR');
    expect(Object.keys(res.json().error.details)).toEqual(expect.arrayContaining(['email', 'password']));
    const q = await t.app.inject({ url: '/test/query?limit=500' });
    expect(q.json().error).toMatchObject({ code: 'VALIDATION_ERROR', details: { 'query.limit': expect.any(String) } });
  });

  it('malformed JSON: 400 BAD_REQUEST', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: '{"email":', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    shape(res.json());
    expect(res.json().error.code).toBe('BAD_REQUEST');
  });

  it('unknown route: 404 NOT_FOUND', async () => {
    const res = await t.app.inject({ url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    shape(res.json());
    expect(res.json().error.code).toBe('NOT_FOUND');
  });

  it('wrong content type: 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: 'email=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const text = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(text.statusCode).toBe(415);
  });

  it('too large: 413 PAYLOAD_TOO_LARGE over 64 KB', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: JSON.stringify({ email: 'a'.repeat(70_000), password: 'x' }), headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(413);
    shape(res.json());
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('500: INTERNAL with no message internals or stack, and the request id to quote', async () => {
    const res = await t.app.inject({ url: '/test/boom' });
    expect(res.statusCode).toBe(500);
    shape(res.json());
    expect(res.json().error.code).toBe('INTERNAL');
    expect(res.body).not.toMatch(/secret|SELECT|\/srv|\.ts:|at /);
    expect(res.headers['x-request-id']).toBeTruthy();
    // The stack is in our logs for us, not for the client.
    expect(t.logs()).toContain('secret internals');
  });

  it('serves /healthz, /readyz and the OpenAPI document', async () => {
    expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject({ url: '/readyz' })).json()).toMatchObject({ status: 'ready', checks: { auth_db: true } });
    const doc = (await t.app.inject({ url: '/docs/json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/auth/register', '/api/auth/login', '/api/devices']));
    expect(doc.paths['/api/auth/register'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('password');
  });

  it('echoes a well-formed X-Request-Id and replaces a malformed one', async () => {
    expect((await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } })).headers['x-request-id']).toBe('abc-123');
    expect((await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'bad id\n' } })).headers['x-request-id']).not.toBe('bad id\n');
  });
});
