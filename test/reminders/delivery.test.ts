import { afterEach, describe, expect, it } from 'vitest';
import { doseLoggedSince } from '../../src/health/doses.js';
import { ReminderDelivery, type NotificationSink } from '../../src/reminders/delivery.js';
import { embeddedHealth, type Harness } from '../graphs/assistant/helpers.js';

const T = Date.parse('2031-02-03T04:00:00Z');
const HOUR = 3_600_000;
let h: Harness;
afterEach(async () => h?.close());

function setup(sink: NotificationSink) {
  h = embeddedHealth(T);
  const warnings: unknown[] = [];
  const delivery = new ReminderDelivery({ health: h.health, sink, now: () => h.clock.now, log: { warn: (o: unknown) => void warnings.push(o) } as never });
  const user = h.health.forUser('asha');
  const remind = (id: string, fireAt: number, extra: Record<string, unknown> = {}) =>
    user.store.storeEvent('notification', { title: `R ${id}`, message: `Reminder ${id}`, type: 'water', read: false, fire_at: new Date(fireAt).toISOString(), ...extra }, { id, source: 'system' });
  return { delivery, user, remind, warnings };
}

describe('ReminderDelivery', () => {
  it('marks a reminder delivered, on the service clock, only when a session received it', async () => {
    let receivers = 0;
    const { delivery, user, remind } = setup({ deliver: async () => receivers });
    const nobody = await remind('n1', T);
    expect(await delivery.deliver('asha', nobody)).toBe(0);
    expect((await user.get('notification', 'n1'))!.delivered_at).toBeUndefined();
    receivers = 2;
    h.clock.now = T + 5_000;
    expect(await delivery.deliver('asha', await remind('n2', T))).toBe(2);
    expect((await user.get('notification', 'n2'))!.delivered_at).toBe(new Date(T + 5_000).toISOString());
  });

  it('a failing push is logged without content and leaves the reminder unheard', async () => {
    const { delivery, user, remind, warnings } = setup({ deliver: async () => { throw new Error('socket broke'); } });
    expect(await delivery.deliver('asha', await remind('n1', T))).toBe(0);
    expect((await user.get('notification', 'n1'))!.delivered_at).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings)).not.toContain('Reminder n1');
    expect((await delivery.unheard('asha')).map((n) => n.id)).toEqual(['n1']);
  });

  it('a connecting device hears at most three unheard reminders of the last day, oldest first, each marked delivered', async () => {
    const { delivery, user, remind } = setup({ deliver: async () => 0 });
    await remind('old', T - 25 * HOUR);
    await remind('read', T - 5 * HOUR, { read: true });
    await remind('missed', T - 5 * HOUR, { missed: true });
    await remind('heard', T - 5 * HOUR, { delivered_at: new Date(T - 5 * HOUR).toISOString() });
    for (const [i, ago] of [4, 3, 2, 1].entries()) await remind(`u${i}`, T - ago * HOUR);
    const spoken: string[] = [];
    expect(await delivery.replayUnheard('asha', (r) => spoken.push(`${r.notification_id}:${r.message}`))).toBe(3);
    expect(spoken).toEqual(['u1:Reminder u1', 'u2:Reminder u2', 'u3:Reminder u3']);
    for (const id of ['u1', 'u2', 'u3']) expect((await user.get('notification', id))!.delivered_at).toBe(new Date(T).toISOString());
    expect((await delivery.unheard('asha')).map((n) => n.id)).toEqual(['u0']);
  });
});

describe('doseLoggedSince', () => {
  it('finds a dose for the schedule, or for its medication without a schedule, from two hours before the fire', async () => {
    h = embeddedHealth(T);
    const user = h.health.forUser('asha');
    const med = await user.create('medication', { name: 'Metformin' });
    const other = await user.create('medication', { name: 'Aspirin' });
    const schedule = await user.create('med_schedule', { medication_id: med.id, time_of_day: '08:00', days_of_week: ['1'] });
    const otherSchedule = await user.create('med_schedule', { medication_id: other.id, time_of_day: '08:00', days_of_week: ['1'] });
    const fireAt = T + 3 * HOUR;
    const at = (ms: number) => new Date(ms).toISOString();

    await user.create('medication_log', { schedule_id: otherSchedule.id, status: 'taken', taken_at: at(fireAt) });
    await user.create('medication_log', { schedule_id: schedule.id, status: 'taken', taken_at: at(fireAt - 2 * HOUR - 60_000) });
    expect(await doseLoggedSince(user, schedule, fireAt)).toBeUndefined();

    const byMedication = await user.create('medication_log', { medication_id: med.id, status: 'taken', taken_at: at(fireAt - HOUR) });
    expect((await doseLoggedSince(user, schedule, fireAt))?.id).toBe(byMedication.id);
    expect(await doseLoggedSince(user, { id: 'none', medication_id: `medication:${other.id}` }, fireAt)).toBeUndefined();
  });
});
