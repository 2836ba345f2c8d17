import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../errors.js';
import type { AuthenticatedUser, AuthService } from '../../auth/service.js';

/** How a request proved who it is: the person's own access token, or a device key of theirs. */
export type Credential = AuthenticatedUser['via'];

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The credentials that may call this route; absent means any (bearer tokens and device
     * keys). Checked by `authenticate`, before the handler (or a WebSocket upgrade) runs.
     */
    allow?: readonly Credential[];
  }
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

/**
 * Account control (device keys, password, export, deletion, the care circle): the person
 * signed in only. A device key stands in for them on a speaker — it talks and reads and writes
 * health data — but a stolen one must not be able to take the account over or erase it.
 */
export const USER_ONLY: readonly Credential[] = ['bearer'];

/** 403 FORBIDDEN when the route's `allow` list does not include the request's credential. */
function assertAllowed(req: FastifyRequest, user: AuthenticatedUser): void {
  const allow = req.routeOptions.config?.allow;
  if (!allow || allow.includes(user.via)) return;
  throw new AppError('FORBIDDEN', 'A device key cannot do this; sign in to the account instead', {
    authorization: `${user.via === 'device' ? 'a device key' : 'this credential'} is not allowed here`,
  });
}

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
    const user = cred.scheme === 'bearer' ? await opts.auth.authenticateBearer(cred.value) : opts.auth.authenticateDevice(cred.value);
    assertAllowed(req, user);
    req.user = user;
  });
}

export default fp(authPlugin, { name: 'podd-auth' });

/**
 * Reads the authenticated user or fails loudly: a protected route without the hook is a bug.
 * The route's `allow` list is checked again here, so a route that declares one is guarded even
 * if it was registered somewhere `authenticate` does not run first.
 */
export function userOf(req: FastifyRequest): AuthenticatedUser {
  if (!req.user) throw new AppError('UNAUTHORIZED', 'Authentication required');
  assertAllowed(req, req.user);
  return req.user;
}
