/**
 * A reminder call end to end: the scheduler's sink finds no live session, places a call through
 * the (fake) Twilio REST API, Twilio connects the stream with the minted token, the reminder is
 * spoken and marked delivered once played, and the caller's answer ("yes, I took it", "no",
 * "remind me in 10 minutes") is the assistant's, as after a reminder on the speaker. Speech is
 * recognised by the local fake that speaks Sarvam's wire protocol (Twilio is 8 kHz, which the
 * local recogniser cannot read), told what each utterance says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localTime } from '../../src/locusgraph/zoned-time.js';
import type { NotificationItem } from '../../src/reminders/delivery.js';
import { callingSink, TwilioRest } from '../../src/telephony/outbound.js';
import { streamUrl } from '../../src/telephony/routes.js';
import { startFakeSarvam, type FakeSarvam } from '../fakes/sarvam/index.js';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio/server.js';
import { callerWithProfile, makeTelephonyApp, PUBLIC_URL, SECRETS, type TelephonyHarness } from './harness.js';
import { connect, DEFAULT_FORMAT, isMark, utterance, type Peer } from './streams.js';

const SARVAM_KEY = 'sk_test_reminder_call';
let h: TelephonyHarness;
let fake: FakeTwilio;
let sarvam: FakeSarvam;
beforeAll(async () => {
  // Audio nobody scripted is heard as nothing (so a stray segment adds no words to an utterance).
  sarvam = await startFakeSarvam({ apiKey: SARVAM_KEY, script: { defaultUtterance: { transcript: '', languageCode: 'en-IN' } } });
  [h, fake] = await Promise.all([
    makeTelephonyApp({ env: { STT_PROVIDER: 'sarvam', SARVAM_API_KEY: SARVAM_KEY, SARVAM_BASE_URL: sarvam.url } }),
    startFakeTwilio({ accountSid: SECRETS.TWILIO_ACCOUNT_SID, authToken: SECRETS.TWILIO_AUTH_TOKEN }),
  ]);
}, 30_000);
afterAll(async () => Promise.all([h?.close(), fake?.close(), sarvam?.close()]));

async function dueDose(phone: string, firedAgoMs = 0) {
  const user = await callerWithProfile(h, { name: 'Asha Devi', phone, reminder_channel: 'call', preferred_language: 'en-IN' });
  const health = h.app.services.health.forUser(user.user.id);
  const med = await health.create('medication', { name: 'Metformin' });
  // The reminder fired at the schedule's dose time, as the scheduler fires it.
  const fireAt = Math.floor((h.app.services.health.now() - firedAgoMs) / 60_000) * 60_000;
  const schedule = await health.create('med_schedule', { medication_id: med.id, time_of_day: localTime(fireAt, await health.timezone()), days_of_week: ['1', '2', '3', '4', '5', '6', '7'] });
  const n = (await health.store.storeEvent(
    'notification',
    { title: 'Take Metformin', message: 'Time to take your Metformin.', type: 'medication', read: false, fire_at: new Date(fireAt).toISOString(), reference_id: `med_schedule:${schedule.id}` },
    { source: 'system' },
  ));
  return { user, health, schedule, n };
}
type Due = Awaited<ReturnType<typeof dueDose>>;

/** The reminder call for a dose due 5 minutes ago, picked up: the reminder has been spoken and played. */
async function answeredCall(phone: string, before?: (due: Due) => Promise<unknown>) {
  const due = await dueDose(phone, 5 * 60_000);
  await before?.(due);
  const peer = await connect(h.port, 'twilio');
  peer.start(h.tokens.issue(due.user.user.id, 'reminder', 600_000, due.n.id));
  await peer.waitFor(isMark('twilio', (m) => m === 'announce-1'));
  peer.played('announce-1');
  return { ...due, peer };
}

const isReply = (name: string) => /^[0-9a-f]{8}-\d+$/.test(name);

/** The caller says `words`; resolves with the turn as the assistant stored it once its reply has been spoken. */
async function say(peer: Peer, health: Due['health'], words: string, languageCode = 'en-IN') {
  const seen = new Set(peer.marks());
  // Real speech in Twilio's μ-law; the fake recogniser is told what it says.
  sarvam.control.queueUtterance({ transcript: words, languageCode });
  peer.sendAudio(await utterance('chat-thank-you.wav', DEFAULT_FORMAT.twilio));
  const mark = await peer.waitFor(isMark('twilio', (m) => isReply(m) && !seen.has(m)));
  peer.played(mark.mark.name);
  // The reply is spoken as soon as it is decided; the turn's chat event is stored right after.
  await expect.poll(async () => (await health.list('chat')).items.some((c) => c.user_message === words), { timeout: 5000 }).toBe(true);
  const chat = (await health.list('chat')).items.find((c) => c.user_message === words)!;
  return { reply: chat.ai_response, ...(chat.context as { route: string; channel: string; actions: string[] }) };
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

  it('takes "yes, I took it" as the dose of the reminder it spoke, and passes anything else to the assistant', { timeout: 60_000 }, async () => {
    // A newer dose reminder of another medicine, heard on another device: the answer is not about it.
    let newer!: NotificationItem;
    const { health, schedule, n, peer } = await answeredCall('+919800000002', async ({ health }) => {
      const med = await health.create('medication', { name: 'Amlodipine' });
      const other = await health.create('med_schedule', { medication_id: med.id, time_of_day: '08:05', days_of_week: ['1', '2', '3', '4', '5', '6', '7'] });
      const at = new Date(h.app.services.health.now()).toISOString();
      newer = await health.store.storeEvent('notification', { title: 'Take Amlodipine', message: 'Time to take your Amlodipine.', type: 'medication', read: false, fire_at: at, delivered_at: at, reference_id: `med_schedule:${other.id}` });
    });

    const other = await say(peer, health, 'what can you do');
    expect(other.route).not.toBe('medication');
    expect(other.channel).toBe('phone');
    expect((await health.list('medication_log')).items).toEqual([]);
    expect((await health.get('notification', n.id))?.read).toBe(false);

    const yes = await say(peer, health, 'yes I took it');
    // The assistant's words for it (ReminderAnswers said "Thank you. I have noted that you took Metformin.").
    expect(yes).toMatchObject({ route: 'medication', reply: 'Marked Metformin as taken.' });
    const logs = await health.list('medication_log');
    // Linked to the reminder's own dose time, not merely to its schedule.
    expect(logs.items).toMatchObject([{ schedule_id: `med_schedule:${schedule.id}`, due_at: n.fire_at, status: 'taken' }]);
    expect(yes.actions).toEqual([`medication_log:${logs.items[0]!.id}`]);
    expect((await health.get('notification', n.id))?.read).toBe(true);
    expect((await health.get('notification', newer.id))?.read).toBe(false);

    // The question is answered: another "yes" logs no second dose, and says when it was taken.
    expect((await say(peer, health, 'yes')).reply).toMatch(/^You already took Metformin at /);
    expect((await health.list('medication_log')).items).toHaveLength(1);
    peer.stop();
    await peer.closed;
  });

  it('a Hindi "haan le li" is the dose too; what follows goes to the assistant as usual', { timeout: 60_000 }, async () => {
    const { health, schedule, n, peer } = await answeredCall('+919800000003');
    const yes = await say(peer, health, 'haan le li', 'hi-IN');
    expect(yes.route).toBe('medication');
    expect((await health.list('medication_log')).items).toMatchObject([{ schedule_id: `med_schedule:${schedule.id}`, due_at: n.fire_at, status: 'taken' }]);
    expect((await health.get('notification', n.id))?.read).toBe(true);
    const other = await say(peer, health, 'what can you do');
    expect(other.route).toBe('chat');
    expect((await health.list('chat')).items).toMatchObject([{ user_message: 'what can you do' }, { user_message: 'haan le li' }]);
    peer.stop();
    await peer.closed;
  });

  it('"no" logs nothing and leaves the reminder open; "remind me in 10 minutes" snoozes that reminder', { timeout: 60_000 }, async () => {
    const { health, n, peer } = await answeredCall('+919800000004');
    const no = await say(peer, health, 'no');
    expect(no.route).toBe('medication');
    expect((await health.list('medication_log')).items).toEqual([]);
    expect((await health.get('notification', n.id))?.read).toBe(false);

    const later = await say(peer, health, 'remind me in 10 minutes');
    expect(later.route).toBe('reminder');
    // The schedule has its own alarm; the snooze is a one-shot alarm that references the reminder.
    const snoozes = (await health.list('alarm')).items.filter((a) => a.reference_id === `notification:${n.id}`);
    expect(snoozes).toHaveLength(1);
    expect(later.actions).toEqual([`alarm:${snoozes[0]!.id}`]);
    expect((await health.get('notification', n.id))?.read).toBe(true);
    peer.stop();
    await peer.closed;
  });
});
