/**
 * A reminder call end to end: the scheduler's sink finds no live session, places a call through
 * the (fake) Twilio REST API, Twilio connects the stream with the minted token, the reminder is
 * spoken and marked delivered once played, and the caller's "yes, I took it" logs the dose.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyItem } from '../../src/health/service.js';
import { answerOf, ReminderAnswers } from '../../src/telephony/confirm.js';
import { callingSink, TwilioRest } from '../../src/telephony/outbound.js';
import { streamUrl } from '../../src/telephony/routes.js';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio/server.js';
import { callerWithProfile, makeTelephonyApp, PUBLIC_URL, SECRETS, type TelephonyHarness } from './harness.js';
import { connect, isMark } from './streams.js';

let h: TelephonyHarness;
let fake: FakeTwilio;
beforeAll(async () => {
  [h, fake] = await Promise.all([makeTelephonyApp(), startFakeTwilio({ accountSid: SECRETS.TWILIO_ACCOUNT_SID, authToken: SECRETS.TWILIO_AUTH_TOKEN })]);
}, 30_000);
afterAll(async () => Promise.all([h?.close(), fake?.close()]));

async function dueDose(phone: string) {
  const user = await callerWithProfile(h, { name: 'Asha Devi', phone, reminder_channel: 'call', preferred_language: 'en-IN' });
  const health = h.app.services.health.forUser(user.user.id);
  const med = await health.create('medication', { name: 'Metformin' });
  const schedule = await health.create('med_schedule', { medication_id: med.id, time_of_day: '08:00', days_of_week: ['1', '2', '3', '4', '5', '6', '7'] });
  const n = (await health.store.storeEvent(
    'notification',
    { title: 'Take Metformin', message: 'Time to take your Metformin.', type: 'medication', read: false, fire_at: new Date(h.app.services.health.now()).toISOString(), reference_id: `med_schedule:${schedule.id}` },
    { source: 'system' },
  )) as AnyItem;
  return { user, health, schedule, n };
}

describe('reminder call', () => {
  it('is placed through Twilio REST, speaks the reminder on the stream, and marks it delivered once played', { timeout: 60_000 }, async () => {
    const { user, health, n } = await dueDose('+919800000001');
    const sink = callingSink({
      live: h.app.services.voiceSessions,
      health: h.app.services.health,
      twilio: new TwilioRest({ accountSid: SECRETS.TWILIO_ACCOUNT_SID, authToken: SECRETS.TWILIO_AUTH_TOKEN, baseUrl: fake.url }),
      from: SECRETS.TWILIO_FROM,
      tokens: h.tokens,
      streamUrl: streamUrl(PUBLIC_URL, 'twilio'),
      log: h.app.log,
    });
    expect(await sink.deliver(user.user.id, n)).toBe(0);
    expect(fake.calls).toHaveLength(1);
    const token = /<Parameter name="token" value="([0-9a-f]{32})"\/>/.exec(fake.calls[0]!.form.Twiml!)![1]!;

    // Twilio answers and connects the stream with that token.
    const peer = await connect(h.port, 'twilio');
    peer.start(token);
    await peer.waitFor(isMark('twilio', (m) => m === 'announce-1'));
    expect(peer.media().length).toBeGreaterThan(100); // intro, reminder, question: several seconds
    expect((await health.get('notification', n.id))?.delivered_at).toBeUndefined();
    peer.played('announce-1');
    await expect.poll(async () => (await health.get('notification', n.id))?.delivered_at, { timeout: 5000 }).toBeTypeOf('string');
    // While the call is live, new reminders go to it rather than placing another call.
    expect(await sink.deliver(user.user.id, { ...n, id: 'fire-other' })).toBe(1);
    expect(fake.calls).toHaveLength(1);
    peer.stop();
    await peer.closed;
  });

  it('takes "yes, I took it" as the dose, and passes anything else to the assistant', async () => {
    const { user, health, schedule, n } = await dueDose('+919800000002');
    const answers = new ReminderAnswers(h.app.services.assistant, h.app.services.health, [{ notificationId: n.id, scheduleId: `med_schedule:${schedule.id}`, medicationName: 'Metformin' }]);
    const turn = (text: string) => answers.start({ userId: user.user.id, threadId: 'call-1', text, language: 'en-IN', channel: 'phone' }).done;

    const other = await turn('what can you do');
    expect(other.route).not.toBe('medication');
    expect(answers.awaiting).toBe(1);

    const yes = await turn('yes I took it');
    expect(yes).toMatchObject({ route: 'medication', reply: 'Thank you. I have noted that you took Metformin.' });
    const logs = await health.list('medication_log');
    expect(logs.items).toMatchObject([{ schedule_id: `med_schedule:${schedule.id}`, status: 'taken' }]);
    expect(yes.actions).toEqual([{ type: 'medication_log', id: logs.items[0]!.id }]);
    expect((await health.get('notification', n.id))?.read).toBe(true);
    expect(answers.awaiting).toBe(0);
  });

  it('a turn started at the end of speech: the words decide between the dose and the assistant', async () => {
    const { user, health, schedule, n } = await dueDose('+919800000003');
    const answers = new ReminderAnswers(h.app.services.assistant, h.app.services.health, [{ notificationId: n.id, scheduleId: `med_schedule:${schedule.id}`, medicationName: 'Metformin' }]);
    const spoken = (text: string) =>
      answers.startHeard({ userId: user.user.id, threadId: 'call-2', language: 'en-IN', channel: 'phone' }, new Promise((r) => setTimeout(() => r({ text, language: 'en-IN' }), 30))).done;

    const yes = await spoken('haan le li');
    expect(yes).toMatchObject({ route: 'medication', reply: 'Thank you. I have noted that you took Metformin.' });
    expect((await health.list('medication_log')).items).toMatchObject([{ schedule_id: `med_schedule:${schedule.id}`, status: 'taken' }]);
    // No question open any more: the assistant runs ahead and answers the words.
    const other = await spoken('what can you do');
    expect(other.route).toBe('chat');
    expect((await health.list('chat')).items).toMatchObject([{ user_message: 'what can you do' }]);
  });

  it('understands yes and no in English and Hindi', () => {
    expect(['yes', 'yes I took it', 'I have taken it', 'haan', 'हाँ ले ली', 'done'].map(answerOf)).toEqual(Array(6).fill('yes'));
    expect(["no I didn't", 'not yet', 'नहीं', 'nahi'].map(answerOf)).toEqual(Array(4).fill('no'));
    expect(['what is my sugar', ''].map(answerOf)).toEqual([null, null]);
  });
});
