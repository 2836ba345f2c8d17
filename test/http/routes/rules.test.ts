import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { expectError, makeRestApp, signIn, sleep, type Client, type Json } from './_support.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeRestApp();
});
afterAll(async () => t.close());

const CONTACTS = '/api/emergency-contacts';

async function addContact(c: Client, name: string, extra: Json = {}) {
  const r = await c.post(CONTACTS, { name, phone: '+91-98765-43210', ...extra });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  // Promotion after a delete picks the newest contact: keep creation times apart.
  await sleep(3);
  return r.body;
}

/** The ids of the primary contacts; the rules say there is exactly one whenever any exist. */
const primaries = async (c: Client) => (await c.all(CONTACTS)).filter((x) => x.is_primary === true).map((x) => x.id);

describe('emergency contacts keep exactly one primary', () => {
  it('makes the first contact primary even when it asks not to be, and later ones not', async () => {
    const c = await signIn(t.app);
    const first = await addContact(c, 'Meera', { is_primary: false });
    expect(first.is_primary).toBe(true);
    const second = await addContact(c, 'Ravi');
    expect(second.is_primary).toBe(false);
    expect(await primaries(c)).toEqual([first.id]);
  });

  it('creating a primary contact demotes the old one', async () => {
    const c = await signIn(t.app);
    const first = await addContact(c, 'Meera');
    await addContact(c, 'Ravi');
    const third = await addContact(c, 'Anil', { is_primary: true });
    expect(third.is_primary).toBe(true);
    expect(await primaries(c)).toEqual([third.id]);
    expect((await c.get(`${CONTACTS}/${first.id}`)).body.is_primary).toBe(false);
  });

  it('PATCH and PUT making a contact primary demote the others', async () => {
    const c = await signIn(t.app);
    const first = await addContact(c, 'Meera');
    const second = await addContact(c, 'Ravi');
    const patched = await c.patch(`${CONTACTS}/${second.id}`, { is_primary: true });
    expect(patched.body.is_primary).toBe(true);
    expect(await primaries(c)).toEqual([second.id]);
    const put = await c.put(`${CONTACTS}/${first.id}`, { name: 'Meera', phone: '+919876543210', is_primary: true });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(await primaries(c)).toEqual([first.id]);
  });

  it('the primary cannot be demoted directly: it stays primary until another is made primary', async () => {
    const c = await signIn(t.app);
    const first = await addContact(c, 'Meera');
    await addContact(c, 'Ravi');
    const patched = await c.patch(`${CONTACTS}/${first.id}`, { is_primary: false });
    expect(patched.status).toBe(200);
    expect(patched.body.is_primary).toBe(true);
    // A PUT that leaves is_primary out (default false) keeps it primary too.
    const put = await c.put(`${CONTACTS}/${first.id}`, { name: 'Meera R', phone: '+919876543210' });
    expect(put.body).toMatchObject({ name: 'Meera R', is_primary: true });
    expect(await primaries(c)).toEqual([first.id]);
  });

  it('deleting the primary promotes the newest other contact', async () => {
    const c = await signIn(t.app);
    const first = await addContact(c, 'Meera');
    await addContact(c, 'Ravi');
    const newest = await addContact(c, 'Anil');
    expect((await c.del(`${CONTACTS}/${first.id}`)).status).toBe(204);
    expect(await primaries(c)).toEqual([newest.id]);
    expect((await c.all(CONTACTS)).map((x) => x.id)).not.toContain(first.id);
  });

  it('deleting a non-primary contact leaves the primary alone', async () => {
    const c = await signIn(t.app);
    const first = await addContact(c, 'Meera');
    const second = await addContact(c, 'Ravi');
    expect((await c.del(`${CONTACTS}/${second.id}`)).status).toBe(204);
    expect(await primaries(c)).toEqual([first.id]);
  });

  it('deleting the last contact needs ?force=true: 409 CONFLICT without it, and the contact stays', async () => {
    const c = await signIn(t.app);
    const only = await addContact(c, 'Meera');
    const details = expectError(await c.del(`${CONTACTS}/${only.id}`), 409, 'CONFLICT');
    expect(details).toHaveProperty('force');
    expectError(await c.del(`${CONTACTS}/${only.id}?force=false`), 409, 'CONFLICT');
    expectError(await c.del(`${CONTACTS}/${only.id}?force=yes`), 400, 'VALIDATION_ERROR');
    expect((await c.get(`${CONTACTS}/${only.id}`)).body).toEqual(only);
    expect((await c.del(`${CONTACTS}/${only.id}?force=true`)).status).toBe(204);
    expect(await c.all(CONTACTS)).toEqual([]);
  });

  it('other resources refuse ?force', async () => {
    const c = await signIn(t.app);
    const med = (await c.post('/api/medications', { name: 'Aspirin' })).body;
    expectError(await c.del(`/api/medications/${med.id}?force=true`), 400, 'VALIDATION_ERROR');
    expect((await c.get(`/api/medications/${med.id}`)).status).toBe(200);
  });
});

describe('concurrent writes', () => {
  it('five contacts created at once leave exactly one primary; five doses at once take five off the stock', async () => {
    const c = await signIn(t.app);
    await Promise.all(Array.from({ length: 5 }, (_, i) => c.post(CONTACTS, { name: `C${i}`, phone: '+919876543210', is_primary: i % 2 === 0 })));
    const contacts = await c.all(CONTACTS);
    expect(contacts).toHaveLength(5);
    expect(contacts.filter((x) => x.is_primary)).toHaveLength(1);
    const med = (await c.post('/api/medications', { name: 'Amlodipine', quantity: 10 })).body;
    const doses = await Promise.all(Array.from({ length: 5 }, () => c.post('/api/medication/logs', { medication_id: med.id, status: 'taken' })));
    expect(doses.map((d) => d.status)).toEqual([201, 201, 201, 201, 201]);
    expect((await c.get(`/api/medications/${med.id}`)).body.quantity).toBe(5);
  });
});

describe('medication references', () => {
  const medication = async (c: Client, extra: Json = {}) => {
    const r = await c.post('/api/medications', { name: 'Metformin', dosage: '500 mg', ...extra });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  };
  const schedule = async (c: Client, medicationId: string) => {
    const r = await c.post('/api/medication-schedules', { medication_id: medicationId, time_of_day: '08:00', days_of_week: ['1', '2', '3', '4', '5'] });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  };
  const quantityOf = async (c: Client, id: string) => (await c.get(`/api/medications/${id}`)).body.quantity;

  it('a schedule takes a bare medication id or medication:<id> and stores the spec form', async () => {
    const c = await signIn(t.app);
    const med = await medication(c);
    expect((await schedule(c, med.id)).medication_id).toBe(`medication:${med.id}`);
    expect((await schedule(c, `medication:${med.id}`)).medication_id).toBe(`medication:${med.id}`);
  });

  it('a schedule for an unknown or deleted medication is 400 and nothing is written', async () => {
    const c = await signIn(t.app);
    const unknown = await c.post('/api/medication-schedules', { medication_id: 'does-not-exist', time_of_day: '08:00', days_of_week: ['1'] });
    expect(expectError(unknown, 400, 'VALIDATION_ERROR')).toHaveProperty('medication_id');
    const med = await medication(c);
    expect((await c.del(`/api/medications/${med.id}`)).status).toBe(204);
    const deleted = await c.post('/api/medication-schedules', { medication_id: med.id, time_of_day: '08:00', days_of_week: ['1'] });
    expect(expectError(deleted, 400, 'VALIDATION_ERROR')).toHaveProperty('medication_id');
    expect(await c.all('/api/medication-schedules')).toEqual([]);
  });

  it('PUT and PATCH cannot point a schedule at an unknown medication', async () => {
    const c = await signIn(t.app);
    const med = await medication(c);
    const s = await schedule(c, med.id);
    expectError(await c.put(`/api/medication-schedules/${s.id}`, { medication_id: 'nope', time_of_day: '09:00', days_of_week: ['1'] }), 400, 'VALIDATION_ERROR');
    expectError(await c.patch(`/api/medication-schedules/${s.id}`, { medication_id: 'nope' }), 400, 'VALIDATION_ERROR');
    expect((await c.get(`/api/medication-schedules/${s.id}`)).body).toEqual(s);
  });

  it('a taken dose with schedule_id fills medication_id and takes one off the stock; a skipped one does not', async () => {
    const c = await signIn(t.app);
    const med = await medication(c, { quantity: 30 });
    const s = await schedule(c, med.id);
    const taken = await c.post('/api/medication/logs', { schedule_id: s.id, status: 'taken', taken_at: '2026-03-10T08:05:00+05:30' });
    expect(taken.status, JSON.stringify(taken.body)).toBe(201);
    expect(taken.body).toMatchObject({ schedule_id: `med_schedule:${s.id}`, medication_id: `medication:${med.id}`, status: 'taken' });
    expect(await quantityOf(c, med.id)).toBe(29);

    const skipped = await c.post('/api/medication/logs', { schedule_id: `med_schedule:${s.id}`, status: 'skipped' });
    expect(skipped.body.medication_id).toBe(`medication:${med.id}`);
    expect(await quantityOf(c, med.id)).toBe(29);

    const unscheduled = await c.post('/api/medication/logs', { medication_id: med.id, status: 'taken' });
    expect(unscheduled.status).toBe(201);
    expect(unscheduled.body).not.toHaveProperty('schedule_id');
    expect(await quantityOf(c, med.id)).toBe(28);
    expect((await c.all('/api/medication/logs')).map((d) => d.id).sort()).toEqual([taken.body.id, skipped.body.id, unscheduled.body.id].sort());
  });

  it('the stock never goes below zero and is not invented when the medication has none', async () => {
    const c = await signIn(t.app);
    const empty = await medication(c, { quantity: 0 });
    const untracked = await medication(c);
    expect((await c.post('/api/medication/logs', { medication_id: empty.id, status: 'taken' })).status).toBe(201);
    expect((await c.post('/api/medication/logs', { medication_id: untracked.id, status: 'taken' })).status).toBe(201);
    expect(await quantityOf(c, empty.id)).toBe(0);
    expect((await c.get(`/api/medications/${untracked.id}`)).body).toEqual(untracked);
  });

  it('a refused dose (unknown schedule, mismatched medication) writes nothing and leaves the stock alone', async () => {
    const c = await signIn(t.app);
    const med = await medication(c, { quantity: 10 });
    const other = await medication(c, { quantity: 10 });
    const s = await schedule(c, med.id);
    expectError(await c.post('/api/medication/logs', { schedule_id: 'no-such', status: 'taken' }), 400, 'VALIDATION_ERROR');
    expectError(await c.post('/api/medication/logs', { schedule_id: s.id, medication_id: other.id, status: 'taken' }), 400, 'VALIDATION_ERROR');
    expect(await quantityOf(c, med.id)).toBe(10);
    expect(await quantityOf(c, other.id)).toBe(10);
    expect(await c.all('/api/medication/logs')).toEqual([]);
  });

  it('a meditation log references a session of the same user, stored as meditation_session:<id>', async () => {
    const c = await signIn(t.app);
    const session = (await c.post('/api/meditation/sessions', { title: 'Breath', duration_minutes: 5 })).body;
    const log = await c.post('/api/meditation/logs', { session_id: session.id, duration_minutes: 5, completed: true });
    expect(log.body.session_id).toBe(`meditation_session:${session.id}`);
    const free = await c.post('/api/meditation/logs', { duration_minutes: 3, completed: false });
    expect(free.status).toBe(201);
    expect(free.body).not.toHaveProperty('session_id');
  });
});

describe('notifications', () => {
  const FIRE0 = Date.parse('2026-03-01T00:00:00Z');

  /** Notifications are written by the reminders feature; tests write them through the store. */
  async function seed(c: Client, n: number, isRead: (i: number) => boolean) {
    const h = t.app.services.health.forUser(c.userId);
    const out: Json[] = [];
    for (let i = 0; i < n; i++) {
      out.push(
        await h.create('notification', {
          title: `Reminder ${i}`,
          message: 'Time for water',
          type: 'water',
          read: isRead(i),
          fire_at: new Date(FIRE0 + i * 60_000).toISOString(),
        }),
      );
    }
    return out;
  }

  it('lists newest first, gets one by id, and has no create, replace or delete route', async () => {
    const c = await signIn(t.app);
    const [a, b] = await seed(c, 2, () => false);
    const list = await c.get('/api/notifications');
    expect(list.body.items.map((x: Json) => x.id)).toEqual([b!.id, a!.id]);
    expect((await c.get(`/api/notifications/${a!.id}`)).body).toEqual(a);
    expectError(await c.post('/api/notifications', { title: 'x', message: 'y', type: 'water', fire_at: '2026-03-01T00:00:00Z' }), 404, 'NOT_FOUND');
    expectError(await c.put(`/api/notifications/${a!.id}`, { title: 'x' }), 404, 'NOT_FOUND');
    expectError(await c.del(`/api/notifications/${a!.id}`), 404, 'NOT_FOUND');
    expect((await c.all('/api/notifications')).length).toBe(2);
  });

  it('POST :id/read marks it read once (read_at kept on a repeat); unknown ids are 404', async () => {
    const c = await signIn(t.app);
    const [n] = await seed(c, 1, () => false);
    const r1 = await c.post(`/api/notifications/${n!.id}/read`, {});
    expect(r1.status).toBe(200);
    expect(r1.body).toMatchObject({ id: n!.id, read: true, read_at: expect.any(String), title: n!.title });
    await sleep(3);
    const r2 = await c.post(`/api/notifications/${n!.id}/read`, {});
    expect(r2.body).toEqual(r1.body);
    expectError(await c.post('/api/notifications/never-issued/read', {}), 404, 'NOT_FOUND');
    expect((await c.get('/api/notifications?unread=true')).body).toEqual({ items: [], next_cursor: null });
  });

  it('?unread=true pages exactly through unread ones across the store’s internal pages', async () => {
    const c = await signIn(t.app);
    // 150 notifications, every third already read: 100 unread spread over two store pages.
    const all = await seed(c, 150, (i) => i % 3 === 0);
    const expected = all.filter((n) => !n.read).map((n) => n.id).reverse();
    expect(expected).toHaveLength(100);
    const ids: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const r = await c.get(`/api/notifications?unread=true&limit=30${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.items.every((n: Json) => n.read === false)).toBe(true);
      sizes.push(r.body.items.length);
      ids.push(...r.body.items.map((n: Json) => n.id));
      cursor = r.body.next_cursor;
    } while (cursor);
    expect(ids).toEqual(expected);
    expect(sizes.slice(0, 3)).toEqual([30, 30, 30]);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(100);

    const everything = await c.get('/api/notifications?unread=false&limit=100');
    expect(everything.body.items).toHaveLength(100);
    expect(everything.body.next_cursor).toEqual(expect.any(String));
  });

  it('?unread=true combines with from/to', async () => {
    const c = await signIn(t.app);
    const all = await seed(c, 6, (i) => i === 3);
    const from = new Date(FIRE0 + 2 * 60_000).toISOString();
    const to = new Date(FIRE0 + 5 * 60_000).toISOString();
    const r = await c.get(`/api/notifications?unread=true&from=${from}&to=${to}`);
    expect(r.body.items.map((n: Json) => n.id)).toEqual([all[4]!.id, all[2]!.id]);
  });

  it('refuses a bad unread flag and a cursor from elsewhere', async () => {
    const c = await signIn(t.app);
    await seed(c, 3, () => false);
    expectError(await c.get('/api/notifications?unread=yes'), 400, 'VALIDATION_ERROR');
    const plainCursor = (await c.get('/api/notifications?limit=1')).body.next_cursor;
    expect(plainCursor).toEqual(expect.any(String));
    expect(expectError(await c.get(`/api/notifications?unread=true&cursor=${plainCursor}`), 400, 'VALIDATION_ERROR')).toHaveProperty(['query.cursor']);
    const forged = 'u.' + Buffer.from(JSON.stringify({ s: -1 })).toString('base64url');
    expectError(await c.get(`/api/notifications?unread=true&cursor=${forged}`), 400, 'VALIDATION_ERROR');
  });
});
