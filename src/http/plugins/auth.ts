import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../errors.js';
import type { AuthenticatedUser, AuthService } from '../../auth/service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the `authenticate` hook; every protected route reads the user from here only. */
    user: AuthenticatedUser | null;
  }
  interface FastifyInstance {
    authenticate: (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
}

/** Subprotocol browsers use to carry the token, since they cannot set headers on a WebSocket. */
export const BEARER_SUBPROTOCOL_PREFIX = 'bearer.';
export const VOICE_SUBPROTOCOL = 'podd.v1';

function credentialsOf(req: FastifyRequest): { scheme: 'bearer' | 'device'; value: string } | undefined {
  const header = req.headers.authorization;
  if (header) {
    const space = header.indexOf(' ');
    const scheme = header.slice(0, space).toLowerCase();
    const value = header.slice(space + 1).trim();
    if (space > 0 && value && (scheme === 'bearer' || scheme === 'device')) return { scheme, value };
    return undefined;
  }
  const protocols = req.headers['sec-websocket-protocol'];
  if (typeof protocols === 'string') {
    for (const p of protocols.split(',')) {
      const t = p.trim();
      if (t.startsWith(BEARER_SUBPROTOCOL_PREFIX)) return { scheme: 'bearer', value: t.slice(BEARER_SUBPROTOCOL_PREFIX.length) };
    }
  }
  return undefined;
}

async function authPlugin(app: FastifyInstance, opts: { auth: AuthService }) {
  app.decorateRequest('user', null);
  app.decorate('authenticate', async (req: FastifyRequest, reply: FastifyReply) => {
    const cred = credentialsOf(req);
    if (!cred) {
      reply.header('www-authenticate', 'Bearer');
      throw new AppError('UNAUTHORIZED', 'Authentication required');
    }
    req.user = cred.scheme === 'bearer' ? await opts.auth.authenticateBearer(cred.value) : opts.auth.authenticateDevice(cred.value);
  });
}

export default fp(authPlugin, { name: 'podd-auth' });

/** Reads the authenticated user or fails loudly: a protected route without the hook is a bug. */
export function userOf(req: FastifyRequest): AuthenticatedUser {
  if (!req.user) throw new AppError('UNAUTHORIZED', 'Authentication required');
  return req.user;
}
