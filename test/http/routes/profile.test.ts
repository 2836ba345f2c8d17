import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { createOne, RESOURCES } from './_resources.js';
import { expectError, makeRestApp, signIn, type Client, type Json } from './_support.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeRestApp();
});
afterAll(async () => t.close());

const FULL = {
  name: 'Asha Rao',
  date_of_birth: '1958-04-12',
  gender: 'female',
  height_cm: 158,
  weight_kg: 61.5,
  blood_type: 'AB+',
  allergies: ['penicillin'],
  medical_conditions: ['type 2 diabetes', 'hypertension'],
  dietary_preferences: 'vegetarian',
  timezone: 'Asia/Kolkata',
  preferred_language: 'hi-IN',
  phone: '+919876543210',
  reminder_channel: 'call',
  caregiver_alerts: { missed_medication: true, abnormal_vitals: true },
};

describe('profile', () => {
  it('is 404 before the first PUT; PUT creates (201) then replaces (200)', async () => {
    const c = await signIn(t.app);
    expectError(await c.get('/api/profile'), 404, 'NOT_FOUND');
    expectError(await c.patch('/api/profile', { name: 'A' }), 404, 'NOT_FOUND');

    const created = await c.put('/api/profile', FULL);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ ...FULL, id: expect.any(String), created_at: expect.any(String), updated_at: expect.any(String) });
    expect(await c.get('/api/profile')).toEqual({ status: 200, body: created.body });

    const replaced = await c.put('/api/profile', { name: 'Asha R', phone: '+919800000000' });
    expect(replaced.status).toBe(200);
    expect(replaced.body.id).toBe(created.body.id);
    expect(replaced.body.created_at).toBe(created.body.created_at);
    expect(replaced.body).toMatchObject({ name: 'Asha R', phone: '+919800000000' });
    // PUT replaces: nothing left from the first version, and nothing nulled.
    for (const k of ['date_of_birth', 'blood_type', 'allergies', 'medical_conditions', 'preferred_language', 'caregiver_alerts']) {
      expect(replaced.body, k).not.toHaveProperty(k);
    }
    expect(Object.values(replaced.body)).not.toContain(null);
  });

  it('fills timezone with DEFAULT_TIMEZONE when the profile has none, and shows the chosen one otherwise', async () => {
    const c = await signIn(t.app);
    const put = await c.put('/api/profile', { name: 'Ravi' });
    expect(put.body.timezone).toBe(t.config.defaultTimezone);
    expect(t.config.defaultTimezone).toBe('Asia/Kolkata');
    expect((await c.get('/api/profile')).body.timezone).toBe('Asia/Kolkata');
    await c.patch('/api/profile', { timezone: 'Europe/London' });
    expect((await c.get('/api/profile')).body.timezone).toBe('Europe/London');
    await c.patch('/api/profile', { timezone: null });
    expect((await c.get('/api/profile')).body.timezone).toBe('Asia/Kolkata');
  });

  it('PATCH merges: given fields change, others stay; null removes a field', async () => {
    const c = await signIn(t.app);
    const created = (await c.put('/api/profile', FULL)).body;
    const patched = await c.patch('/api/profile', { weight_kg: 60, allergies: ['penicillin', 'peanuts'] });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const { updated_at: _u, ...rest } = created;
    expect(patched.body).toEqual({ ...rest, weight_kg: 60, allergies: ['penicillin', 'peanuts'], updated_at: expect.any(String) });
    const cleared = await c.patch('/api/profile', { dietary_preferences: null });
    expect(cleared.body).not.toHaveProperty('dietary_preferences');
    expect(cleared.body.name).toBe('Asha Rao');
  });

  it('PATCH merges into nested objects too (caregiver_alerts keeps the flags it was not given)', async () => {
    const c = await signIn(t.app);
    await c.put('/api/profile', FULL);
    const patched = await c.patch('/api/profile', { caregiver_alerts: { emergency: true } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.caregiver_alerts).toEqual({ missed_medication: true, abnormal_vitals: true, emergency: true });
    const off = await c.patch('/api/profile', { caregiver_alerts: { abnormal_vitals: null } });
    expect(off.body.caregiver_alerts).toEqual({ missed_medication: true, emergency: true });
  });

  const bad: Array<[string, Json, string]> = [
    ['blood type C+', { blood_type: 'C+' }, 'blood_type'],
    ['blood type ab+ (case)', { blood_type: 'ab+' }, 'blood_type'],
    ['an unknown time zone', { timezone: 'Mars/Olympus_Mons' }, 'timezone'],
    ['an abbreviation as time zone', { timezone: 'IST' }, 'timezone'],
    ['a phone without +country', { phone: '9876543210' }, 'phone'],
    ['a phone with separators (not E.164)', { phone: '+91-98765-43210' }, 'phone'],
    ['a phone starting +0', { phone: '+0123456789' }, 'phone'],
    ['a language name instead of a locale', { preferred_language: 'hindi' }, 'preferred_language'],
    ['an impossible birth date', { date_of_birth: '1990-02-30' }, 'date_of_birth'],
    ['a future birth date', { date_of_birth: '2999-01-01' }, 'date_of_birth'],
    // The app's clock says 2026-03-01: a date after it is in the future whatever the host's date is.
    ['a birth date after the service clock’s today', { date_of_birth: '2026-03-02' }, 'date_of_birth'],
    ['a birth date before 1900', { date_of_birth: '1899-12-31' }, 'date_of_birth'],
    ['a birth date-time', { date_of_birth: '1990-02-03T00:00:00Z' }, 'date_of_birth'],
    ['height 5 cm', { height_cm: 5 }, 'height_cm'],
    ['weight as a string', { weight_kg: '60' }, 'weight_kg'],
    ['an unknown gender', { gender: 'robot' }, 'gender'],
    ['an unknown caregiver alert', { caregiver_alerts: { sms_spam: true } }, 'caregiver_alerts'],
    ['an unknown field', { role: 'admin' }, ''],
  ];

  it.each(bad)('PUT with %s is 400 and changes nothing', async (_why, body, field) => {
    const c = await signIn(t.app);
    expectError(await c.put('/api/profile', body), 400, 'VALIDATION_ERROR');
    expectError(await c.get('/api/profile'), 404, 'NOT_FOUND');
    const created = (await c.put('/api/profile', { name: 'Asha' })).body;
    const details = expectError(await c.put('/api/profile', { name: 'Asha', ...body }), 400, 'VALIDATION_ERROR');
    if (field) expect(Object.keys(details).some((k) => k === field || k.startsWith(`${field}.`)), JSON.stringify(details)).toBe(true);
    expectError(await c.patch('/api/profile', body), 400, 'VALIDATION_ERROR');
    expect((await c.get('/api/profile')).body).toEqual(created);
  });

  it('accepts a birth date up to the service clock’s today, whatever the host’s date is', async () => {
    const c = await signIn(t.app);
    const r = await c.put('/api/profile', { date_of_birth: '2026-02-28' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect((await c.patch('/api/profile', { name: 'Asha' })).status).toBe(200);
  });

  it('accepts every blood type including AB+ and AB-', async () => {
    const c = await signIn(t.app);
    for (const bt of ['A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-']) {
      const r = await c.put('/api/profile', { blood_type: bt });
      expect(r.status, bt).toBeLessThan(300);
      expect(r.body.blood_type).toBe(bt);
    }
  });

  it('DELETE needs {"confirm": true}; then the profile and every health record are gone, the account stays', async () => {
    const c = await signIn(t.app);
    await c.put('/api/profile', FULL);
    for (const rc of RESOURCES) await createOne(c, rc);
    await t.app.services.health.forUser(c.userId).create('notification', { title: 'x', message: 'y', type: 'water', fire_at: '2026-03-01T00:00:00Z' });
    const lists = async (cl: Client) => Promise.all([...RESOURCES.map((rc) => cl.all(rc.path)), cl.all('/api/notifications')]);
    const before = await lists(c);
    expect(before.every((l) => l.length > 0)).toBe(true);

    expectError(await c.del('/api/profile'), 400, 'VALIDATION_ERROR');
    expectError(await c.del('/api/profile', {}), 400, 'VALIDATION_ERROR');
    expectError(await c.del('/api/profile', { confirm: false }), 400, 'VALIDATION_ERROR');
    expectError(await c.del('/api/profile', { confirm: 'true' }), 400, 'VALIDATION_ERROR');
    expect(await lists(c)).toEqual(before);
    expect((await c.get('/api/profile')).status).toBe(200);

    const del = await c.del('/api/profile', { confirm: true });
    expect(del.status, JSON.stringify(del.body)).toBe(200);
    // The profile, the notification and every record created above (references included).
    expect(del.body.forgotten).toBe(1 + before.flat().length);
    expectError(await c.get('/api/profile'), 404, 'NOT_FOUND');
    expect((await lists(c)).every((l) => l.length === 0)).toBe(true);
    expect((await c.get('/api/auth/me')).status).toBe(200);
  });
});
