import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { dosesOfDay } from '../../health/doses.js';
import type { HealthService, UserHealth } from '../../health/service.js';
import { alertsForApi, assessVitals } from '../../health/vital-alerts.js';
import { langOf } from '../../../prompts/lang.js';
import { EVENT_TYPES } from '../../locusgraph/schemas.js';
import { errorResponses, IdParams } from '../schemas.js';
import { healthOf, itemSchema, ListQuery, listSchema, resourceRoutes, type Op } from './resource.js';

const TRACKING = ['water', 'sleep', 'exercise', 'mood'] as const;
const LOG_OPS: Op[] = ['create', 'list', 'get', 'delete'];
const MAX_BATCH = 50;

/** GET /medication/today: src/health/doses.ts dosesOfDay. */
const TodayBody = z.object({
  date: z.string().describe('The local date, YYYY-MM-DD'),
  timezone: z.string(),
  items: z.array(
    z.object({
      medication_id: z.string(),
      name: z.string(),
      dosage: z.string().optional(),
      schedule_id: z.string().nullable().describe('Null for a medication taken as needed'),
      time: z.string().nullable().describe('HH:MM local; null as needed'),
      due_at: z.string().nullable().describe('The dose time as an instant: send it back with schedule_id to log this dose'),
      status: z.enum(['taken', 'skipped', 'due']),
      dose_id: z.string().optional().describe('The dose behind a taken or skipped status'),
      taken_at: z.string().optional(),
    }),
  ),
});

/** Every health resource of the route table, each scoped to the signed-in user. */
export const healthRoutes: FastifyPluginAsyncZod<{ service: HealthService }> = async (app, { service }) => {
  const r = (path: string, type: Parameters<typeof resourceRoutes>[1]['type'], tag: string, ops?: Op[], extra: object = {}) =>
    app.register(resourceRoutes, { service, path, type, tag, ops, ...extra });

  // A reading's write answers with what the ranges say about it, in the person's language.
  await r('/health/vitals', 'vitals', 'vitals', undefined, {
    written: {
      schema: {
        alerts: z
          .array(z.object({ code: z.string(), severity: z.enum(['urgent', 'warning']), message: z.string() }))
          .optional()
          .describe('Urgent or warning findings for this reading (the recommendation rules\' ranges), most severe first; absent when it is in range'),
      },
      extra: async (health: UserHealth, item: Record<string, unknown>) => {
        const profile = await health.profile();
        const alerts = assessVitals(item as Parameters<typeof assessVitals>[0], service.now(), { medical_conditions: profile?.medical_conditions });
        return alerts.length ? { alerts: alertsForApi(alerts, langOf(profile?.preferred_language)) } : {};
      },
    },
  });
  await r('/food-logs', 'food', 'food');
  for (const kind of TRACKING) await r(`/tracking/${kind}`, kind, 'tracking', LOG_OPS);
  await r('/medications', 'medication', 'medication');
  await r('/medication-schedules', 'med_schedule', 'medication');
  await r('/medication/logs', 'medication_log', 'medication', LOG_OPS, {
    descriptions: {
      create:
        'A dose is one dose. A dose logged near a scheduled dose time (from 2 hours before to 6 hours after it; the nearest ' +
        'one, of its schedule_id when given, else of its medication) is linked to it: the answer carries schedule_id and ' +
        'due_at. A client may name the dose time itself with schedule_id + due_at (one of the schedule\'s times, within ' +
        '24 hours of taken_at; 400 otherwise). A second dose for a dose time already taken (or a second skip) is refused ' +
        'with 409 CONFLICT, nothing written, its details naming the earlier dose (dose_id, status, taken_at, schedule_id, ' +
        'due_at); a taken dose after a skip is accepted. Send "extra": true for a dose beyond the schedule: it is linked to ' +
        'no dose time and never refused. Every taken dose written takes one off the medication\'s quantity.',
    },
  });
  await r('/appointments', 'appointment', 'appointments');
  await r('/emergency-contacts', 'emergency_contact', 'emergency', undefined, {
    deleteQuery: z.strictObject({ force: z.enum(['true', 'false']).transform((v) => v === 'true').optional() }),
  });
  await r('/meditation/sessions', 'meditation_session', 'meditation');
  await r('/meditation/logs', 'meditation_log', 'meditation', LOG_OPS);
  await r('/alarms', 'alarm', 'reminders');
  await r('/notifications', 'notification', 'reminders', ['get']);
  // Urgent readings and emergencies, with what was sent to whom: written by Podd, read by the person.
  await r('/alerts', 'alert', 'alerts', ['list', 'get']);

  app.get('/medication/today', {
    schema: {
      tags: ['medication'],
      summary: 'Today’s doses in your time zone, each with its status (the talk page’s “Medicines due today”)',
      description:
        'Every dose time of your active schedules today (from when each schedule was created), linked to the dose that ' +
        'satisfies it by the same rule as POST /api/medication/logs and counted the same way as the medication section of ' +
        'GET /api/insights; then each active medication without a schedule (as needed), taken once a dose is logged today.',
      response: { 200: TodayBody, ...errorResponses },
    },
  }, async (req) => dosesOfDay(healthOf(req, service), service.now()));

  app.post('/appointments/batch', {
    schema: {
      tags: ['appointments'],
      summary: `Create up to ${MAX_BATCH} appointments; all are validated before any is written`,
      body: z.strictObject({ items: z.array(EVENT_TYPES.appointment.schema).min(1).max(MAX_BATCH) }),
      response: { 201: z.object({ items: z.array(itemSchema('appointment')) }), ...errorResponses },
    },
  }, async (req, reply) => {
    try {
      const items = await healthOf(req, service).createMany('appointment', req.body.items as Record<string, unknown>[]);
      reply.status(201);
      return { items };
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const details = Object.fromEntries(Object.entries(err.details).map(([k, v]) => [`items.${k}`, v]));
      throw new AppError(err.code, err.message, details, { statusCode: err.statusCode, headers: err.headers });
    }
  });

  app.get('/notifications', {
    schema: {
      tags: ['reminders'],
      summary: 'Notifications, newest first; ?unread=true for unread only',
      querystring: ListQuery.extend({ unread: z.enum(['true', 'false']).transform((v) => v === 'true').optional() }),
      response: { 200: listSchema('notification'), ...errorResponses },
    },
  }, async (req) => {
    const { unread, ...query } = req.query;
    const health = healthOf(req, service);
    if (!unread) return health.list('notification', query);
    return listUnread(health, query);
  });

  app.post('/notifications/:id/read', {
    schema: { tags: ['reminders'], summary: 'Mark a notification read', params: IdParams, response: { 200: itemSchema('notification'), ...errorResponses } },
  }, async (req) => {
    const health = healthOf(req, service);
    const n = await health.mustGet('notification', req.params.id);
    if (n.read) return n;
    return health.patch('notification', n.id, { read: true, read_at: new Date(service.now()).toISOString() });
  });
};

/**
 * Unread notifications, paged exactly: the store pages by 100 and our cursor is the store's cursor
 * of the current page plus how many of its items were already consumed.
 */
async function listUnread(health: ReturnType<typeof healthOf>, query: { limit: number; cursor?: string; from?: string; to?: string }) {
  const STORE_PAGE = 100;
  let pos = decodeUnreadCursor(query.cursor);
  const items = [];
  for (;;) {
    const page = await health.list('notification', { from: query.from, to: query.to, cursor: pos.c, limit: STORE_PAGE });
    for (let i = pos.s; i < page.items.length; i++) {
      const n = page.items[i]!;
      if (n.read) continue;
      items.push(n);
      if (items.length === query.limit) {
        const next = i + 1 < page.items.length ? { c: pos.c, s: i + 1 } : page.next_cursor ? { c: page.next_cursor, s: 0 } : null;
        return { items, next_cursor: next ? encodeUnreadCursor(next) : null };
      }
    }
    if (!page.next_cursor) return { items, next_cursor: null };
    pos = { c: page.next_cursor, s: 0 };
  }
}

interface UnreadCursor {
  c?: string;
  s: number;
}

const encodeUnreadCursor = (c: UnreadCursor) => 'u.' + Buffer.from(JSON.stringify(c)).toString('base64url');

function decodeUnreadCursor(cursor: string | undefined): UnreadCursor {
  if (!cursor) return { s: 0 };
  try {
    if (!cursor.startsWith('u.')) throw new Error('foreign cursor');
    const v = JSON.parse(Buffer.from(cursor.slice(2), 'base64url').toString()) as UnreadCursor;
    if (!Number.isInteger(v.s) || v.s < 0 || v.s > 100 || (v.c !== undefined && typeof v.c !== 'string')) throw new Error('bad cursor');
    return v;
  } catch {
    throw new AppError('VALIDATION_ERROR', 'Invalid list query', { 'query.cursor': 'is not a cursor from this list' });
  }
}
