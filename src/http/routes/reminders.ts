import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { HealthService } from '../../health/service.js';
import { localDate, localTime } from '../../locusgraph/zoned-time.js';
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
    const n = await health.mustGet('notification', req.params.id);
    const tz = await health.timezone();
    // The next whole minute at or after now + delay: alarms are HH:MM.
    const at = Math.ceil((service.now() + req.body.minutes * 60_000) / 60_000) * 60_000;
    const alarm = await health.create('alarm', {
      type: n.type,
      title: n.title,
      message: n.message,
      time: localTime(at, tz),
      date: localDate(at, tz),
      days_of_week: [],
      reference_id: `notification:${n.id}`,
    });
    if (!n.read) await health.patch('notification', n.id, { read: true, read_at: new Date(service.now()).toISOString() });
    reply.status(201);
    return alarm;
  });
};
