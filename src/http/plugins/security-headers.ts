/**
 * Security headers from helmet, computed once at start-up. @fastify/helmet builds a new helmet
 * middleware (parsing the CSP directives) on every request, which was the largest single cost of
 * a small authenticated request; the headers do not vary per request here, so they are taken
 * from helmet itself once and set on each reply.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

export async function helmetHeaders(options: HelmetOptions): Promise<Record<string, string>> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
    getHeader: (name: string) => headers[name.toLowerCase()],
  };
  await new Promise<void>((resolve, reject) =>
    helmet(options)({ method: 'GET', url: '/', headers: {} } as never, res as never, (err?: unknown) => (err ? reject(err) : resolve())),
  );
  return headers;
}

async function securityHeaders(app: FastifyInstance, options: HelmetOptions) {
  const headers = await helmetHeaders(options);
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(headers);
    done();
  });
}

export default fp(securityHeaders, { name: 'podd-security-headers' });
