/**
 * The care circle over HTTP on the real app: invitations with consent, what caregivers see (only
 * the granted scopes, each read logged for the person), the person's control (scopes, removal,
 * access log), and every refusal: wrong account, reused or expired code, strangers, bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuthDatabase } from '../../src/auth/db.js';
import { makeTestApp, registerUser, type TestApp } from '../helpers/app.js';

let t: TestApp;
const clock = { now: Date.parse('2026-03-02T04:30:00Z') };
beforeAll(async () => {
  t = await makeTestApp({ now: () => clock.now, env: { ACCESS_TOKEN_TTL: '24h', REGISTER_RATE_LIMIT_PER_MIN: '1000' } });
});
afterAll(async () => t?.close());

type Json = Record<string, any>;
type User = Awaited<ReturnType<typeof registerUser>>;

async function call(u: User | null, method: string, url: string, payload?: unknown) {
  const res = await t.app.inject({ method: method as 'GET', url, headers: u ? u.auth : {}, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: res.statusCode, body: res.statusCode === 204 ? {} : (res.json() as Json) };
}

/** Asha invites Rahul with `scopes`; Rahul accepts. */
async function circle(scopes: string[] = ['summary', 'vitals', 'medications', 'alerts']) {
  const asha = await registerUser(t.app, { name: 'Asha Verma' });
  const rahul = await registerUser(t.app, { name: 'Rahul Verma' });
  await call(asha, 'PUT', '/api/profile', { name: 'Asha Verma', timezone: 'Asia/Kolkata' });
  const inv = await call(asha, 'POST', '/api/care/invitations', { email: rahul.email.toUpperCase(), relationship: 'son', scopes });
  expect(inv.status).toBe(201);
  const accepted = await call(rahul, 'POST', '/api/care/invitations/accept', { code: inv.body.code });
  expect(accepted.status).toBe(200);
  return { asha, rahul, invitation: inv.body };
}

/** A fresh login (the clock jumped past the access token's life). */
async function relogin(u: User): Promise<User> {
  const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: u.email, password: u.password } });
  return { ...u, auth: { authorization: `Bearer ${res.json().access_token}` } };
}

const expectError = (r: { status: number; body: Json }, status: number, code: string) => {
  expect(r.status).toBe(status);
  expect(r.body).toMatchObject({ status: 'error', error: { code, message: expect.any(String), details: expect.any(Object) } });
};

describe('invitations', () => {
  it('are created with a single-use code, listed without it, and accepted by the invited account only', async () => {
    const asha = await registerUser(t.app, { name: 'Asha' });
    const rahul = await registerUser(t.app, { name: 'Rahul' });
    const mallory = await registerUser(t.app, { name: 'Mallory' });
    const inv = await call(asha, 'POST', '/api/care/invitations', { email: rahul.email, relationship: 'son', scopes: ['vitals', 'alerts'] });
    expect(inv.body).toMatchObject({ email: rahul.email, relationship: 'son', scopes: ['vitals', 'alerts'], status: 'pending', code: expect.stringMatching(/^[A-Z2-9]{10}$/) });
    expect(Date.parse(inv.body.expires_at) - clock.now).toBe(7 * 86_400_000);
    const listed = await call(asha, 'GET', '/api/care/invitations');
    expect(listed.body.items).toEqual([expect.objectContaining({ id: inv.body.id, status: 'pending' })]);
    expect(JSON.stringify(listed.body)).not.toContain(inv.body.code);

    expectError(await call(mallory, 'POST', '/api/care/invitations/accept', { code: inv.body.code }), 403, 'FORBIDDEN');
    const ok = await call(rahul, 'POST', '/api/care/invitations/accept', { code: inv.body.code.toLowerCase() });
    expect(ok.body).toEqual({ user_id: asha.user.id, name: 'Asha', relationship: 'son', scopes: ['vitals', 'alerts'] });
    expectError(await call(rahul, 'POST', '/api/care/invitations/accept', { code: inv.body.code }), 409, 'CONFLICT');
    expect((await call(asha, 'GET', '/api/care/invitations')).body.items[0].status).toBe('accepted');
    expect((await call(mallory, 'GET', '/api/care/people')).body.items).toEqual([]);
  });

  it('expire after 7 days and can be cancelled', async () => {
    let asha = await registerUser(t.app);
    let rahul = await registerUser(t.app);
    const priya = await registerUser(t.app);
    const old = await call(asha, 'POST', '/api/care/invitations', { email: rahul.email, relationship: 'son', scopes: ['summary'] });
    const cancelled = await call(asha, 'POST', '/api/care/invitations', { email: priya.email, relationship: 'daughter', scopes: ['summary'] });
    expect((await call(asha, 'DELETE', `/api/care/invitations/${cancelled.body.id}`)).status).toBe(204);
    expectError(await call(priya, 'POST', '/api/care/invitations/accept', { code: cancelled.body.code }), 404, 'NOT_FOUND');
    clock.now += 7 * 86_400_000 + 1000;
    [asha, rahul] = await Promise.all([relogin(asha), relogin(rahul)]);
    expectError(await call(rahul, 'POST', '/api/care/invitations/accept', { code: old.body.code }), 409, 'CONFLICT');
    expect((await call(asha, 'GET', '/api/care/invitations')).body.items.map((i: Json) => i.status).sort()).toEqual(['cancelled', 'expired']);
    // An expired invitation no longer blocks a new one to the same email.
    expect((await call(asha, 'POST', '/api/care/invitations', { email: rahul.email, relationship: 'son', scopes: ['summary'] })).status).toBe(201);
  });

  it('refuse bad input with 4xx in the spec format and write nothing', async () => {
    const asha = await registerUser(t.app);
    const rahul = await registerUser(t.app);
    const bad = [
      { email: rahul.email, relationship: 'son', scopes: ['everything'] },
      { email: rahul.email, relationship: 'son', scopes: [] },
      { email: 'not-an-email', relationship: 'son', scopes: ['vitals'] },
      { email: rahul.email, relationship: '', scopes: ['vitals'] },
      { email: rahul.email, relationship: 'son', scopes: ['vitals'], admin: true },
    ];
    for (const body of bad) expectError(await call(asha, 'POST', '/api/care/invitations', body), 400, 'VALIDATION_ERROR');
    expectError(await call(asha, 'POST', '/api/care/invitations', { email: asha.email, relationship: 'self', scopes: ['vitals'] }), 400, 'VALIDATION_ERROR');
    expect((await call(asha, 'GET', '/api/care/invitations')).body.items).toEqual([]);
    expect((await call(asha, 'POST', '/api/care/invitations', { email: rahul.email, relationship: 'son', scopes: ['vitals'] })).status).toBe(201);
    expectError(await call(asha, 'POST', '/api/care/invitations', { email: rahul.email, relationship: 'son', scopes: ['vitals'] }), 409, 'CONFLICT');
    expectError(await call(rahul, 'POST', '/api/care/invitations/accept', { code: 'NOPE' }), 404, 'NOT_FOUND');
    expectError(await call(rahul, 'POST', '/api/care/invitations/accept', {}), 400, 'VALIDATION_ERROR');
    expectError(await call(asha, 'DELETE', '/api/care/invitations/not-an-id'), 404, 'NOT_FOUND');
  });

  it('are capped at 20 caregivers and open invitations', async () => {
    const asha = await registerUser(t.app);
    for (let i = 0; i < 20; i++) {
      expect((await call(asha, 'POST', '/api/care/invitations', { email: `helper${i}-${asha.user.id}@example.com`, relationship: 'friend', scopes: ['summary'] })).status).toBe(201);
    }
    const over = await call(asha, 'POST', '/api/care/invitations', { email: `one-more-${asha.user.id}@example.com`, relationship: 'friend', scopes: ['summary'] });
    expectError(over, 409, 'CONFLICT');
    expect((await call(asha, 'GET', '/api/care/invitations')).body.items).toHaveLength(20);
  });
});

describe('what a caregiver sees', () => {
  it('the people they look after, and an overview with only the granted scopes', async () => {
    const { asha, rahul } = await circle(['vitals', 'alerts']);
    await call(asha, 'POST', '/api/health/vitals', { blood_pressure_systolic: 190, blood_pressure_diastolic: 122, logged_at: new Date(clock.now).toISOString() });
    await call(asha, 'POST', '/api/health/food', { description: 'two rotis', calories: 240, logged_at: new Date(clock.now).toISOString() });
    await t.app.services.careAlerts.settled();
    expect((await call(rahul, 'GET', '/api/care/people')).body.items).toEqual([{ user_id: asha.user.id, name: 'Asha Verma', relationship: 'son', scopes: ['vitals', 'alerts'] }]);
    const o = (await call(rahul, 'GET', `/api/care/people/${asha.user.id}/overview`)).body;
    expect(o).toMatchObject({ user_id: asha.user.id, scopes: ['vitals', 'alerts'], timezone: 'Asia/Kolkata' });
    expect(o.vitals.latest).toMatchObject({ blood_pressure_systolic: 190, blood_pressure_diastolic: 122 });
    expect(o.vitals.last_7_days.blood_pressure_systolic).toMatchObject({ count: 1, last: 190 });
    expect(o.alerts).toEqual([expect.objectContaining({ kind: 'vitals', code: 'bp_crisis' })]);
    for (const hidden of ['summary', 'medications', 'food', 'activity']) expect(o).not.toHaveProperty(hidden);
    expect(JSON.stringify(o)).not.toContain('rotis');
  });

  it('alerts of everyone who shares theirs, newest first, paginated; not of those who do not', async () => {
    const { asha, rahul } = await circle(['alerts']);
    const dadi = await registerUser(t.app, { name: 'Dadi' });
    const inv = await call(dadi, 'POST', '/api/care/invitations', { email: rahul.email, relationship: 'grandson', scopes: ['alerts'] });
    await call(rahul, 'POST', '/api/care/invitations/accept', { code: inv.body.code });
    const quiet = await registerUser(t.app, { name: 'Quiet' });
    const inv2 = await call(quiet, 'POST', '/api/care/invitations', { email: rahul.email, relationship: 'friend', scopes: ['vitals'] });
    await call(rahul, 'POST', '/api/care/invitations/accept', { code: inv2.body.code });
    for (const [u, sugar] of [[asha, 45], [dadi, 400], [quiet, 40], [asha, 390], [dadi, 48]] as Array<[User, number]>) {
      clock.now += 60_000;
      await call(u, 'POST', '/api/health/vitals', { blood_sugar: sugar, logged_at: new Date(clock.now).toISOString() });
    }
    await t.app.services.careAlerts.settled();
    const first = (await call(rahul, 'GET', '/api/care/alerts?limit=3')).body;
    expect(first.items.map((a: Json) => [a.user_id, a.code])).toEqual([[dadi.user.id, 'sugar_very_low'], [asha.user.id, 'sugar_very_high'], [dadi.user.id, 'sugar_very_high']]);
    const second = (await call(rahul, 'GET', `/api/care/alerts?limit=3&cursor=${first.next_cursor}`)).body;
    expect(second.items.map((a: Json) => [a.user_id, a.code])).toEqual([[asha.user.id, 'sugar_very_low']]);
    expect(second.next_cursor).toBeNull();
    expectError(await call(rahul, 'GET', '/api/care/alerts?cursor=garbage'), 400, 'VALIDATION_ERROR');
  });

  it('a caregiver never writes the person’s data, and a stranger sees nothing', async () => {
    const { asha, rahul } = await circle(['vitals', 'medications', 'food', 'activity', 'summary', 'alerts']);
    const stranger = await registerUser(t.app);
    const vital = (await call(asha, 'POST', '/api/health/vitals', { heart_rate: 70 })).body;
    // The caregiver's health routes are their own: the person's ids are not found, nothing changes.
    expect((await call(rahul, 'GET', `/api/health/vitals/${vital.id}`)).status).toBe(404);
    expect((await call(rahul, 'PATCH', `/api/health/vitals/${vital.id}`, { heart_rate: 200 })).status).toBe(404);
    expect((await call(rahul, 'DELETE', `/api/health/vitals/${vital.id}`)).status).toBe(404);
    expect((await call(asha, 'GET', `/api/health/vitals/${vital.id}`)).body.heart_rate).toBe(70);
    for (const r of [
      await call(stranger, 'GET', `/api/care/people/${asha.user.id}/overview`),
      await call(rahul, 'GET', `/api/care/people/${stranger.user.id}/overview`),
      await call(rahul, 'GET', '/api/care/people/not-a-user/overview'),
    ]) expectError(r, 404, 'NOT_FOUND');
    expect((await call(stranger, 'GET', '/api/care/alerts')).body.items).toEqual([]);
    for (const [method, url] of [['GET', '/api/care/people'], ['GET', '/api/care/alerts'], ['GET', '/api/care/members'], ['GET', '/api/care/access-log'], ['POST', '/api/care/invitations']]) {
      expect((await call(null, method!, url!, method === 'POST' ? {} : undefined)).status).toBe(401);
    }
  });
});

describe('the person stays in control', () => {
  it('lists caregivers, changes their scopes, removes them at once, and sees every read', async () => {
    const { asha, rahul } = await circle(['vitals', 'alerts']);
    const members = (await call(asha, 'GET', '/api/care/members')).body.items;
    expect(members).toEqual([expect.objectContaining({ user_id: rahul.user.id, name: 'Rahul Verma', relationship: 'son', scopes: ['vitals', 'alerts'] })]);
    clock.now += 1000;
    await call(rahul, 'GET', `/api/care/people/${asha.user.id}/overview`);
    const patched = await call(asha, 'PATCH', `/api/care/members/${members[0].id}`, { scopes: ['summary'] });
    expect(patched.body.scopes).toEqual(['summary']);
    clock.now += 1000;
    const o = (await call(rahul, 'GET', `/api/care/people/${asha.user.id}/overview`)).body;
    expect(o.summary).toBeDefined();
    expect(o).not.toHaveProperty('vitals');
    const log = (await call(asha, 'GET', '/api/care/access-log')).body;
    expect(log.items).toEqual([
      { caregiver_id: rahul.user.id, caregiver_name: 'Rahul Verma', what: 'overview:summary', at: new Date(clock.now).toISOString() },
      { caregiver_id: rahul.user.id, caregiver_name: 'Rahul Verma', what: 'overview:vitals,alerts', at: new Date(clock.now - 1000).toISOString() },
    ]);
    // Nobody else's log, and no health values in it.
    expect((await call(rahul, 'GET', '/api/care/access-log')).body.items).toEqual([]);
    expectError(await call(asha, 'PATCH', `/api/care/members/${members[0].id}`, { scopes: ['root'] }), 400, 'VALIDATION_ERROR');
    expectError(await call(asha, 'PATCH', `/api/care/members/${members[0].id}`, {}), 400, 'VALIDATION_ERROR');
    expectError(await call(rahul, 'DELETE', `/api/care/members/${members[0].id}`), 404, 'NOT_FOUND');

    expect((await call(asha, 'DELETE', `/api/care/members/${members[0].id}`)).status).toBe(204);
    expectError(await call(rahul, 'GET', `/api/care/people/${asha.user.id}/overview`), 404, 'NOT_FOUND');
    expect((await call(rahul, 'GET', '/api/care/people')).body.items).toEqual([]);
  });

  it('paginates the access log', async () => {
    const { asha, rahul } = await circle(['summary']);
    for (let i = 0; i < 5; i++) await call(rahul, 'GET', `/api/care/people/${asha.user.id}/overview`);
    const a = (await call(asha, 'GET', '/api/care/access-log?limit=3')).body;
    const b = (await call(asha, 'GET', `/api/care/access-log?limit=3&cursor=${a.next_cursor}`)).body;
    expect(a.items).toHaveLength(3);
    expect(b.items).toHaveLength(2);
    expect(b.next_cursor).toBeNull();
  });
});

describe('only the person, signed in', () => {
  it('a device key cannot manage or read the care circle (403, nothing written)', async () => {
    const asha = await registerUser(t.app);
    const rahul = await registerUser(t.app);
    const key = (await call(asha, 'POST', '/api/devices', { name: 'Kitchen speaker' })).body.key as string;
    const device = { ...asha, auth: { authorization: `Device ${key}` } };
    for (const [method, url, body] of [
      ['POST', '/api/care/invitations', { email: rahul.email, relationship: 'son', scopes: ['alerts'] }],
      ['GET', '/api/care/invitations'],
      ['GET', '/api/care/members'],
      ['GET', '/api/care/access-log'],
      ['GET', '/api/care/people'],
      ['GET', '/api/care/alerts'],
      ['POST', '/api/care/invitations/accept', { code: 'ABCDEFGHJK' }],
    ] as Array<[string, string, object?]>) {
      expectError(await call(device, method, url, body), 403, 'FORBIDDEN');
    }
    expect((await call(asha, 'GET', '/api/care/invitations')).body.items).toEqual([]);
  });

  it('a deleted account leaves no trace in anyone’s circle', async () => {
    const { asha, rahul } = await circle(['summary', 'alerts']);
    await call(rahul, 'GET', `/api/care/people/${asha.user.id}/overview`);
    const dadi = await registerUser(t.app, { name: 'Dadi' });
    const inv = await call(dadi, 'POST', '/api/care/invitations', { email: asha.email, relationship: 'granddaughter', scopes: ['alerts'] });
    expect((await call(asha, 'POST', '/api/care/invitations/accept', { code: inv.body.code })).status).toBe(200);
    await call(asha, 'GET', `/api/care/people/${dadi.user.id}/overview`);
    await call(asha, 'POST', '/api/care/invitations', { email: `friend-${asha.user.id}@example.com`, relationship: 'friend', scopes: ['summary'] });
    const careRows = () => {
      const db = openAuthDatabase(t.dataDir, t.config.dataKey);
      try {
        return ['care_invitations', 'care_links', 'care_access_log'].flatMap((table) =>
          (db.prepare(`SELECT * FROM "${table}"`).all() as object[]).filter((r) => JSON.stringify(r).includes(asha.user.id) || JSON.stringify(r).includes(asha.email)).map(() => table),
        );
      } finally {
        db.close();
      }
    };
    expect(careRows().sort()).toEqual(['care_access_log', 'care_access_log', 'care_invitations', 'care_invitations', 'care_invitations', 'care_links', 'care_links']);
    expect((await call(asha, 'DELETE', '/api/auth/account', { password: asha.password })).status).toBe(204);
    expect(careRows()).toEqual([]);
    expect((await call(rahul, 'GET', '/api/care/people')).body.items).toEqual([]);
    expect((await call(dadi, 'GET', '/api/care/members')).body.items).toEqual([]);
    // Dadi's invitation to that email is spent; the email can be invited again once it registers anew.
    expect((await call(dadi, 'GET', '/api/care/invitations')).body.items).toEqual([]);
  });
});

describe('OpenAPI', () => {
  it('documents every care route, with examples for the bodies people send', async () => {
    const doc = (await t.app.inject({ url: '/docs/json' })).json();
    for (const path of ['/api/care/invitations', '/api/care/invitations/{id}', '/api/care/invitations/accept', '/api/care/members', '/api/care/members/{id}', '/api/care/access-log', '/api/care/people', '/api/care/people/{user_id}/overview', '/api/care/alerts']) {
      expect(doc.paths[path], path).toBeDefined();
    }
    const invite = doc.paths['/api/care/invitations'].post;
    expect(JSON.stringify(invite.requestBody)).toContain('rahul@example.com');
    expect(JSON.stringify(invite.responses['201'])).toContain('K7QM2XW9PA');
    expect(invite.responses['403']).toBeDefined();
    expect(JSON.stringify(doc.paths['/api/care/invitations/accept'].post.requestBody)).toContain('K7QM2XW9PA');
  });
});
