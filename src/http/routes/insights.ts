import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { HealthService } from '../../health/service.js';
import { errorResponses } from '../schemas.js';
import { healthOf } from './resource.js';

const DEFAULT_DAYS = 7;
const DAY_MS = 86_400_000;

const isoWithOffset = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time with offset' });

const InsightsQuery = z.strictObject({ from: isoWithOffset.optional(), to: isoWithOffset.optional() });

// The figures are computed by the store; the doc names the sections, the store owns their shape.
const section = z.looseObject({});
const InsightsBody = z.object({
  period: z.object({ from: z.string(), to: z.string(), timezone: z.string(), days: z.number() }),
  vitals: section,
  nutrition: section,
  water: section,
  sleep: section,
  exercise: section,
  mood: section,
  meditation: section,
  medication: section.describe(
    'Scheduled dose times due in the period (each schedule counted from its creation, up to now, plus any already taken early): ' +
      'scheduled, taken, skipped, extra (taken doses that satisfied no dose time: extra doses, repeats, as-needed medicines), ' +
      'adherence = taken / scheduled, and per_medication. The same count as the talk page\'s GET /api/medication/today and the advice.',
  ),
});

/**
 * Aggregates over the user's own events in [from, to), bucketed by day in the user's time zone.
 * Without a period: the 7 days up to now; with only one end, the 7 days next to it.
 */
export const insightsRoutes: FastifyPluginAsyncZod<{ service: HealthService }> = async (app, { service }) => {
  app.get('/insights', {
    schema: {
      tags: ['summary'],
      summary: 'Health insights for a period (default: the last 7 days), in the user’s time zone',
      querystring: InsightsQuery,
      response: { 200: InsightsBody, ...errorResponses },
    },
  }, async (req) => {
    const { from, to } = req.query;
    const toMs = to !== undefined ? Date.parse(to) : from !== undefined ? Date.parse(from) + DEFAULT_DAYS * DAY_MS : service.now();
    const fromMs = from !== undefined ? Date.parse(from) : toMs - DEFAULT_DAYS * DAY_MS;
    const health = healthOf(req, service);
    return health.store.generateInsights({
      from: from ?? new Date(fromMs).toISOString(),
      to: to ?? new Date(toMs).toISOString(),
      timezone: await health.timezone(),
    });
  });
};
