import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedLocusGraph } from '../../src/locusgraph/embedded.js';
import { createHealthStore, graphIdForUser, type HealthStore } from '../../src/locusgraph/health.js';
import { appError, tempDataDir } from './helpers.js';

let clock = Date.parse('2026-02-01T00:00:00Z');
const now = () => clock;
let lg: EmbeddedLocusGraph;
let health: HealthStore;
let tmp: ReturnType<typeof tempDataDir>;
let n = 0;
const freshUser = () => health.forUser(`user-${++n}-${Math.random().toString(36).slice(2)}`);

beforeAll(() => {
  tmp = tempDataDir();
  lg = new EmbeddedLocusGraph({ dataDir: tmp.dir, key: tmp.key, now });
  health = createHealthStore(lg, { now });
});
afterAll(async () => {
  await lg.close();
  tmp.remove();
});

describe('health store: per-user binding', () => {
  it('derives a stable graph id from the user id and refuses to work without one', () => {
    expect(graphIdForUser('abc')).toMatch(/^user_[0-9a-f]{24}$/);
    expect(graphIdForUser('abc')).toBe(graphIdForUser('abc'));
    expect(graphIdForUser('abc')).not.toBe(graphIdForUser('abd'));
    expect(health.forUser('abc').graphId).toBe(graphIdForUser('abc'));
    expect(() => health.forUser('')).toThrow(TypeError);
    expect(() => health.forUser(undefined as unknown as string)).toThrow(TypeError);
  });

  it('keeps users apart in every read, search and insight', async () => {
    const a = freshUser();
    const b = freshUser();
    const item = await a.storeEvent('food', { description: 'ragi mudde', calories: 300, logged_at: '2026-02-01T08:00:00Z' });
    expect(await b.get('food', item.id)).toBeNull();
    expect((await b.list('food')).items).toEqual([]);
    expect((await b.retrieveContext({ text: 'ragi' })).items).toEqual([]);
    expect((await b.retrieveContext({})).items).toEqual([]);
    expect(await b.deleteEvent('food', item.id)).toBe(false);
    const ins = await b.generateInsights({ from: '2026-01-31T00:00:00Z', to: '2026-02-02T00:00:00Z', timezone: 'UTC' });
    expect(ins.nutrition.days_logged).toBe(0);
    expect(await a.get('food', item.id)).not.toBeNull();
  });
});

describe('health store: store, get, list', () => {
  it('stores an item as {id, ...payload, created_at, updated_at} with a generated UUID id', async () => {
    const u = freshUser();
    const item = await u.storeEvent('vitals', { heart_rate: 72, logged_at: '2026-02-01T08:00:00+05:30' });
    expect(item).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      heart_rate: 72,
      logged_at: '2026-02-01T08:00:00+05:30',
      created_at: new Date(clock).toISOString(),
      updated_at: new Date(clock).toISOString(),
    });
    expect(await u.get('vitals', item.id)).toEqual(item);
    expect(await u.get('vitals', 'no-such-id')).toBeNull();
  });

  it('fills a missing time field with now, and applies schema defaults', async () => {
    const u = freshUser();
    const w = await u.storeEvent('water', { amount_ml: 200 });
    expect(w.logged_at).toBe(new Date(clock).toISOString());
    const m = await u.storeEvent('medication', { name: 'Metformin' });
    expect(m.active).toBe(true);
  });

  it('stores the profile under the user’s own id, and upserts it', async () => {
    const u = freshUser();
    const first = await u.upsert('profile', u.profileId, { blood_type: 'AB-', timezone: 'Asia/Kolkata' });
    expect(first.created).toBe(true);
    expect(first.item.id).toBe(u.userId);
    clock += 60_000;
    const second = await u.upsert('profile', u.profileId, { blood_type: 'AB+' });
    expect(second.created).toBe(false);
    expect(second.item).toEqual({ id: u.userId, blood_type: 'AB+', created_at: first.item.created_at, updated_at: new Date(clock).toISOString() });
  });

  it('answers CONFLICT to a second create with the same id, even with the same payload', async () => {
    const u = freshUser();
    const payload = { alarm_id: 'alarm:a1', title: 'Pill', message: 'Take it', type: 'medication', fire_at: '2026-02-01T08:00:00+05:30' };
    await u.storeEvent('notification', payload, { id: 'a1-2026-02-01-0800' });
    expect((await appError(u.storeEvent('notification', payload, { id: 'a1-2026-02-01-0800' }))).code).toBe('CONFLICT');
    expect((await appError(u.storeEvent('notification', { ...payload, title: 'Other' }, { id: 'a1-2026-02-01-0800' }))).code).toBe('CONFLICT');
    expect((await u.list('notification')).items).toHaveLength(1);
  });

  it('lists newest first by the type’s time field, not by write order, with cursor paging and ranges', async () => {
    const u = freshUser();
    const days = [5, 1, 9, 3, 7, 2, 8, 4, 6];
    for (const d of days) await u.storeEvent('mood', { mood: 'calm', energy_level: d, logged_at: `2026-01-0${d}T12:00:00Z` });
    const p1 = await u.list('mood', { limit: 4 });
    expect(p1.items.map((i) => i.energy_level)).toEqual([9, 8, 7, 6]);
    const p2 = await u.list('mood', { limit: 4, cursor: p1.next_cursor! });
    expect(p2.items.map((i) => i.energy_level)).toEqual([5, 4, 3, 2]);
    const p3 = await u.list('mood', { limit: 4, cursor: p2.next_cursor! });
    expect(p3.items.map((i) => i.energy_level)).toEqual([1]);
    expect(p3.next_cursor).toBeNull();
    const ranged = await u.list('mood', { from: '2026-01-03T00:00:00+00:00', to: '2026-01-06T00:00:00Z' });
    expect(ranged.items.map((i) => i.energy_level)).toEqual([5, 4, 3]);
    expect((await appError(u.list('mood', { limit: 101 }))).code).toBe('VALIDATION_ERROR');
    expect((await appError(u.list('mood', { from: '2026-01-03' }))).code).toBe('VALIDATION_ERROR');
  });
});

describe('health store: bad input writes nothing', () => {
  it('refuses a payload failing its schema with field details', async () => {
    const u = freshUser();
    const err = await appError(u.storeEvent('vitals', { blood_pressure_systolic: 300, blood_pressure_diastolic: 80 }));
    expect(err.code).toBe('VALIDATION_ERROR');
    expect(err.statusCode).toBe(400);
    expect(err.details).toHaveProperty('blood_pressure_systolic');
    expect((await u.list('vitals')).items).toEqual([]);
  });

  it('refuses unknown fields, unknown types, malformed ids and payloads over 64 KB', async () => {
    const u = freshUser();
    expect((await appError(u.storeEvent('water', { amount_ml: 100, colour: 'blue' }))).code).toBe('VALIDATION_ERROR');
    expect((await appError(u.storeEvent('steps' as never, { count: 1 }))).details).toHaveProperty('type');
    expect((await appError(u.storeEvent('water', { amount_ml: 100 }, { id: 'has space' }))).details).toHaveProperty('id');
    expect((await appError(u.get('water', '../etc'))).code).toBe('VALIDATION_ERROR');
    expect((await appError(u.deleteEvent('water', ''))).code).toBe('VALIDATION_ERROR');
    const big = await appError(u.storeEvent('chat', { user_message: 'hi', ai_response: 'hello', context: { blob: 'x'.repeat(70_000) } }));
    expect(big.code).toBe('VALIDATION_ERROR');
    expect(big.details).toHaveProperty('payload');
    expect((await appError(u.storeEvent('water', [1, 2] as never))).code).toBe('VALIDATION_ERROR');
    expect((await u.retrieveContext({})).items).toEqual([]);
  });
});

describe('health store: update, patch, delete', () => {
  it('update replaces the whole payload and keeps created_at and the event time', async () => {
    const u = freshUser();
    const created = await u.storeEvent('food', { description: 'Idli', calories: 150, meal_type: 'breakfast', logged_at: '2026-01-20T08:00:00Z' });
    clock += 3_600_000;
    const updated = await u.updateEvent('food', created.id, { description: 'Two idli', calories: 300 });
    expect(updated).toEqual({
      id: created.id,
      description: 'Two idli',
      calories: 300,
      logged_at: '2026-01-20T08:00:00Z',
      created_at: created.created_at,
      updated_at: new Date(clock).toISOString(),
    });
    expect((await u.list('food', { from: '2026-01-20T00:00:00Z', to: '2026-01-21T00:00:00Z' })).items).toHaveLength(1);
    expect((await appError(u.updateEvent('food', 'missing', { description: 'x' }))).code).toBe('NOT_FOUND');
    expect((await appError(u.updateEvent('food', created.id, { calories: 10 }))).code).toBe('VALIDATION_ERROR');
    expect((await u.get('food', created.id))!.description).toBe('Two idli');
  });

  it('patch merges, a null removes a field, and the result must still be valid', async () => {
    const u = freshUser();
    const m = await u.storeEvent('medication', { name: 'Amlodipine', dosage: '5mg', frequency: 'daily' });
    const p = await u.patch('medication', m.id, { dosage: '10mg', frequency: null, id: 'ignored', created_at: 'ignored' });
    expect(p).toMatchObject({ id: m.id, name: 'Amlodipine', dosage: '10mg', active: true, created_at: m.created_at });
    expect(p).not.toHaveProperty('frequency');
    expect((await appError(u.patch('medication', m.id, { name: null }))).code).toBe('VALIDATION_ERROR');
    expect((await appError(u.patch('medication', m.id, { quantity: -1 }))).details).toHaveProperty('quantity');
    expect((await u.get('medication', m.id))!.dosage).toBe('10mg');
    expect((await appError(u.patch('medication', 'missing', { dosage: '1mg' }))).code).toBe('NOT_FOUND');
  });

  it('delete forgets the event with no tombstone in lists or search', async () => {
    const u = freshUser();
    const a = await u.storeEvent('exercise', { exercise_type: 'yoga', duration_minutes: 20 });
    const b = await u.storeEvent('exercise', { exercise_type: 'swimming', duration_minutes: 40 });
    expect(await u.deleteEvent('exercise', a.id)).toBe(true);
    expect(await u.deleteEvent('exercise', a.id)).toBe(false);
    expect(await u.get('exercise', a.id)).toBeNull();
    expect((await u.list('exercise')).items.map((i) => i.id)).toEqual([b.id]);
    expect((await u.retrieveContext({ text: 'yoga' })).items).toEqual([]);
  });

  it('forgetAll removes every event of the user and no one else’s', async () => {
    const a = freshUser();
    const b = freshUser();
    await a.upsert('profile', a.profileId, { name: 'Asha' });
    await a.storeEvent('water', { amount_ml: 100 });
    await a.storeEvent('sleep', { sleep_start: '2026-01-01T22:00:00Z', sleep_end: '2026-01-02T06:00:00Z' });
    await b.storeEvent('water', { amount_ml: 300 });
    expect(await a.forgetAll()).toEqual({ forgotten: 3 });
    expect((await a.retrieveContext({})).items).toEqual([]);
    expect((await b.list('water')).items).toHaveLength(1);
  });

  it('forgetGraph drops the whole graph, and every later write for that user is refused through any handle', async () => {
    const a = freshUser();
    const b = freshUser();
    await a.upsert('profile', a.profileId, { name: 'Asha' });
    await a.storeEvent('water', { amount_ml: 100 });
    await b.storeEvent('water', { amount_ml: 300 });
    // A write queued before the deletion (an assistant turn in flight) is deleted with the rest.
    const inFlight = a.storeEvent('mood', { mood: 'calm', energy_level: 5 });
    expect(await a.forgetGraph()).toEqual({ forgotten: 3 });
    await inFlight;
    expect(await lg.getContext(a.graphId, `profile:${a.profileId}`)).toBeNull();
    expect((await a.retrieveContext({})).items).toEqual([]);

    // A care alert or a late turn that writes afterwards, through a fresh handle, starts nothing.
    const late = health.forUser(a.userId);
    expect((await appError(late.storeEvent('water', { amount_ml: 200 }))).code).toBe('TOKEN_INVALID');
    expect((await appError(late.upsert('profile', late.profileId, { name: 'Asha' }))).code).toBe('TOKEN_INVALID');
    expect((await lg.listContextType(a.graphId, 'water')).items).toEqual([]);
    expect((await b.list('water')).items).toHaveLength(1);
    expect((await b.storeEvent('water', { amount_ml: 50 })).amount_ml).toBe(50);
  });
});

describe('health store: retrieveContext', () => {
  it('searches the user’s events by text with type and time filters', async () => {
    const u = freshUser();
    await u.storeEvent('medication', { name: 'Metformin', dosage: '500mg' });
    await u.storeEvent('food', { description: 'Poha', logged_at: '2026-01-10T08:00:00Z' });
    await u.storeEvent('food', { description: 'Poha with peanuts', logged_at: '2026-01-12T08:00:00Z' });
    const hits = await u.retrieveContext({ text: 'metformin' });
    expect(hits.items).toHaveLength(1);
    expect(hits.items[0]).toMatchObject({ type: 'medication', item: { name: 'Metformin', dosage: '500mg', active: true } });
    expect(hits.items[0]!.match_score).toBeGreaterThan(0);
    const poha = await u.retrieveContext({ text: 'poha', types: ['food'], from: '2026-01-11T00:00:00Z' });
    expect(poha.items.map((h) => (h.type === 'food' ? h.item.description : h.type))).toEqual(['Poha with peanuts']);
    expect((await u.retrieveContext({ text: 'poha', types: ['vitals'] })).items).toEqual([]);
  });

  it('without text returns the newest events across the types', async () => {
    const u = freshUser();
    await u.storeEvent('water', { amount_ml: 100, logged_at: '2026-01-10T08:00:00Z' });
    await u.storeEvent('vitals', { heart_rate: 70, logged_at: '2026-01-12T08:00:00Z' });
    await u.storeEvent('mood', { mood: 'Happy', logged_at: '2026-01-11T08:00:00Z' });
    const r = await u.retrieveContext({ types: ['water', 'vitals', 'mood'], limit: 2 });
    expect(r.items.map((h) => h.type)).toEqual(['vitals', 'mood']);
    expect(r.items[1]!.item).toMatchObject({ mood: 'happy' });
    expect((await appError(u.retrieveContext({ types: ['nope' as never] }))).code).toBe('VALIDATION_ERROR');
  });
});

describe('health store: generateInsights', () => {
  it('aggregates vitals, nutrition, water, sleep, exercise, mood and medication adherence over a period', async () => {
    const u = freshUser();
    clock = Date.parse('2026-03-01T00:00:00Z');
    const med = await u.storeEvent('medication', { name: 'Metformin' });
    const sched = await u.storeEvent('med_schedule', { medication_id: med.id, time_of_day: '08:00', days_of_week: ['1', '2', '3', '4', '5', '6', '7'] });
    // Mon-Fri only: in the week below that is 5 of 7 days.
    const med2 = await u.storeEvent('medication', { name: 'Amlodipine' });
    await u.storeEvent('med_schedule', { medication_id: med2.id, time_of_day: '21:00', days_of_week: ['1', '2', '3', '4', '5'] });
    clock = Date.parse('2026-03-20T00:00:00Z');

    // The period: Monday 2 March to Monday 9 March 2026, in India.
    const tz = 'Asia/Kolkata';
    const from = '2026-03-02T00:00:00+05:30';
    const to = '2026-03-09T00:00:00+05:30';
    for (const [day, sys, hr] of [[2, 120, 70], [4, 130, 72], [6, 140, 70], [8, 150, 71]] as const) {
      await u.storeEvent('vitals', { blood_pressure_systolic: sys, blood_pressure_diastolic: 80, heart_rate: hr, logged_at: `2026-03-0${day}T08:00:00+05:30` });
    }
    await u.storeEvent('vitals', { temperature: 37, temperature_unit: 'C', logged_at: '2026-03-03T08:00:00+05:30' });
    await u.storeEvent('vitals', { heart_rate: 200, logged_at: '2026-03-10T08:00:00+05:30' }); // outside
    // 20:00Z on the 2nd is 01:30 on the 3rd in India: it counts for the 3rd.
    await u.storeEvent('food', { description: 'dinner', calories: 500, protein_g: 20, carbs_g: 60, fat_g: 15, logged_at: '2026-03-02T20:00:00Z' });
    await u.storeEvent('food', { description: 'lunch', calories: 400, protein_g: 10, logged_at: '2026-03-03T13:00:00+05:30' });
    await u.storeEvent('food', { description: 'breakfast', calories: 300, logged_at: '2026-03-04T08:00:00+05:30' });
    await u.storeEvent('water', { amount_ml: 500, logged_at: '2026-03-02T09:00:00+05:30' });
    await u.storeEvent('water', { amount_ml: 900, logged_at: '2026-03-05T09:00:00+05:30' });
    await u.storeEvent('sleep', { sleep_start: '2026-03-02T22:00:00+05:30', sleep_end: '2026-03-03T06:00:00+05:30', quality: 6 });
    await u.storeEvent('sleep', { sleep_start: '2026-03-03T23:00:00+05:30', sleep_end: '2026-03-04T06:00:00+05:30', quality: 8 });
    await u.storeEvent('exercise', { exercise_type: 'Walking', duration_minutes: 30, calories_burned: 120 });
    await u.storeEvent('exercise', { exercise_type: 'walking', duration_minutes: 20, logged_at: '2026-03-04T18:00:00+05:30' });
    await u.storeEvent('exercise', { exercise_type: 'yoga', duration_minutes: 45, calories_burned: 100, logged_at: '2026-03-05T07:00:00+05:30' });
    await u.storeEvent('mood', { mood: 'happy', energy_level: 8, logged_at: '2026-03-02T20:00:00+05:30' });
    await u.storeEvent('mood', { mood: 'tired', energy_level: 4, logged_at: '2026-03-03T20:00:00+05:30' });
    await u.storeEvent('mood', { mood: 'happy', energy_level: 7, logged_at: '2026-03-04T20:00:00+05:30' });
    await u.storeEvent('meditation_log', { duration_minutes: 10, completed: true, logged_at: '2026-03-04T07:00:00+05:30' });
    // Metformin: 7 due, 5 taken (one via the schedule id), 1 skipped. Amlodipine: 5 due, 5 taken, and
    // a second dose on the 6th for a dose already taken: extra, not a sixth of five.
    for (const d of [2, 3, 4, 5]) await u.storeEvent('medication_log', { medication_id: med.id, status: 'taken', taken_at: `2026-03-0${d}T08:05:00+05:30` });
    await u.storeEvent('medication_log', { schedule_id: sched.id, status: 'taken', taken_at: '2026-03-06T08:05:00+05:30' });
    await u.storeEvent('medication_log', { medication_id: med.id, status: 'skipped', taken_at: '2026-03-07T08:05:00+05:30' });
    for (const d of [2, 3, 4, 5, 6, 6]) await u.storeEvent('medication_log', { medication_id: med2.id, status: 'taken', taken_at: `2026-03-0${d}T21:05:00+05:30` });

    const ins = await u.generateInsights({ from, to, timezone: tz });
    expect(ins.period).toEqual({ from: '2026-03-01T18:30:00.000Z', to: '2026-03-08T18:30:00.000Z', timezone: tz, days: 7 });
    expect(ins.vitals.blood_pressure_systolic).toEqual({ count: 4, avg: 135, min: 120, max: 150, first: 120, last: 150, trend: 'rising', change_per_week: 35 });
    expect(ins.vitals.heart_rate).toMatchObject({ count: 4, avg: 70.8, min: 70, max: 72, trend: 'stable' });
    expect(ins.vitals.temperature_f).toMatchObject({ count: 1, avg: 98.6, trend: 'insufficient_data', change_per_week: null });
    expect(ins.vitals.blood_sugar).toBeUndefined();
    expect(ins.nutrition.per_day).toEqual([
      { date: '2026-03-03', meals: 2, calories: 900, protein_g: 30, carbs_g: 60, fat_g: 15 },
      { date: '2026-03-04', meals: 1, calories: 300, protein_g: 0, carbs_g: 0, fat_g: 0 },
    ]);
    expect(ins.nutrition).toMatchObject({ days_logged: 2, avg_daily_calories: 600 });
    expect(ins.water).toMatchObject({ total_ml: 1400, days_logged: 2, avg_daily_ml: 200 });
    expect(ins.sleep).toEqual({ nights: 2, avg_hours: 7.5, min_hours: 7, max_hours: 8, avg_quality: 7 });
    // The first walk was logged "now" (20 March), outside the period.
    expect(ins.exercise).toEqual({ sessions: 2, total_minutes: 65, total_calories_burned: 100, by_type: { walking: { sessions: 1, minutes: 20 }, yoga: { sessions: 1, minutes: 45 } } });
    expect(ins.mood).toEqual({ entries: 3, counts: { happy: 2, tired: 1 }, most_common: 'happy', avg_energy: 6.3 });
    expect(ins.meditation).toEqual({ sessions: 1, completed: 1, total_minutes: 10 });
    expect(ins.medication.per_medication).toEqual([
      { medication_id: `medication:${med2.id}`, name: 'Amlodipine', scheduled: 5, taken: 5, skipped: 0, extra: 1, adherence: 1 },
      { medication_id: `medication:${med.id}`, name: 'Metformin', scheduled: 7, taken: 5, skipped: 1, extra: 0, adherence: 0.714 },
    ].sort((a, b) => a.medication_id.localeCompare(b.medication_id)));
    expect(ins.medication).toMatchObject({ scheduled: 12, taken: 10, skipped: 1, extra: 1, adherence: 0.833 });
  });

  it('does not count doses due after now or before the schedule existed', async () => {
    const u = freshUser();
    clock = Date.parse('2026-04-03T12:00:00Z');
    const med = await u.storeEvent('medication', { name: 'X' });
    await u.storeEvent('med_schedule', { medication_id: med.id, time_of_day: '08:00', days_of_week: ['1', '2', '3', '4', '5', '6', '7'] });
    clock = Date.parse('2026-04-05T12:00:00Z');
    // Period 1-10 April UTC; schedule from 3 April 12:00; now 5 April 12:00 → due 4th and 5th 08:00.
    const ins = await u.generateInsights({ from: '2026-04-01T00:00:00Z', to: '2026-04-10T00:00:00Z', timezone: 'UTC' });
    expect(ins.medication).toMatchObject({ scheduled: 2, taken: 0, adherence: 0 });
  });

  it('refuses bad periods and zones', async () => {
    const u = freshUser();
    expect((await appError(u.generateInsights({ from: '2026-04-02T00:00:00Z', to: '2026-04-01T00:00:00Z', timezone: 'UTC' }))).code).toBe('VALIDATION_ERROR');
    expect((await appError(u.generateInsights({ from: '2024-01-01T00:00:00Z', to: '2026-04-01T00:00:00Z', timezone: 'UTC' }))).code).toBe('VALIDATION_ERROR');
    expect((await appError(u.generateInsights({ from: '2026-04-01T00:00:00Z', to: '2026-04-02T00:00:00Z', timezone: 'Nowhere/Land' }))).code).toBe('VALIDATION_ERROR');
  });
});
