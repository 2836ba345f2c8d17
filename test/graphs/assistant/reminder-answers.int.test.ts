/**
 * Answering a spoken reminder by voice (issue 9, points 5 and 6), through the compiled graph on the
 * embedded store: "yes" logs the dose of the reminder's schedule and marks it read, "no" logs
 * nothing, "remind me in 10 minutes" snoozes it exactly like POST /api/notifications/:id/snooze.
 * Notifications are written the way the scheduler writes them (system source, fire_at, reference).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Assistant } from '../../../graphs/assistant/index.js';
import type { AnyItem } from '../../../src/health/service.js';
import { assistantOn, embeddedHealth, T0, type Harness } from './helpers.js';

let h: Harness;
let a: Assistant;
const A = 'user-a';
const B = 'user-b';
let seq = 0;

beforeEach(() => {
  // 10:00:30 in Kolkata: a snooze must round up to the next whole minute.
  h = embeddedHealth(T0 + 30_000);
  a = assistantOn(h);
});
afterEach(() => h.close());

const user = (id = A) => h.health.forUser(id);

async function scheduled(name: string, time: string, id = A) {
  const med = await user(id).create('medication', { name, quantity: 10 });
  const schedule = await user(id).create('med_schedule', { medication_id: med.id, time_of_day: time, days_of_week: ['1', '2', '3', '4', '5', '6', '7'] });
  return { med, schedule };
}

/** A reminder as the scheduler writes it, fired `agoMs` before now. */
async function fired(opts: { agoMs?: number; reference?: string; type?: string; title?: string; followUp?: boolean; userId?: string } = {}): Promise<AnyItem> {
  const payload = {
    title: opts.title ?? 'Time for Metformin',
    message: `${opts.title ?? 'Time for Metformin'}, 500 mg after breakfast.`,
    type: opts.type ?? 'medication',
    read: false,
    fire_at: new Date(h.clock.now - (opts.agoMs ?? 2 * 60_000)).toISOString(),
    delivered_at: new Date(h.clock.now - (opts.agoMs ?? 2 * 60_000)).toISOString(),
    ...(opts.reference ? { reference_id: opts.reference } : {}),
    ...(opts.followUp ? { follow_up: true } : {}),
  };
  return (await user(opts.userId).store.storeEvent('notification', payload, { id: `fire-test-${++seq}`, source: 'system' })) as AnyItem;
}

const reply = (text: string, opts: { userId?: string; lastReminder?: string; thread?: string } = {}) => {
  h.clock.now += 5_000;
  return a.runWithState({
    userId: opts.userId ?? A,
    threadId: opts.thread ?? 'voice-1',
    text,
    language: 'auto',
    channel: 'voice',
    ...(opts.lastReminder ? { context: { lastReminder: { notification_id: opts.lastReminder } } } : {}),
  });
};
const doses = async (id = A) => (await user(id).list('medication_log', { limit: 50 })).items as AnyItem[];
const alarms = async (id = A) => (await user(id).list('alarm', { limit: 50 })).items as AnyItem[];
const notification = async (nid: string, id = A) => (await user(id).get('notification', nid)) as AnyItem;

describe('"yes" after a medication reminder logs that schedule\'s dose', () => {
  it.each([
    ['yes', 'en', /Metformin/],
    ['yes I took it', 'en', /Marked Metformin as taken/],
    ['haan le li', 'hinglish', /मेटफॉर्मिन|Metformin/],
    ['हाँ ले ली', 'hi', /ली हुई दर्ज/],
  ])('%s (%s)', async (text, _lang, said) => {
    const { schedule, med } = await scheduled('Metformin', '09:55');
    const n = await fired({ reference: `med_schedule:${schedule.id}` });
    const r = await reply(text);
    expect(r.route).toBe('medication');
    expect(r.reply).toMatch(said);
    const logged = await doses();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ schedule_id: `med_schedule:${schedule.id}`, medication_id: `medication:${med.id}`, status: 'taken' });
    expect(r.actions).toEqual([{ type: 'medication_log', id: logged[0]!.id }]);
    expect(await notification(n.id)).toMatchObject({ read: true });
    // The dose decrements stock like any other logged dose.
    expect(((await user().get('medication', med.id)) as AnyItem).quantity).toBe(9);
  });

  it('answers a follow-up ("Did you take your Metformin?") once: a second yes logs nothing more', async () => {
    const { schedule } = await scheduled('Metformin', '09:25');
    await fired({ agoMs: 35 * 60_000, reference: `med_schedule:${schedule.id}` });
    const follow = await fired({ reference: `med_schedule:${schedule.id}`, followUp: true, title: 'Did you take your Metformin?' });
    await reply('yes');
    const again = await reply('haan le li');
    expect(await doses()).toHaveLength(1);
    expect(again.reply).toMatch(/ले ली थी|You already took/);
    expect(again.actions).toEqual([]);
    expect(await notification(follow.id)).toMatchObject({ read: true });
    // A "no" after the dose is logged does not pretend it is not.
    expect((await reply('no')).reply).toMatch(/^Metformin is already noted at /);
    expect(await doses()).toHaveLength(1);
  });

  it('links the dose to the reminder\'s own dose time; "I took my Metformin" afterwards is answered, not logged again', async () => {
    h.clock.now = T0 - 60 * 60_000; // 09:00: the schedule exists before its 09:55 dose
    const { schedule, med } = await scheduled('Metformin', '09:55');
    h.clock.now = T0 + 30_000;
    const n = await fired({ agoMs: 5 * 60_000 + 30_000, reference: `med_schedule:${schedule.id}` });
    expect(n.fire_at).toBe('2025-11-20T04:25:00.000Z');
    await reply('yes');
    expect(await doses()).toEqual([expect.objectContaining({ schedule_id: `med_schedule:${schedule.id}`, due_at: n.fire_at, status: 'taken' })]);
    const again = await reply('I took my Metformin');
    expect(again.reply).toBe('You already took Metformin at 10 am. If you took one more, say “I took an extra Metformin”.');
    // Without the reminder in between (another thread, an hour on), the dose time still holds it.
    h.clock.now += 61 * 60_000;
    expect((await reply('I took my Metformin', { thread: 'chat-2' })).reply).toMatch(/^You already took Metformin at 10 am\./);
    expect(await doses()).toHaveLength(1);
    expect(((await user().get('medication', med.id)) as AnyItem).quantity).toBe(9);
  });

  it('"I skipped it" logs a skipped dose for the schedule', async () => {
    const { schedule } = await scheduled('Metformin', '09:55');
    await fired({ reference: `med_schedule:${schedule.id}` });
    const r = await reply('I skipped it');
    expect(r.reply).toContain('skipped Metformin');
    expect(await doses()).toMatchObject([{ schedule_id: `med_schedule:${schedule.id}`, status: 'skipped' }]);
  });

  it.each(['no', 'nahi', 'नहीं'])('"%s" logs nothing and leaves the reminder unanswered', async (text) => {
    const { schedule } = await scheduled('Metformin', '09:55');
    const n = await fired({ reference: `med_schedule:${schedule.id}` });
    const r = await reply(text);
    expect(r.route).toBe('medication');
    expect(r.reply).toMatch(/Metformin|मेटफॉर्मिन/);
    expect(await doses()).toEqual([]);
    expect(await notification(n.id)).toMatchObject({ read: false });
  });

  it('follows a snoozed reminder back to its schedule', async () => {
    const { schedule } = await scheduled('Metformin', '09:40');
    const first = await fired({ agoMs: 20 * 60_000, reference: `med_schedule:${schedule.id}` });
    await user().patch('notification', first.id, { read: true });
    await fired({ reference: `notification:${first.id}` });
    await reply('yes');
    expect(await doses()).toMatchObject([{ schedule_id: `med_schedule:${schedule.id}`, status: 'taken' }]);
  });

  it('takes the reminder the session says it spoke, not merely the newest', async () => {
    const met = await scheduled('Metformin', '09:55');
    const aml = await scheduled('Amlodipine', '09:58');
    const spoken = await fired({ agoMs: 5 * 60_000, reference: `med_schedule:${met.schedule.id}` });
    const newest = await fired({ agoMs: 2 * 60_000, reference: `med_schedule:${aml.schedule.id}`, title: 'Time for Amlodipine' });
    const r = await reply('yes', { lastReminder: spoken.id });
    expect(r.reply).toContain('Metformin');
    expect(await doses()).toMatchObject([{ schedule_id: `med_schedule:${met.schedule.id}` }]);
    expect(await notification(newest.id)).toMatchObject({ read: false });
    // Without the session's word, the newest reminder of the hour is the one answered.
    await reply('yes', { thread: 'chat-1' });
    expect((await doses()).map((d) => d.schedule_id).sort()).toEqual([`med_schedule:${aml.schedule.id}`, `med_schedule:${met.schedule.id}`].sort());
  });

  it('logs the named medicine against the reminder when it is the one reminded about', async () => {
    const { schedule } = await scheduled('Metformin', '09:55');
    await fired({ reference: `med_schedule:${schedule.id}` });
    await reply('took my Metformin');
    expect(await doses()).toMatchObject([{ schedule_id: `med_schedule:${schedule.id}` }]);
  });
});

describe('a yes or no with nothing to answer', () => {
  it('is not a dose: route chat, nothing written', async () => {
    await scheduled('Metformin', '09:55');
    const r = await reply('yes');
    expect(r.route).toBe('chat');
    expect(r.reply).toBe('Okay. What would you like to do?');
    expect(await doses()).toEqual([]);
  });

  it('ignores a reminder that fired more than an hour ago', async () => {
    const { schedule } = await scheduled('Metformin', '08:55');
    await fired({ agoMs: 65 * 60_000, reference: `med_schedule:${schedule.id}` });
    expect((await reply('haan')).route).toBe('chat');
    expect(await doses()).toEqual([]);
  });

  it("never answers another user's reminder, even when its id is passed", async () => {
    const { schedule } = await scheduled('Metformin', '09:55', B);
    const theirs = await fired({ reference: `med_schedule:${schedule.id}`, userId: B });
    const r = await reply('yes', { lastReminder: theirs.id });
    expect(r.route).toBe('chat');
    expect(await doses(B)).toEqual([]);
    expect(await doses(A)).toEqual([]);
    expect(await notification(theirs.id, B)).toMatchObject({ read: false });
    expect((await reply('yes', { lastReminder: '../../x y' })).route).toBe('chat');
  });
});

describe('"remind me in 10 minutes" after a reminder snoozes it', () => {
  it.each([
    ['remind me in 10 minutes', 'en', 10, /remind you again in 10 minutes/],
    ['10 minute baad yaad dilana', 'hinglish', 10, /10 मिनट बाद फिर/],
    ['दस मिनट बाद याद दिलाना', 'hi', 10, /10 मिनट बाद फिर/],
    ['remind me later', 'en', 10, /10 minutes/],
    ['remind me again in 15 minutes', 'en', 15, /15 minutes/],
  ])('%s (%s)', async (text, _lang, minutes, said) => {
    const { schedule } = await scheduled('Metformin', '09:55');
    const n = await fired({ reference: `med_schedule:${schedule.id}` });
    const r = await reply(text);
    expect(r.route).toBe('reminder');
    expect(r.reply).toMatch(said);
    const [alarm, ...rest] = await alarms();
    expect(rest.filter((x) => x.reference_id === `notification:${n.id}`)).toEqual([]);
    // 10:00:35 + N minutes, rounded up to the whole minute, in Kolkata; the reminder's words copied.
    expect(alarm).toMatchObject({
      type: 'medication',
      title: n.title,
      message: n.message,
      time: `10:${String(1 + minutes).padStart(2, '0')}`,
      date: '2025-11-20',
      days_of_week: [],
      reference_id: `notification:${n.id}`,
    });
    expect(r.actions).toEqual([{ type: 'alarm', id: alarm!.id }]);
    expect(await notification(n.id)).toMatchObject({ read: true });
    expect(await doses()).toEqual([]);
  });

  it('snoozes any kind of reminder, in the user zone', async () => {
    await user().upsert('profile', user().store.profileId, { timezone: 'America/New_York' });
    const n = await fired({ type: 'water', title: 'Drink water' });
    await reply('remind me in 10 minutes');
    // 10:00:35 in Kolkata is 23:30:35 the day before in New York.
    expect((await alarms())[0]).toMatchObject({ type: 'water', time: '23:41', date: '2025-11-19', reference_id: `notification:${n.id}` });
  });

  it('does not snooze the same reminder twice', async () => {
    const n = await fired({ type: 'water', title: 'Drink water' });
    await reply('remind me in 10 minutes');
    await reply('remind me in 10 minutes');
    expect((await alarms()).filter((x) => x.reference_id === `notification:${n.id}`)).toHaveLength(1);
  });

  it('without a recent reminder creates a one-shot "Reminder" alarm instead', async () => {
    await fired({ agoMs: 2 * 3_600_000, type: 'water', title: 'Drink water' });
    const r = await reply('remind me in 10 minutes');
    expect(r.route).toBe('reminder');
    const [alarm, ...rest] = await alarms();
    expect(rest).toEqual([]);
    expect(alarm).toMatchObject({ type: 'custom', title: 'Reminder', date: '2025-11-20', days_of_week: [] });
    expect(alarm!.reference_id).toBeUndefined();
    expect(alarm!.time).toMatch(/^10:1[01]$/);
  });
});
