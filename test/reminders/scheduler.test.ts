import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReminderDelivery, type NotificationSink } from '../../src/reminders/delivery.js';
import { ReminderScheduler } from '../../src/reminders/scheduler.js';
import type { AnyItem } from '../../src/health/service.js';
import { makeTestApp, registerUser, tempDir, type TestApp } from '../helpers/app.js';

interface Harness {
  t: TestApp;
  clock: { now: number };
  delivered: Array<{ userId: string; n: AnyItem }>;
  /** Where the app's due reminders go: records them in `delivered` unless a test swaps `deliver`. */
  sink: NotificationSink;
  user: Awaited<ReturnType<typeof registerUser>>;
  api: (method: string, url: string, payload?: unknown) => Promise<{ statusCode: number; json: () => any }>;
  tickAt: (iso: string) => Promise<unknown>;
  notifications: () => Promise<AnyItem[]>;
}

const open: TestApp[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

async function harness(startIso: string, opts: { dataDir?: string; timezone?: string; language?: string } = {}): Promise<Harness> {
  const clock = { now: Date.parse(startIso) };
  const delivered: Harness['delivered'] = [];
  const sink: NotificationSink = { deliver: async (userId, n) => (delivered.push({ userId, n }), 1) };
  const t = await makeTestApp({ now: () => clock.now, dataDir: opts.dataDir, app: { notificationSink: { deliver: (u, n) => sink.deliver(u, n) } } });
  open.push(t);
  const user = await registerUser(t.app);
  // The clock jumps days ahead; refresh the access token when it has expired, as a client would.
  const api = async (method: string, url: string, payload?: unknown) => {
    const call = () => t.app.inject({ method: method as 'GET', url, headers: user.auth, ...(payload === undefined ? {} : { payload: payload as object }) });
    const res = await call();
    if (res.statusCode !== 401) return res;
    const pair = (await t.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refresh_token: user.refresh_token } })).json();
    user.refresh_token = pair.refresh_token;
    user.auth.authorization = `Bearer ${pair.access_token}`;
    return call();
  };
  if (opts.timezone) {
    const r = await api('PUT', '/api/profile', { timezone: opts.timezone, ...(opts.language ? { preferred_language: opts.language } : {}) });
    expect(r.statusCode).toBe(201);
  }
  const tickAt = async (iso: string) => {
    clock.now = Date.parse(iso);
    return t.app.services.reminders.tick();
  };
  const notifications = async () => (await api('GET', '/api/notifications?limit=100')).json().items as AnyItem[];
  return { t, clock, delivered, sink, user, api, tickAt, notifications };
}

async function metforminSchedule(h: Harness, schedule: Record<string, unknown> = {}) {
  const med = (await h.api('POST', '/api/medications', { name: 'Metformin', dosage: '500 mg', instructions: 'after breakfast' })).json();
  const res = await h.api('POST', '/api/medication-schedules', { medication_id: med.id, time_of_day: '08:00', days_of_week: ['1', '2', '3', '4', '5'], ...schedule });
  expect(res.statusCode).toBe(201);
  return { med, schedule: res.json() };
}

describe('medication schedules become alarms that fire in the user’s time zone', () => {
  it('fires weekdays at 08:00 Asia/Kolkata once, with a friendly sentence, and not on weekends', async () => {
    // Thursday 2026-11-26, 07:00 IST.
    const h = await harness('2026-11-26T01:30:00Z', { timezone: 'Asia/Kolkata' });
    const { schedule } = await metforminSchedule(h);
    const alarms = (await h.api('GET', '/api/alarms')).json().items;
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ type: 'medication', time: '08:00', reference_id: `med_schedule:${schedule.id}`, active: true });

    await h.tickAt('2026-11-26T02:29:00Z');
    expect(h.delivered).toHaveLength(0);
    await h.tickAt('2026-11-26T02:30:00Z');
    expect(h.delivered).toHaveLength(1);
    expect(h.delivered[0]!.userId).toBe(h.user.user.id);
    expect(h.delivered[0]!.n.message).toBe('Time to take your Metformin, 500 mg, after breakfast.');
    await h.tickAt('2026-11-26T02:30:30Z');
    expect(h.delivered).toHaveLength(1);

    const [n] = await h.notifications();
    expect(n).toMatchObject({ type: 'medication', read: false, fire_at: '2026-11-26T02:30:00.000Z', delivered_at: expect.any(String) });
    // Friday fires, Saturday and Sunday do not, Monday does.
    for (const day of ['27', '28', '29', '30']) await h.tickAt(`2026-11-${day}T02:30:00Z`);
    expect(h.delivered.filter((d) => !d.n.follow_up).map((d) => d.n.fire_at)).toEqual(['2026-11-26T02:30:00.000Z', '2026-11-27T02:30:00.000Z', '2026-11-30T02:30:00.000Z']);
  });

  it('keeps 08:00 local across the America/New_York DST change', async () => {
    const h = await harness('2026-10-30T00:00:00Z', { timezone: 'America/New_York' });
    await metforminSchedule(h, { days_of_week: ['1', '2', '3', '4', '5', '6', '7'] });
    for (const iso of ['2026-10-30T12:00:00Z', '2026-10-31T12:00:00Z', '2026-11-01T12:00:00Z', '2026-11-01T13:00:00Z', '2026-11-02T13:00:00Z']) await h.tickAt(iso);
    expect(h.delivered.filter((d) => !d.n.follow_up).map((d) => d.n.fire_at)).toEqual(['2026-10-30T12:00:00.000Z', '2026-10-31T12:00:00.000Z', '2026-11-01T13:00:00.000Z', '2026-11-02T13:00:00.000Z']);
  });

  it('moves the alarm when the schedule changes and stops it when the schedule or medication is deleted', async () => {
    const h = await harness('2026-11-26T01:30:00Z', { timezone: 'Asia/Kolkata' });
    const { med, schedule } = await metforminSchedule(h);
    expect((await h.api('PATCH', `/api/medication-schedules/${schedule.id}`, { time_of_day: '09:00' })).statusCode).toBe(200);
    await h.tickAt('2026-11-26T02:30:00Z');
    expect(h.delivered).toHaveLength(0);
    await h.tickAt('2026-11-26T03:30:00Z');
    expect(h.delivered).toHaveLength(1);

    expect((await h.api('DELETE', `/api/medication-schedules/${schedule.id}`)).statusCode).toBe(204);
    expect((await h.api('GET', '/api/alarms')).json().items).toEqual([]);
    await h.tickAt('2026-11-27T03:30:00Z');
    expect(h.delivered).toHaveLength(1);

    const again = await h.api('POST', '/api/medication-schedules', { medication_id: med.id, time_of_day: '10:00', days_of_week: ['5'] });
    expect(again.statusCode).toBe(201);
    expect((await h.api('DELETE', `/api/medications/${med.id}`)).statusCode).toBe(204);
    expect((await h.api('GET', '/api/medication-schedules')).json().items).toEqual([]);
    expect((await h.api('GET', '/api/alarms')).json().items).toEqual([]);
    await h.tickAt('2026-11-27T04:30:00Z');
    expect(h.delivered).toHaveLength(1);
  });

  it('writes the reminder in the user’s language', async () => {
    const h = await harness('2026-11-26T01:30:00Z', { timezone: 'Asia/Kolkata', language: 'hi-IN' });
    await metforminSchedule(h);
    await h.tickAt('2026-11-26T02:30:00Z');
    expect(h.delivered[0]!.n.message).toMatch(/Metformin.*लेने का समय/);
  });
});

describe('appointments', () => {
  it('fire one reminder at scheduled_at − reminder_minutes_before, then the alarm is inactive', async () => {
    const h = await harness('2026-11-26T00:00:00Z', { timezone: 'Asia/Kolkata' });
    const appt = await h.api('POST', '/api/appointments', { title: 'Annual checkup', doctor_name: 'Dr. Sharma', scheduled_at: '2026-12-05T10:00:00+05:30', reminder_minutes_before: 30 });
    expect(appt.statusCode).toBe(201);
    const [alarm] = (await h.api('GET', '/api/alarms')).json().items;
    expect(alarm).toMatchObject({ type: 'appointment', date: '2026-12-05', time: '09:30', days_of_week: [] });
    await h.tickAt('2026-12-05T03:59:00Z');
    expect(h.delivered).toHaveLength(0);
    await h.tickAt('2026-12-05T04:00:00Z');
    expect(h.delivered).toHaveLength(1);
    expect(h.delivered[0]!.n.message).toBe('Reminder: Annual checkup with Dr. Sharma at 10:00.');
    expect((await h.api('GET', `/api/alarms/${alarm.id}`)).json().active).toBe(false);
    await h.tickAt('2026-12-12T04:00:00Z');
    expect(h.delivered).toHaveLength(1);
  });

  it('refuses an appointment in the past with 400 and makes no alarm', async () => {
    const h = await harness('2026-11-26T00:00:00Z');
    const res = await h.api('POST', '/api/appointments', { title: 'Old', scheduled_at: '2026-11-01T10:00:00+05:30' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toHaveProperty('scheduled_at');
    expect((await h.api('GET', '/api/appointments')).json().items).toEqual([]);
    expect((await h.api('GET', '/api/alarms')).json().items).toEqual([]);
  });
});

describe('exactly once', () => {
  it('two scheduler instances on one store fire each reminder once', async () => {
    const h = await harness('2026-11-26T01:30:00Z', { timezone: 'Asia/Kolkata' });
    await metforminSchedule(h);
    const otherDeliveries: string[] = [];
    const health = h.t.app.services.health;
    const second = new ReminderScheduler({
      health,
      userIds: () => [h.user.user.id],
      now: () => h.clock.now,
      delivery: new ReminderDelivery({ health, now: () => h.clock.now, sink: { deliver: async (_u, n) => (otherDeliveries.push(n.id), 1) } }),
    });
    await second.start({ cron: false });
    h.clock.now = Date.parse('2026-11-26T02:30:00Z');
    const [a, b] = await Promise.all([h.t.app.services.reminders.tick(), second.tick()]);
    expect(a.fired + b.fired).toBe(1);
    expect(h.delivered.length + otherDeliveries.length).toBe(1);
    expect(await h.notifications()).toHaveLength(1);
    await second.stop();
  });

  it('after downtime: fires within the window are delivered once and marked late; older ones are recorded as missed', async () => {
    const dataDir = tempDir();
    const first = await harness('2026-11-26T01:30:00Z', { dataDir, timezone: 'Asia/Kolkata' });
    await metforminSchedule(first, { days_of_week: ['1', '2', '3', '4', '5', '6', '7'] });
    await first.api('POST', '/api/alarms', { type: 'water', title: 'Drink water', time: '14:00', days_of_week: ['1', '2', '3', '4', '5', '6', '7'] });
    await first.t.close();
    open.pop();

    // Back up at 18:00 IST the next day: 08:00 (10 h ago) is missed, 14:00 (4 h ago) is late.
    const clock = { now: Date.parse('2026-11-27T12:30:00Z') };
    const delivered: AnyItem[] = [];
    const t = await makeTestApp({ now: () => clock.now, dataDir, app: { notificationSink: { deliver: async (_u, n) => (delivered.push(n), 1) } } });
    open.push(t);
    await t.app.services.reminders.start({ cron: false });
    const pair = (await t.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refresh_token: first.user.refresh_token } })).json();
    const all = (await t.app.inject({ url: '/api/notifications?limit=100', headers: { authorization: `Bearer ${pair.access_token}` } })).json().items as AnyItem[];
    const byTime = Object.fromEntries(all.map((n) => [n.fire_at, n]));
    expect(byTime['2026-11-27T08:30:00.000Z']).toMatchObject({ late: true, delivered_at: expect.any(String) });
    expect(byTime['2026-11-27T02:30:00.000Z']).toMatchObject({ missed: true });
    expect(byTime['2026-11-27T02:30:00.000Z'].delivered_at).toBeUndefined();
    expect(delivered.map((n) => n.fire_at)).toEqual(['2026-11-27T08:30:00.000Z']);

    // A second restart delivers nothing again.
    const health = t.app.services.health;
    const sink: NotificationSink = { deliver: async (_u, n) => (delivered.push(n), 1) };
    const again = new ReminderScheduler({ health, userIds: () => [first.user.user.id], now: () => clock.now, delivery: new ReminderDelivery({ health, sink, now: () => clock.now }) });
    await again.start({ cron: false });
    expect(delivered).toHaveLength(1);
  });
});

describe('follow-ups, snooze and refills', () => {
  it('asks once "did you take it?" when no dose is logged within the grace period, and not when it is', async () => {
    const h = await harness('2026-11-26T01:30:00Z', { timezone: 'Asia/Kolkata' });
    const { schedule } = await metforminSchedule(h, { days_of_week: ['1', '2', '3', '4', '5', '6', '7'] });
    await h.tickAt('2026-11-26T02:30:00Z');
    await h.tickAt('2026-11-26T02:59:00Z');
    expect(h.delivered).toHaveLength(1);
    await h.tickAt('2026-11-26T03:00:00Z');
    expect(h.delivered).toHaveLength(2);
    expect(h.delivered[1]!.n).toMatchObject({ follow_up: true, title: 'Did you take Metformin?' });
    await h.tickAt('2026-11-26T04:00:00Z');
    expect(h.delivered).toHaveLength(2);

    // Next day the dose is logged in time: no follow-up.
    await h.tickAt('2026-11-27T02:30:00Z');
    expect((await h.api('POST', '/api/medication/logs', { schedule_id: schedule.id, status: 'taken' })).statusCode).toBe(201);
    await h.tickAt('2026-11-27T03:00:00Z');
    expect(h.delivered.map((d) => Boolean(d.n.follow_up))).toEqual([false, true, false]);
  });

  it('the follow-up asks about its own dose time: a dose that satisfied an earlier one, or an extra dose, does not answer it', async () => {
    const h = await harness('2026-11-26T01:30:00Z', { timezone: 'Asia/Kolkata' });
    const { med, schedule: morning } = await metforminSchedule(h, { days_of_week: ['1', '2', '3', '4', '5', '6', '7'] });
    const late = (await h.api('POST', '/api/medication-schedules', { medication_id: med.id, time_of_day: '10:00', days_of_week: ['1', '2', '3', '4', '5', '6', '7'] })).json();
    // 07:50: taken early, it is the 08:00 dose, and that reminder gets no follow-up.
    h.clock.now = Date.parse('2026-11-26T02:20:00Z');
    expect((await h.api('POST', '/api/medication/logs', { medication_id: med.id, status: 'taken' })).json()).toMatchObject({ schedule_id: `med_schedule:${morning.id}`, due_at: '2026-11-26T02:30:00.000Z' });
    await h.tickAt('2026-11-26T02:30:00Z');
    await h.tickAt('2026-11-26T03:00:00Z');
    expect(h.delivered.map((d) => Boolean(d.n.follow_up))).toEqual([false]);
    // 09:50: an extra dose is no 10:00 dose: the 10:00 reminder still gets its follow-up.
    h.clock.now = Date.parse('2026-11-26T04:20:00Z');
    expect((await h.api('POST', '/api/medication/logs', { medication_id: med.id, status: 'taken', extra: true })).statusCode).toBe(201);
    await h.tickAt('2026-11-26T04:30:00Z');
    await h.tickAt('2026-11-26T05:00:00Z');
    expect(h.delivered.map((d) => [d.n.reference_id, Boolean(d.n.follow_up)])).toEqual([
      [`med_schedule:${morning.id}`, false],
      [`med_schedule:${late.id}`, false],
      [`med_schedule:${late.id}`, true],
    ]);
    // Answered at 10:35, the dose is the 10:00 one.
    h.clock.now = Date.parse('2026-11-26T05:05:00Z');
    expect((await h.api('POST', '/api/medication/logs', { medication_id: med.id, status: 'taken' })).json()).toMatchObject({ schedule_id: `med_schedule:${late.id}`, due_at: '2026-11-26T04:30:00.000Z' });
  });

  it('snooze re-fires once after the delay', async () => {
    const h = await harness('2026-11-26T01:30:00Z', { timezone: 'Asia/Kolkata' });
    await metforminSchedule(h);
    await h.tickAt('2026-11-26T02:30:00Z');
    const id = h.delivered[0]!.n.id;
    const snooze = await h.api('POST', `/api/notifications/${id}/snooze`, { minutes: 10 });
    expect(snooze.statusCode).toBe(201);
    await h.tickAt('2026-11-26T02:39:00Z');
    expect(h.delivered).toHaveLength(1);
    await h.tickAt('2026-11-26T02:40:00Z');
    expect(h.delivered).toHaveLength(2);
    expect(h.delivered[1]!.n.title).toBe('Take Metformin');
    await h.tickAt('2026-11-27T02:40:00Z');
    expect(h.delivered.filter((d) => d.n.title === 'Take Metformin' && String(d.n.fire_at).endsWith('02:40:00.000Z'))).toHaveLength(1);
  });

  it('a taken dose decrements the quantity and a refill reminder fires when fewer than refill_days remain', async () => {
    const h = await harness('2026-11-26T01:30:00Z', { timezone: 'Asia/Kolkata' });
    const med = (await h.api('POST', '/api/medications', { name: 'Amlodipine', quantity: 6, refill_days: 3 })).json();
    await h.api('POST', '/api/medication-schedules', { medication_id: med.id, time_of_day: '08:00', days_of_week: ['1', '2', '3', '4', '5', '6', '7'] });
    const evening = (await h.api('POST', '/api/medication-schedules', { medication_id: med.id, time_of_day: '20:00', days_of_week: ['1', '2', '3', '4', '5', '6', '7'] })).json();
    // 6 → 5 doses = 2.5 days left, under 3.
    expect((await h.api('POST', '/api/medication/logs', { medication_id: med.id, status: 'taken' })).statusCode).toBe(201);
    expect((await h.api('GET', `/api/medications/${med.id}`)).json().quantity).toBe(5);
    expect(h.delivered.map((d) => d.n.title)).toEqual(['Refill Amlodipine']);
    // The 08:00 dose is taken: another one is an extra dose.
    expect((await h.api('POST', '/api/medication/logs', { medication_id: med.id, status: 'taken', extra: true })).statusCode).toBe(201);
    expect(h.delivered).toHaveLength(1);
    // A skipped dose does not use stock.
    expect((await h.api('POST', '/api/medication/logs', { schedule_id: evening.id, status: 'skipped' })).statusCode).toBe(201);
    expect((await h.api('GET', `/api/medications/${med.id}`)).json().quantity).toBe(4);
  });

  it('a dose leaves the alarms as they are; a change to what they say rewrites them', async () => {
    const h = await harness('2026-11-26T01:30:00Z', { timezone: 'Asia/Kolkata' });
    const { med } = await metforminSchedule(h, { days_of_week: ['1', '2', '3', '4', '5', '6', '7'] });
    await h.api('PATCH', `/api/medications/${med.id}`, { quantity: 30 });
    const alarms = async () => (await h.api('GET', '/api/alarms')).json().items as AnyItem[];
    const [before] = await alarms();
    const rescheduled = vi.spyOn(h.t.app.services.reminders, 'alarmChanged');
    h.clock.now += 60_000;
    expect((await h.api('POST', '/api/medication/logs', { medication_id: med.id, status: 'taken' })).statusCode).toBe(201);
    expect((await h.api('GET', `/api/medications/${med.id}`)).json().quantity).toBe(29);
    expect(await alarms()).toEqual([before]);
    expect(rescheduled).not.toHaveBeenCalled();
    h.clock.now += 60_000;
    expect((await h.api('PATCH', `/api/medications/${med.id}`, { dosage: '1000 mg' })).statusCode).toBe(200);
    const [after] = await alarms();
    expect(after!.message).toContain('1000 mg');
    expect(rescheduled).toHaveBeenCalledTimes(1);
    expect(after!.updated_at).not.toBe(before!.updated_at);
  });
});

describe('bad input', () => {
  it('refuses invalid times, days, zones and dangling references with 400 and no alarm', async () => {
    const h = await harness('2026-11-26T01:30:00Z');
    const med = (await h.api('POST', '/api/medications', { name: 'X' })).json();
    const bad: Array<[string, string, unknown]> = [
      ['POST', '/api/alarms', { type: 'water', title: 'w', time: '25:00', days_of_week: ['1'] }],
      ['POST', '/api/alarms', { type: 'water', title: 'w', time: '08:00', days_of_week: [] }],
      ['POST', '/api/alarms', { type: 'water', title: 'w', time: '08:00', days_of_week: ['8'] }],
      ['POST', '/api/alarms', { type: 'alarm-clock', title: 'w', time: '08:00', days_of_week: ['1'] }],
      ['POST', '/api/medication-schedules', { medication_id: med.id, time_of_day: '8am', days_of_week: ['1'] }],
      ['POST', '/api/medication-schedules', { medication_id: 'deleted-medication', time_of_day: '08:00', days_of_week: ['1'] }],
      ['PUT', '/api/profile', { timezone: 'Asia/Atlantis' }],
    ];
    for (const [method, url, payload] of bad) {
      const res = await h.api(method, url, payload);
      expect(res.statusCode, `${method} ${url} ${JSON.stringify(payload)}`).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_ERROR');
    }
    expect((await h.api('GET', '/api/alarms')).json().items).toEqual([]);
    expect(h.t.app.services.reminders.indexed).toBe(0);
  });

  it('a delivery failure does not stop other users’ reminders or lose the notification', async () => {
    const h = await harness('2026-11-26T01:30:00Z', { timezone: 'Asia/Kolkata' });
    const other = await registerUser(h.t.app);
    h.clock.now += 1000;
    await metforminSchedule(h);
    const med = (await h.t.app.inject({ method: 'POST', url: '/api/medications', headers: other.auth, payload: { name: 'Aspirin' } })).json();
    await h.t.app.inject({ method: 'POST', url: '/api/medication-schedules', headers: other.auth, payload: { medication_id: med.id, time_of_day: '08:00', days_of_week: ['4'] } });
    const got: string[] = [];
    h.sink.deliver = async (userId) => {
      if (userId === h.user.user.id) throw new Error('socket broke');
      got.push(userId);
      return 1;
    };
    await h.tickAt('2026-11-26T02:30:00Z');
    expect(got).toEqual([other.user.id]);
    const [mine] = await h.notifications();
    expect(mine).toMatchObject({ read: false });
    expect(mine!.delivered_at).toBeUndefined();
  });
});
