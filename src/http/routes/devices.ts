import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccountService } from '../../auth/account.js';
import type { AuthService } from '../../auth/service.js';
import { userOf, USER_ONLY } from '../plugins/auth.js';
import { errorResponses, IdParams, userOnlyErrorResponses } from '../schemas.js';

const Device = z.object({
  id: z.string(),
  name: z.string(),
  key_prefix: z.string(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
});

/**
 * Keys for smart speakers: shown once at creation, stored only as a hash. Only the signed-in
 * person creates and revokes them (a device key may list them); revoking a key also closes the
 * voice sessions it has open.
 */
export const deviceRoutes: FastifyPluginAsyncZod<{ auth: AuthService; account: AccountService }> = async (app, { auth, account }) => {
  app.post('/devices', {
    config: { allow: USER_ONLY },
    schema: {
      tags: ['devices'],
      summary: 'Create a device key (shown only in this response)',
      body: z.strictObject({ name: z.string().trim().min(1, 'is required').max(100) }),
      response: { 201: z.object({ id: z.string(), name: z.string(), key: z.string(), key_prefix: z.string(), created_at: z.string() }), ...userOnlyErrorResponses },
    },
  }, async (req, reply) => {
    reply.status(201);
    return auth.createDevice(userOf(req).id, req.body.name);
  });

  app.get('/devices', {
    schema: { tags: ['devices'], summary: 'List device keys (without the keys)', response: { 200: z.object({ items: z.array(Device) }), ...errorResponses } },
  }, async (req) => ({ items: auth.listDevices(userOf(req).id) }));

  app.delete('/devices/:id', {
    config: { allow: USER_ONLY },
    schema: { tags: ['devices'], summary: 'Revoke a device key and close its open voice sessions', params: IdParams, response: { 204: z.null(), ...userOnlyErrorResponses } },
  }, async (req, reply) => {
    account.revokeDevice(userOf(req).id, req.params.id);
    return reply.status(204).send(null);
  });
};
