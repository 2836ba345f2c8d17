import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import LocalStore from '@fastify/rate-limit/store/LocalStore.js';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { normalizeEmail, type AuthService } from '../../auth/service.js';
import { userOf } from '../plugins/auth.js';
import { errorResponses } from '../schemas.js';

const email = z.string().trim().max(254).pipe(z.email({ error: 'must be a valid email address' }));
/** The rule for every new password: registration and password change alike. */
export const NewPassword = z.string().min(8, 'must be at least 8 characters').max(128, 'must be at most 128 characters');
const password = NewPassword;

export const PublicUser = z.object({ id: z.string(), email: z.string(), name: z.string(), created_at: z.string() });
const TokenPair = z.object({
  access_token: z.string(),
  refresh_token: z.string(),
  token_type: z.literal('bearer'),
  expires_in: z.number().int(),
  user: PublicUser,
});
const RefreshBody = z.strictObject({ refresh_token: z.string().min(1).max(512) });

export interface AuthRouteOptions {
  auth: AuthService;
  loginPerMin: number;
  registerPerMin: number;
}

/**
 * @fastify/rate-limit applies one limiter per request (keyed by IP here); the per-email limit
 * reuses the plugin's own LRU counter store in the handler, after the body is parsed.
 */
function emailLimiter(max: number) {
  const store = new LocalStore(false, false, 10_000);
  return (key: string) =>
    new Promise<void>((resolve, reject) =>
      store.incr(key, (_err, c) => {
        if (c.current <= max) return resolve();
        const retryAfter = String(Math.max(1, Math.ceil(c.ttl / 1000)));
        reject(new AppError('RATE_LIMITED', 'Too many attempts, please wait a minute', {}, { headers: { 'retry-after': retryAfter } }));
      }, 60_000, max),
    );
}

export const authRoutes: FastifyPluginAsyncZod<AuthRouteOptions> = async (app, opts) => {
  const { auth } = opts;
  const limitLoginEmail = emailLimiter(opts.loginPerMin);
  const limitRegisterEmail = emailLimiter(opts.registerPerMin);
  const perIp = (max: number, group: string) => ({
    rateLimit: { max, timeWindow: 60_000, keyGenerator: (req: { ip: string }) => `${group}:${req.ip}` },
  });

  app.post('/register', {
    config: perIp(opts.registerPerMin, 'register'),
    schema: {
      tags: ['auth'],
      summary: 'Create an account',
      body: z.strictObject({ email, password, name: z.string().trim().min(1, 'is required').max(100) }),
      response: { 201: TokenPair, ...errorResponses },
    },
  }, async (req, reply) => {
    await limitRegisterEmail(normalizeEmail(req.body.email));
    reply.status(201);
    return auth.register(req.body);
  });

  app.post('/login', {
    config: perIp(opts.loginPerMin, 'login'),
    schema: {
      tags: ['auth'],
      summary: 'Sign in with email and password',
      body: z.strictObject({ email: z.string().max(254), password: z.string().max(128) }),
      response: { 200: TokenPair, ...errorResponses },
    },
  }, async (req) => {
    await limitLoginEmail(normalizeEmail(req.body.email));
    return auth.login(req.body);
  });

  app.post('/refresh', {
    schema: { tags: ['auth'], summary: 'Rotate a refresh token', body: RefreshBody, response: { 200: TokenPair, ...errorResponses } },
  }, async (req) => auth.refresh(req.body.refresh_token));

  app.post('/logout', {
    schema: { tags: ['auth'], summary: 'Revoke a refresh token and its family', body: RefreshBody, response: { 204: z.null(), ...errorResponses } },
  }, async (req, reply) => {
    auth.logout(req.body.refresh_token);
    return reply.status(204).send(null);
  });

  app.get('/me', {
    onRequest: app.authenticate,
    schema: { tags: ['auth'], summary: 'The signed-in account', security: [{ bearerAuth: [] }], response: { 200: PublicUser, ...errorResponses } },
  }, async (req) => auth.me(userOf(req).id));
};
