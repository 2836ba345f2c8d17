import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { HealthService } from '../../health/service.js';
import { snoozeNotification } from '../../reminders/snooze.js';
import { errorResponses, IdParams } from '../schemas.js';
import { healthOf, itemSchema } from './resource.js';

/**
 * Snooze: the notification re-fires once after the delay, as a one-shot alarm, so it survives a
 * restart and goes through the same exactly-once path as every other reminder.
 */
export const reminderRoutes: FastifyPluginAsyncZod<{ service: HealthService }> = async (app, { service }) => {
  app.post('/notifications/:id/snooze', {
    schema: {
      tags: ['reminders'],
      summary: 'Remind me again in N minutes (default 10)',
      params: IdParams,
      body: z.strictObject({ minutes: z.number().int().min(1).max(720).default(10) }).default({ minutes: 10 }),
      response: { 201: itemSchema('alarm'), ...errorResponses },
    },
  }, async (req, reply) => {
    const health = healthOf(req, service);
    const n = (await health.mustGet('notification', req.params.id));
    const alarm = await snoozeNotification(health, n, req.body.minutes, service.now());
    reply.status(201);
    return alarm;
  });
};
