/**
 * The care circle over HTTP (/api/care/…). The person invites, lists, changes and revokes
 * caregivers and reads who looked at what; a caregiver accepts an invitation and reads an overview
 * of each person they look after and their alerts — only what the scopes grant, each read logged
 * for the person. No route here writes a person's health data, and a caregiver's reads go through
 * the person's own store scope (HealthService.forUser), never a widened query. Only the signed-in
 * person may call them: a device key gets 403 (USER_ONLY).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuthRepository } from '../../auth/repository.js';
import { normalizeEmail } from '../../auth/service.js';
import { CARE_SCOPES, type CareCircle, type CareLink } from '../../care/circle.js';
import { overviewOf, type Overview } from '../../care/overview.js';
import { AppError } from '../../errors.js';
import type { HealthService } from '../../health/service.js';
import { itemSchema } from './resource.js';
import { userOf, USER_ONLY } from '../plugins/auth.js';
import { IdParams, userOnlyErrorResponses } from '../schemas.js';

const Scopes = z.array(z.enum(CARE_SCOPES)).min(1, 'must name at least one scope').max(CARE_SCOPES.length);
const Relationship = z.string().trim().min(1, 'is required').max(50);
const Invitation = z.object({
  id: z.string(),
  email: z.string(),
  relationship: z.string(),
  scopes: z.array(z.enum(CARE_SCOPES)),
  created_at: z.string(),
  expires_at: z.string(),
  status: z.enum(['pending', 'accepted', 'cancelled', 'expired']),
});
const Member = z.object({ id: z.string(), user_id: z.string(), name: z.string(), email: z.string(), relationship: z.string(), scopes: z.array(z.enum(CARE_SCOPES)), created_at: z.string(), updated_at: z.string() });
const Person = z.object({ user_id: z.string(), name: z.string(), relationship: z.string(), scopes: z.array(z.enum(CARE_SCOPES)) });
const UserIdParams = z.strictObject({ user_id: z.string().min(1).max(128) });
const Page = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(20), cursor: z.string().max(200).optional() });

export interface CareRouteOptions {
  circle: CareCircle;
  accounts: AuthRepository;
  service: HealthService;
}

export const careRoutes: FastifyPluginAsyncZod<CareRouteOptions> = async (app, { circle, accounts, service }) => {
  const me = (req: Parameters<typeof userOf>[0]) => {
    const user = accounts.userById(userOf(req).id);
    if (!user) throw new AppError('UNAUTHORIZED', 'Authentication required');
    return user;
  };
  /** The link that lets the caller look after `userId`: 404 for anyone else (no hint the person exists). */
  const linkTo = (caregiverId: string, userId: string): CareLink => {
    const link = circle.link(userId, caregiverId);
    if (!link) throw new AppError('NOT_FOUND', 'Person not found');
    return link;
  };
  const member = (l: CareLink) => {
    const u = accounts.userById(l.caregiver_id);
    return { id: l.id, user_id: l.caregiver_id, name: u?.name ?? '', email: u?.email ?? '', relationship: l.relationship, scopes: l.scopes, created_at: l.created_at, updated_at: l.updated_at };
  };

  // ---- the person ----
  app.post('/care/invitations', {
    config: { allow: USER_ONLY },
    schema: {
      tags: ['care'],
      summary: 'Invite someone to your care circle (the code is shown only here; single use, 7 days)',
      body: z
        .strictObject({ email: z.string().trim().email('must be an email address').max(254), relationship: Relationship, scopes: Scopes })
        .meta({ examples: [{ email: 'rahul@example.com', relationship: 'son', scopes: ['summary', 'vitals', 'alerts'] }] }),
      response: {
        201: Invitation.extend({ code: z.string() }).meta({
          examples: [{ id: '6f1c…', email: 'rahul@example.com', relationship: 'son', scopes: ['summary', 'vitals', 'alerts'], created_at: '2026-03-02T04:30:00.000Z', expires_at: '2026-03-09T04:30:00.000Z', status: 'pending', code: 'K7QM2XW9PA' }],
        }),
        ...userOnlyErrorResponses,
      },
    },
  }, async (req, reply) => {
    const user = me(req);
    const invitation = circle.invite({ id: user.id, email: user.email }, { ...req.body, email: normalizeEmail(req.body.email) });
    reply.status(201);
    return invitation;
  });

  app.get('/care/invitations', {
    config: { allow: USER_ONLY },
    schema: { tags: ['care'], summary: 'Your invitations (without their codes)', response: { 200: z.object({ items: z.array(Invitation) }), ...userOnlyErrorResponses } },
  }, async (req) => ({ items: circle.invitations(userOf(req).id) }));

  app.delete('/care/invitations/:id', {
    config: { allow: USER_ONLY },
    schema: { tags: ['care'], summary: 'Cancel an open invitation', params: IdParams, response: { 204: z.null(), ...userOnlyErrorResponses } },
  }, async (req, reply) => {
    circle.cancelInvitation(userOf(req).id, req.params.id);
    return reply.status(204).send(null);
  });

  app.get('/care/members', {
    config: { allow: USER_ONLY },
    schema: { tags: ['care'], summary: 'Your caregivers and what each may see', response: { 200: z.object({ items: z.array(Member) }), ...userOnlyErrorResponses } },
  }, async (req) => ({ items: circle.members(userOf(req).id).map(member) }));

  app.patch('/care/members/:id', {
    config: { allow: USER_ONLY },
    schema: {
      tags: ['care'],
      summary: 'Change what a caregiver may see',
      params: IdParams,
      body: z
        .strictObject({ scopes: Scopes.optional(), relationship: Relationship.optional() })
        .refine((b) => b.scopes || b.relationship, 'name scopes or relationship')
        .meta({ examples: [{ scopes: ['summary', 'alerts'] }] }),
      response: { 200: Member, ...userOnlyErrorResponses },
    },
  }, async (req) => member(circle.updateMember(userOf(req).id, req.params.id, req.body)));

  app.delete('/care/members/:id', {
    config: { allow: USER_ONLY },
    schema: { tags: ['care'], summary: 'Remove a caregiver, at once', params: IdParams, response: { 204: z.null(), ...userOnlyErrorResponses } },
  }, async (req, reply) => {
    circle.removeMember(userOf(req).id, req.params.id);
    return reply.status(204).send(null);
  });

  app.get('/care/access-log', {
    config: { allow: USER_ONLY },
    schema: {
      tags: ['care'],
      summary: 'Every read of your data by a caregiver: who, what, when (no health values)',
      querystring: Page,
      response: { 200: z.object({ items: z.array(z.object({ caregiver_id: z.string(), caregiver_name: z.string(), what: z.string(), at: z.string() })), next_cursor: z.string().nullable() }), ...userOnlyErrorResponses },
    },
  }, async (req) => {
    const before = req.query.cursor === undefined ? undefined : Number(req.query.cursor);
    if (before !== undefined && !Number.isSafeInteger(before)) throw new AppError('VALIDATION_ERROR', 'Invalid cursor', { 'query.cursor': 'is not a cursor from this list' });
    const rows = circle.accessLog(userOf(req).id, { limit: req.query.limit, ...(before !== undefined ? { before } : {}) });
    return {
      items: rows.map((r) => ({ caregiver_id: r.caregiver_id, caregiver_name: accounts.userById(r.caregiver_id)?.name ?? '', what: r.what, at: r.at })),
      next_cursor: rows.length === req.query.limit ? String(rows.at(-1)!.seq) : null,
    };
  });

  // ---- the caregiver ----
  app.post('/care/invitations/accept', {
    config: { allow: USER_ONLY },
    schema: {
      tags: ['care'],
      summary: 'Accept an invitation sent to your email',
      body: z.strictObject({ code: z.string().trim().min(4).max(40) }).meta({ examples: [{ code: 'K7QM2XW9PA' }] }),
      response: { 200: Person.meta({ examples: [{ user_id: '2b7e…', name: 'Asha Verma', relationship: 'son', scopes: ['summary', 'vitals', 'alerts'] }] }), ...userOnlyErrorResponses },
    },
  }, async (req) => {
    const user = me(req);
    const link = circle.accept({ id: user.id, email: user.email }, req.body.code);
    return { user_id: link.user_id, name: accounts.userById(link.user_id)?.name ?? '', relationship: link.relationship, scopes: link.scopes };
  });

  app.get('/care/people', {
    config: { allow: USER_ONLY },
    schema: { tags: ['care'], summary: 'The people you look after', response: { 200: z.object({ items: z.array(Person) }), ...userOnlyErrorResponses } },
  }, async (req) => ({
    items: circle.people(userOf(req).id).map((l) => ({ user_id: l.user_id, name: accounts.userById(l.user_id)?.name ?? '', relationship: l.relationship, scopes: l.scopes })),
  }));

  app.get('/care/people/:user_id/overview', {
    config: { allow: USER_ONLY },
    schema: {
      tags: ['care'],
      summary: 'What the person granted you: today, adherence, vitals, medicines, food, activity, alerts',
      params: UserIdParams,
      response: {
        200: z.looseObject({
          user_id: z.string(),
          date: z.string(),
          timezone: z.string(),
          scopes: z.array(z.enum(CARE_SCOPES)),
          summary: z.looseObject({ highlights: z.array(z.string()) }).optional(),
          vitals: z.looseObject({ latest: z.record(z.string(), z.unknown()).nullable() }).optional(),
          medications: z.looseObject({ active: z.array(z.record(z.string(), z.unknown())) }).optional(),
          food: z.looseObject({}).optional(),
          activity: z.looseObject({}).optional(),
          alerts: z.array(z.record(z.string(), z.unknown())).optional(),
        }),
        ...userOnlyErrorResponses,
      },
    },
  }, async (req) => {
    const caregiverId = userOf(req).id;
    const link = linkTo(caregiverId, req.params.user_id);
    const overview = await overviewOf(service.forUser(link.user_id), link.user_id, link.scopes, service.now());
    circle.logAccess(link.user_id, caregiverId, `overview:${link.scopes.join(',')}`);
    return overview as Overview & Record<string, unknown>;
  });

  app.get('/care/alerts', {
    config: { allow: USER_ONLY },
    schema: {
      tags: ['care'],
      summary: 'Alerts of everyone who shares theirs with you, newest first',
      querystring: Page,
      response: { 200: z.object({ items: z.array(itemSchema('alert').extend({ user_id: z.string() })), next_cursor: z.string().nullable() }), ...userOnlyErrorResponses },
    },
  }, async (req) => {
    const caregiverId = userOf(req).id;
    const { limit } = req.query;
    const after = req.query.cursor === undefined ? undefined : decodeCursor(req.query.cursor);
    const people = circle.people(caregiverId).filter((l) => l.scopes.includes('alerts'));
    // Each person's newest alerts up to the cursor, through their own store scope; merged newest first.
    const pages = await Promise.all(
      people.map(async (l) => {
        const items = (await service.forUser(l.user_id).list('alert', { limit: Math.min(100, limit + 1), ...(after ? { to: new Date(Date.parse(after.at) + 1).toISOString() } : {}) })).items;
        return items.map((a) => ({ ...a, user_id: l.user_id }));
      }),
    );
    const key = (a: { occurred_at: string; user_id: string; id: string }) => [a.occurred_at, a.user_id, a.id] as const;
    const newerFirst = (x: ReturnType<typeof key>, y: ReturnType<typeof key>) => (x[0] !== y[0] ? (x[0] < y[0] ? 1 : -1) : x[1] !== y[1] ? (x[1] < y[1] ? 1 : -1) : x[2] < y[2] ? 1 : x[2] > y[2] ? -1 : 0);
    const merged = pages
      .flat()
      .filter((a) => !after || newerFirst(key(a), [after.at, after.user, after.id]) > 0)
      .sort((a, b) => newerFirst(key(a), key(b)));
    const items = merged.slice(0, limit);
    for (const l of people) if (items.some((a) => a.user_id === l.user_id)) circle.logAccess(l.user_id, caregiverId, 'alerts');
    const last = items.at(-1);
    return { items, next_cursor: merged.length > limit && last ? encodeCursor({ at: last.occurred_at, user: last.user_id, id: last.id }) : null };
  });
};

interface AlertCursor {
  at: string;
  user: string;
  id: string;
}
const encodeCursor = (c: AlertCursor) => Buffer.from(JSON.stringify([c.at, c.user, c.id])).toString('base64url');
function decodeCursor(s: string): AlertCursor {
  try {
    const [at, user, id] = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && typeof user === 'string' && typeof id === 'string' && Number.isFinite(Date.parse(at))) return { at, user, id };
  } catch {
    // fall through
  }
  throw new AppError('VALIDATION_ERROR', 'Invalid cursor', { 'query.cursor': 'is not a cursor from this list' });
}
