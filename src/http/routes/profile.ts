import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import type { HealthService } from '../../health/service.js';
import { EVENT_TYPES } from '../../locusgraph/schemas.js';
import { USER_ONLY } from '../plugins/auth.js';
import { errorResponses, userOnlyErrorResponses } from '../schemas.js';
import { healthOf, itemSchema, PatchBody } from './resource.js';

/** The profile is one record per user; timezone falls back to DEFAULT_TIMEZONE when unset. */
export const profileRoutes: FastifyPluginAsyncZod<{ service: HealthService }> = async (app, { service }) => {
  const item = itemSchema('profile');
  const withDefaults = <P extends { id: string; created_at: string; updated_at: string }>(p: P) => ({ ...p, timezone: (p as { timezone?: string }).timezone ?? service.defaultTimezone });

  app.get('/profile', { schema: { tags: ['profile'], summary: 'The signed-in user’s profile (404 before the first PUT)', response: { 200: item, ...errorResponses } } }, async (req) => {
    const h = healthOf(req, service);
    return withDefaults(await h.mustGet('profile', h.store.profileId));
  });

  app.put('/profile', {
    schema: { tags: ['profile'], summary: 'Create or replace the profile', body: EVENT_TYPES.profile.schema, response: { 200: item, 201: item, ...errorResponses } },
  }, async (req, reply) => {
    const h = healthOf(req, service);
    const { item: saved, created } = await h.upsert('profile', h.store.profileId, req.body as Record<string, unknown>);
    reply.status(created ? 201 : 200);
    return withDefaults(saved);
  });

  app.patch('/profile', { schema: { tags: ['profile'], summary: 'Change some profile fields', body: PatchBody, response: { 200: item, ...errorResponses } } }, async (req) => {
    const h = healthOf(req, service);
    return withDefaults(await h.patch('profile', h.store.profileId, req.body));
  });

  // Erasing everything is the person's decision, not a device key's.
  app.delete('/profile', {
    config: { allow: USER_ONLY },
    schema: {
      tags: ['profile'],
      summary: 'Delete the profile and ALL of the user’s health data; needs {"confirm": true}',
      body: z.strictObject({ confirm: z.literal(true, { error: 'must be true to delete all health data' }) }),
      response: { 200: z.object({ forgotten: z.number().int() }), ...userOnlyErrorResponses },
    },
  }, async (req) => {
    if (req.body.confirm !== true) throw new AppError('VALIDATION_ERROR', 'Confirmation required', { confirm: 'must be true' });
    return healthOf(req, service).store.forgetAll();
  });
};
