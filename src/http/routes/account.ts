/**
 * The person's control over their account: change the password, export everything, delete
 * everything. The signed-in person only (a device key gets 403), and each needs the password
 * except the export.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccountService } from '../../auth/account.js';
import { userOf, USER_ONLY } from '../plugins/auth.js';
import { userOnlyErrorResponses } from '../schemas.js';
import { NewPassword, PublicUser } from './auth.js';

export interface AccountRouteOptions {
  account: AccountService;
  /** Password checks per IP per minute (the login limit): a stolen access token cannot guess at speed. */
  passwordAttemptsPerMin: number;
}

const CurrentPassword = z.string().min(1, 'is required').max(128, 'must be at most 128 characters');
const StoredRecord = z.looseObject({ id: z.string(), created_at: z.string(), updated_at: z.string() });

const Export = z.object({
  exported_at: z.string(),
  account: PublicUser,
  devices: z.array(z.object({ id: z.string(), name: z.string(), created_at: z.string(), last_used_at: z.string().nullable() })),
  profile: StoredRecord.nullable(),
  events: z.record(z.string(), z.array(StoredRecord)).describe('Every record by type (vitals, food, medication, …), newest first'),
});

export const accountRoutes: FastifyPluginAsyncZod<AccountRouteOptions> = async (app, { account, passwordAttemptsPerMin }) => {
  const passwordChecks = (group: string) => ({
    allow: USER_ONLY,
    rateLimit: { max: passwordAttemptsPerMin, timeWindow: 60_000, keyGenerator: (req: { ip: string }) => `${group}:${req.ip}` },
  });

  app.post('/auth/password', {
    config: passwordChecks('password'),
    schema: {
      tags: ['account'],
      summary: 'Change the password; every session and refresh token of the account ends',
      description:
        'Needs the current password (401 INVALID_CREDENTIALS when wrong, nothing changed). The new one follows the registration rules. ' +
        'Access tokens issued before stop working, every refresh token is revoked and open voice sessions close (4001); device keys keep working.',
      body: z.strictObject({ current_password: CurrentPassword, new_password: NewPassword }),
      response: { 204: z.null(), ...userOnlyErrorResponses },
    },
  }, async (req, reply) => {
    await account.changePassword(userOf(req).id, req.body.current_password, req.body.new_password);
    return reply.status(204).send(null);
  });

  app.delete('/auth/account', {
    config: passwordChecks('delete-account'),
    schema: {
      tags: ['account'],
      summary: 'Delete the account and everything stored for it; needs the password',
      description:
        'Deletes the health graph, device keys, tokens, phone routes and the account itself, and closes open voice sessions and calls (4001). ' +
        'Sign-in fails afterwards and the email can register again. 503 if the health store cannot be reached: the account is then ' +
        'signed out everywhere but still exists, so the deletion can be retried.',
      body: z.strictObject({ password: CurrentPassword }),
      response: { 204: z.null(), ...userOnlyErrorResponses },
    },
  }, async (req, reply) => {
    await account.deleteAccount(userOf(req).id, req.body.password);
    return reply.status(204).send(null);
  });

  app.get('/export', {
    config: { allow: USER_ONLY },
    schema: {
      tags: ['account'],
      summary: 'Everything stored for the account, as one JSON document',
      description: 'The account (no password hash), device keys (names and dates only), the profile and every health record by type.',
      response: { 200: Export, ...userOnlyErrorResponses },
    },
  }, async (req, reply) => {
    reply.header('content-disposition', 'attachment; filename="podd-export.json"');
    reply.header('cache-control', 'no-store');
    return account.exportData(userOf(req).id);
  });
};
