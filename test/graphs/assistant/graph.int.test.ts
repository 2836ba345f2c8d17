/**
 * The compiled assistant graph end to end on the embedded store, offline mode: every route in
 * English, Hinglish and Devanagari, slot filling across turns, bad input, emergencies and the
 * wall between users.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Assistant } from '../../../graphs/assistant/index.js';
import { UserHealth } from '../../../src/health/service.js';
import type { Heard } from '../../../graphs/assistant/port.js';
import { assistantOn, embeddedHealth, turn, type Harness } from './helpers.js';

let h: Harness;
let a: Assistant;
const A = 'user-a';
const B = 'user-b';

beforeEach(() => {
  h = embeddedHealth();
  a = assistantOn(h);
});
afterEach(async () => {
  await h.close();
});

const say = async (text: string, opts: { user?: string; thread?: string; language?: string } = {}) => {
  h.clock.now += 60_000;
  return a.runWithState(turn(opts.user ?? A, text, opts.thread ?? 'thread-1', opts.language ?? 'auto'));
};
const list = async (type: Parameters<ReturnType<Harness['health']['forUser']>['list']>[0], user = A) =>
  (await h.health.forUser(user).list(type, { limit: 100 })).items as Array<Record<string, unknown>>;

async function withMetformin(user = A) {
  const u = h.health.forUser(user);
  const med = await u.create('medication', { name: 'Metformin', quantity: 10 });
  await u.create('med_schedule', { medication_id: med.id, time_of_day: '09:00', days_of_week: ['1', '2', '3', '4', '5', '6', '7'] });
  return med;
}

describe('food', () => {
  it.each([
    ['I had 2 rotis and a bowl of dal for lunch', 'en', /Logged 2 .*roti.* for lunch, about \d+ calories\./],
    ['maine do roti aur dal khayi', 'hinglish', /रोटी.*दाल.*कैलोरी/],
    ['मैंने दो रोटी और दाल खाई', 'hi', /रोटी.*कैलोरी/],
  ])('%s → logs a food event with totals and meal type (%s)', async (text, _lang, reply) => {
    const r = await say(text);
    expect(r.route).toBe('food');
    expect(r.reply).toMatch(reply);
    const [food] = await list('food');
    expect(food).toMatchObject({ meal_type: expect.stringMatching(/breakfast|lunch|dinner|snack/) });
    expect(food!.calories as number).toBeGreaterThan(200);
    expect((food!.items as unknown[]).length).toBe(2);
    expect(r.actions).toEqual([{ type: 'food', id: food!.id }]);
  });

  it('takes the meal from the time of day in the user zone when unsaid', async () => {
    await h.health.forUser(A).upsert('profile', h.health.forUser(A).store.profileId, { timezone: 'America/New_York' });
    // 10:00 in Kolkata is 23:30 the day before in New York: dinner there.
    await say('2 roti');
    expect((await list('food'))[0]).toMatchObject({ meal_type: 'dinner' });
  });
});

describe('vitals and tracking (route log)', () => {
  it.each([
    ['my BP is 140 over 90', { blood_pressure_systolic: 140, blood_pressure_diastolic: 90 }, /140 over 90/],
    ['BP 140 by 90 hai', { blood_pressure_systolic: 140, blood_pressure_diastolic: 90 }, /140 बटा 90/],
    ['मेरा बीपी 140/90 है', { blood_pressure_systolic: 140, blood_pressure_diastolic: 90 }, /140 बटा 90/],
    ['sugar 160 fasting', { blood_sugar: 160, blood_sugar_context: 'fasting' }, /fasting sugar reading of 160/],
  ])('%s → one vitals event', async (text, fields, reply) => {
    const r = await say(text);
    expect(r.route).toBe('log');
    expect(r.reply).toMatch(reply);
    const rows = await list('vitals');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject(fields);
  });

  it('logs water and says the day total', async () => {
    await say('drank 3 glasses of water');
    const r = await say('2 glass paani piya');
    expect(r.route).toBe('log');
    expect(r.reply).toContain('1250');
    expect((await list('water')).map((w) => w.amount_ml).sort()).toEqual([500, 750]);
  });

  it('logs exercise, sleep and mood', async () => {
    expect((await say('walked 30 minutes')).reply).toBe('Logged 30 minutes of walking. Well done.');
    expect((await say('slept at 11, woke at 6')).reply).toBe('Logged 7 hours of sleep.');
    expect((await say('feeling low today')).reply).toContain('low');
    expect(await list('exercise')).toEqual([expect.objectContaining({ exercise_type: 'walking', duration_minutes: 30 })]);
    expect(await list('sleep')).toEqual([expect.objectContaining({ sleep_start: '2025-11-19T23:00:00+05:30', sleep_end: '2025-11-20T06:00:00+05:30' })]);
    expect(await list('mood')).toEqual([expect.objectContaining({ mood: 'low' })]);
  });

  it('asks back for an impossible reading and stores nothing', async () => {
    const r = await say('BP 900 over 5');
    expect(r.route).toBe('log');
    expect(r.reply).toBe("That number doesn't look right. Could you say the reading again?");
    expect(r.actions).toEqual([]);
    expect(await list('vitals')).toEqual([]);
    // The corrected reading on the next turn is stored.
    const next = await say('140 over 90');
    expect(next.reply).toBe('Saved your blood pressure, 140 over 90.');
    expect(await list('vitals')).toHaveLength(1);
  });

  it('refuses a reading the store would reject (diastolic above systolic)', async () => {
    const r = await say('my BP is 80 over 120');
    expect(r.actions).toEqual([]);
    expect(await list('vitals')).toEqual([]);
  });
});

describe('multi-turn slot filling', () => {
  it('asks one question and fills the answer on the same thread', async () => {
    const q = await say('my bp is');
    expect(q.reply).toBe('What was the reading? For example, 140 over 90.');
    expect(await list('vitals')).toEqual([]);
    const r = await say('150 over 95');
    expect(r.route).toBe('log');
    expect(await list('vitals')).toEqual([expect.objectContaining({ blood_pressure_systolic: 150, blood_pressure_diastolic: 95 })]);
  });

  it('keeps the pending question per thread', async () => {
    await say('remind me to take my medicine', { thread: 'kitchen' });
    // The same words on another thread are not an answer to it.
    const other = await say('at 9 pm', { thread: 'bedroom' });
    expect(other.route).not.toBe('reminder');
    const r = await say('at 9 pm', { thread: 'kitchen' });
    expect(r.route).toBe('reminder');
    expect(await list('alarm')).toEqual([expect.objectContaining({ time: '21:00' })]);
  });

  it('fills in Hindi too', async () => {
    const q = await say('शुगर की रीडिंग');
    expect(q.route).toBe('log');
    expect(q.reply).toMatch(/[\u0900-\u097F]/);
    await say('140');
    expect(await list('vitals')).toEqual([expect.objectContaining({ blood_sugar: 140 })]);
  });

  it('gives up on a question after it was asked twice without an answer', async () => {
    await say('my bp is');
    await say('umm');
    await say('umm');
    const r = await say('hello');
    expect(r.route).toBe('chat');
    expect(r.state.pending).toBeNull();
  });

  it('lets an emergency through in the middle of a question', async () => {
    await say('my bp is');
    const r = await say('chest pain');
    expect(r.route).toBe('emergency');
    expect(r.state.pending).toBeNull();
  });
});

describe('health_query', () => {
  it.each([
    ['what was my BP today', /Your blood pressure today was 140 over 90\./],
    ['aaj BP kitna tha', /आज आपका बीपी 140 बटा 90 था।/],
    ['आज मेरा बीपी कितना था', /140 बटा 90/],
  ])('%s → answers with the actual numbers', async (text, reply) => {
    await say('my BP is 140 over 90');
    const r = await say(text);
    expect(r.route).toBe('health_query');
    expect(r.reply).toMatch(reply);
    expect(r.actions).toEqual([]);
  });

  it('sums water and answers sleep from the right night', async () => {
    await say('drank 3 glasses of water');
    expect((await say('how much water today')).reply).toBe("You've had 750 ml of water today, about 3 glasses.");
    await say('slept at 11, woke at 6');
    expect((await say('kal kitni neend aayi')).reply).toContain('7');
  });

  it('answers "did I take my Metformin this morning" from the dose log', async () => {
    await withMetformin();
    expect((await say('did I take my Metformin this morning')).reply).toBe("I don't see Metformin logged today.");
    await say('took my Metformin');
    const r = await say('did I take my Metformin this morning');
    expect(r.route).toBe('health_query');
    expect(r.reply).toMatch(/^Yes, you took Metformin at 10:0\d am\.$/);
  });

  it('says so when there is no data', async () => {
    expect((await say('what was my sugar yesterday')).reply).toBe("I don't have any sugar readings yesterday.");
  });
});

describe('recommendation', () => {
  it.each([
    ['is my BP okay', /stage 2|high/i],
    ['mera BP theek hai kya', /[\u0900-\u097F]/],
    ['मेरा बीपी ठीक है क्या', /[\u0900-\u097F]/],
  ])('%s → rule-based advice on the latest reading', async (text, reply) => {
    await say('my BP is 150 over 95');
    const r = await say(text);
    expect(r.route).toBe('recommendation');
    expect(r.reply).toMatch(reply);
    expect(r.reply).toMatch(/not a diagnosis|बीमारी की जांच नहीं/);
  });

  it('asks for readings when there are none', async () => {
    expect((await say('any advice for my health?')).reply).toContain("I don't have recent readings yet");
  });
});

describe('medication', () => {
  it.each([
    ['took my Metformin', /Marked Metformin as taken\./],
    ['dawai le li', /Metformin/],
    ['मैंने दवा ले ली', /Metformin/],
  ])('%s → logs a dose and decrements stock', async (text, reply) => {
    const med = await withMetformin();
    const r = await say(text);
    expect(r.route).toBe('medication');
    expect(r.reply).toMatch(reply);
    const logs = await list('medication_log');
    expect(logs).toEqual([expect.objectContaining({ medication_id: `medication:${med.id}`, status: 'taken' })]);
    expect((await h.health.forUser(A).get('medication', med.id))?.quantity).toBe(9);
  });

  it('says what is due next and lists the schedule', async () => {
    await withMetformin();
    h.clock.now = Date.parse('2025-11-20T07:00:00+05:30');
    expect((await say('which medicine is due now?')).reply).toBe('Next is Metformin at 9 am.');
    expect((await say('what is my medicine schedule')).reply).toBe('You take Metformin at 9 am.');
  });

  it('answers "what do I take" from the schedule, and "when do I take X" for that medicine only', async () => {
    await withMetformin();
    const u = h.health.forUser(A);
    const aml = await u.create('medication', { name: 'Amlodipine', quantity: 10 });
    await u.create('med_schedule', { medication_id: aml.id, time_of_day: '21:00', days_of_week: ['1', '2', '3', '4', '5', '6', '7'] });
    const all = await say('what medicines do I take');
    expect(all.route).toBe('medication');
    expect(all.reply).toBe('You take Metformin at 9 am and Amlodipine at 9 pm.');
    expect((await say('when do I take Amlodipine')).reply).toBe('You take Amlodipine at 9 pm.');
    // The dose log still answers the past tense.
    expect((await say('did I take my Amlodipine today')).route).toBe('health_query');
    expect(await list('medication_log')).toEqual([]);
  });

  it('does not log a medicine the user has not saved', async () => {
    await withMetformin();
    const r = await say('took my Amlodipine');
    expect(r.reply).toContain('Amlodipine');
    expect(await list('medication_log')).toEqual([]);
  });

  it('asks which medicine when none is due and several are saved', async () => {
    await h.health.forUser(A).create('medication', { name: 'Metformin' });
    await h.health.forUser(A).create('medication', { name: 'Amlodipine' });
    const r = await say('dawai le li');
    expect(r.reply).toBe('कौन सी दवा?');
    await say('Amlodipine');
    expect(await list('medication_log')).toHaveLength(1);
  });
});

describe('reminder', () => {
  it.each([
    ['remind me to drink water every day at 4 pm', { type: 'water', time: '16:00', days_of_week: ['1', '2', '3', '4', '5', '6', '7'] }],
    ['roz shaam 4 baje paani peene ki yaad dilana', { type: 'water', time: '16:00' }],
    ['हर दिन शाम 4 बजे पानी पीने की याद दिलाना', { type: 'water', time: '16:00' }],
  ])('%s → an alarm in the user zone', async (text, fields) => {
    const r = await say(text);
    expect(r.route).toBe('reminder');
    const alarms = await list('alarm');
    expect(alarms).toEqual([expect.objectContaining(fields)]);
    expect(r.actions).toEqual([{ type: 'alarm', id: alarms[0]!.id }]);
  });

  it('creates an appointment and refuses one in the past', async () => {
    const r = await say('doctor appointment on 5th December at 10 am');
    expect(r.reply).toBe('Saved your appointment on 5 December at 10 am.');
    expect(await list('appointment')).toEqual([expect.objectContaining({ scheduled_at: '2025-12-05T10:00:00+05:30' })]);
  });

  it('asks for the time when it is missing, then creates the alarm', async () => {
    expect((await say('remind me to take my medicine')).reply).toBe('At what time?');
    expect(await list('alarm')).toEqual([]);
    await say('9 baje raat');
    expect(await list('alarm')).toEqual([expect.objectContaining({ time: '21:00' })]);
  });
});

describe('emergency', () => {
  it.each([['chest pain'], ["I can't breathe"], ['seene mein dard'], ['chakkar aa raha hai'], ['सीने में दर्द हो रहा है']])(
    '%s → call 112, without a contact stored',
    async (text) => {
      const r = await say(text);
      expect(r.route).toBe('emergency');
      expect(r.reply).toMatch(/112/);
      expect(r.reply).not.toMatch(/Ravi/);
    },
  );

  it('without a way to send messages, names the primary contact and number to call', async () => {
    await h.health.forUser(A).create('emergency_contact', { name: 'Asha', phone: '+91-9000000001' });
    await h.health.forUser(A).create('emergency_contact', { name: 'Ravi', phone: '+91-9876543210', is_primary: true });
    const en = await say('chest pain');
    expect(en.reply).toBe("This could be an emergency. Call 112 right now. I can't send messages from here, so please call Ravi on +91-9876543210.");
    const hi = await say('seene mein dard');
    expect(hi.reply).toContain('Ravi को +91-9876543210');
  });
});

describe('chat and bad input', () => {
  it.each([['hello'], ['namaste'], ['what can you do']])('%s → a templated reply, stored as a chat event', async (text) => {
    const r = await say(text);
    expect(r.route).toBe('chat');
    const chats = await list('chat');
    expect(chats).toEqual([expect.objectContaining({ user_message: text, ai_response: r.reply, context: expect.objectContaining({ route: 'chat' }) })]);
  });

  it.each([
    ['empty', ''], ['blank', '   '], ['10,000 characters', 'x'.repeat(10_000)], ['emoji only', '😀😀😀'], ['nonsense', 'asdkj qwpoe zzxq'],
    ['mixed scripts', 'hello Привет नमस्ते'],
  ])(
    '%s → a polite reply and no write at all',
    async (_label, text) => {
      const r = await say(text);
      expect(r.route).toBe('chat');
      expect(r.reply.length).toBeGreaterThan(10);
      expect(r.actions).toEqual([]);
      const everything = await h.health.forUser(A).store.retrieveContext({ limit: 100 });
      expect(everything.items).toEqual([]);
    },
  );

  it('stores each turn as a chat event with message, reply and route', async () => {
    await say('my BP is 140 over 90', { thread: 'web-1' });
    const [chat] = await list('chat');
    expect(chat).toMatchObject({
      user_message: 'my BP is 140 over 90',
      ai_response: 'Saved your blood pressure, 140 over 90.',
      thread_id: 'web-1',
      locale: 'en-IN',
      context: expect.objectContaining({ route: 'log' }),
    });
  });
});

describe('language of the reply', () => {
  it('follows preferred_language over the detected one', async () => {
    const u = h.health.forUser(A);
    await u.upsert('profile', u.store.profileId, { preferred_language: 'hi-IN' });
    const r = await say('my BP is 140 over 90');
    expect(r.reply).toBe('आपका बीपी 140 बटा 90 दर्ज कर लिया।');
    expect(r.language).toBe('hi-IN');
  });

  it('uses the heard locale for language-neutral text', async () => {
    const r = await say('140/90', { language: 'hi-IN' });
    expect(r.language).toBe('hi-IN');
  });
});

describe('isolation between users', () => {
  it("never reads or writes another user's graph", async () => {
    await h.health.forUser(B).create('emergency_contact', { name: 'Bina', phone: '+91-9111111111' });
    await withMetformin(B);
    await say('my BP is 170 over 100', { user: B });
    await say('drank 2 glasses of water', { user: B });

    // A shares B's thread id: the thread state is still A's own.
    await say('remind me to take my medicine', { user: B, thread: 'shared' });
    const r1 = await say('at 9 pm', { user: A, thread: 'shared' });
    expect(r1.route).not.toBe('reminder');
    expect(await list('alarm', A)).toEqual([]);
    expect(await list('alarm', B)).toEqual([]);

    expect((await say('what was my BP today')).reply).toBe("I don't have any blood pressure readings today.");
    expect((await say('how much water today')).reply).toContain("I don't have any water");
    expect((await say('chest pain')).reply).not.toContain('Bina');
    expect((await say('took my Metformin')).reply).toContain('Metformin');
    expect(await list('medication_log', B)).toEqual([]);

    const bBefore = await h.health.forUser(B).store.retrieveContext({ limit: 100 });
    expect(bBefore.items.some((i) => i.type === 'chat' && String((i.item as { user_message?: string }).user_message) === 'at 9 pm')).toBe(false);
    expect((await list('vitals', A))).toEqual([]);
    expect((await list('vitals', B))).toHaveLength(1);
  });
});

describe('a turn given up', () => {
  it('stops before its agent acts when the signal is already aborted: no reading, no chat event', async () => {
    const abort = new AbortController();
    abort.abort(new Error('barge-in'));
    await expect(a.runWithState(turn(A, 'my BP is 140 over 90'), { signal: abort.signal })).rejects.toThrow('barge-in');
    expect(await list('vitals')).toEqual([]);
    expect(await list('chat')).toEqual([]);
  });

  it('still answers and writes when the signal is not aborted', async () => {
    const r = await a.runWithState(turn(A, 'my BP is 140 over 90'), { signal: new AbortController().signal });
    expect(r.route).toBe('log');
    expect(await list('vitals')).toHaveLength(1);
  });
});

describe('the reply is handed out before the turn is stored', () => {
  it("settles the turn's reply once with the final reply, before the chat event exists", async () => {
    const seen: Array<{ reply: string; route: string; chatsThen: Promise<unknown[]> }> = [];
    const running = a.start(turn(A, 'my BP is 140 over 90'));
    void running.reply.then((reply) => seen.push({ ...reply, chatsThen: list('chat') }));
    const r = await running.done;
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ reply: r.reply, route: 'log' });
    expect(await seen[0]!.chatsThen).toEqual([]);
    expect(await list('chat')).toHaveLength(1);
  });
});

describe('a spoken turn started before its words are in (startHeard)', () => {
  const words = () => {
    let resolve!: (h: Heard) => void;
    let reject!: (err: unknown) => void;
    const promise = new Promise<Heard>((res, rej) => ((resolve = res), (reject = rej)));
    return { promise, resolve, reject };
  };
  const spoken = (thread = 'voice-1') => ({ userId: A, threadId: thread, language: 'auto', channel: 'voice' as const });
  /** Lets the graph go as far as it can without the words (it waits on them, not on time). */
  const settle = () => new Promise((r) => setTimeout(r, 50));
  const written = async () => (await h.health.forUser(A).store.retrieveContext({ limit: 100 })).items.length;
  afterEach(() => vi.restoreAllMocks());

  it('reads the user context first, then answers the words when they arrive, in their language', async () => {
    await withMetformin();
    const reads = vi.spyOn(UserHealth.prototype, 'all');
    const w = words();
    let replied = false;
    const running = a.startHeard(spoken(), w.promise);
    void running.reply.then(() => (replied = true));
    await settle();
    // The context (medications, contacts) is read while the recogniser would still be finishing.
    expect(reads.mock.calls.map((c) => c[0])).toEqual(expect.arrayContaining(['medication', 'emergency_contact']));
    expect(replied).toBe(false);
    expect(await list('chat')).toEqual([]);
    w.resolve({ text: 'मेरा बीपी 130/85 है', language: 'hi-IN' });
    const r = await running.done;
    expect(r).toMatchObject({ route: 'log', language: 'hi-IN' });
    expect(replied).toBe(true);
    expect(await list('vitals')).toEqual([expect.objectContaining({ blood_pressure_systolic: 130, blood_pressure_diastolic: 85 })]);
    expect((await list('chat'))[0]).toMatchObject({ user_message: 'मेरा बीपी 130/85 है', locale: 'hi-IN', context: expect.objectContaining({ channel: 'voice' }) });
  });

  it('matches the words against the medications it read ahead', async () => {
    await withMetformin();
    const w = words();
    const running = a.startHeard(spoken(), w.promise).done;
    await settle();
    w.resolve({ text: 'took my metformin', language: 'en-IN' });
    expect(await running).toMatchObject({ route: 'medication', reply: expect.stringMatching(/Metformin/) });
    expect(await list('medication_log')).toHaveLength(1);
  });

  it('writes nothing when the words never come (the recogniser heard nothing or failed)', async () => {
    const before = await written();
    const w = words();
    const running = a.startHeard(spoken(), w.promise).done;
    await settle();
    w.reject(new Error('nothing was heard'));
    await expect(running).rejects.toThrow('nothing was heard');
    expect(await written()).toBe(before);
  });

  it('writes nothing when the turn is given up while it waits, and the words arriving later change nothing', async () => {
    const before = await written();
    const w = words();
    const abort = new AbortController();
    const running = a.startHeard(spoken(), w.promise, { signal: abort.signal }).done;
    await settle();
    abort.abort(new Error('barge-in'));
    await expect(running).rejects.toThrow('barge-in');
    w.resolve({ text: 'my BP is 140 over 90', language: 'en-IN' });
    await settle();
    expect(await written()).toBe(before);
    expect(await list('vitals')).toEqual([]);
  });

  it('keeps the thread in order: a turn started ahead answers the question before it, the next one waits', async () => {
    expect((await a.runWithState({ ...spoken(), text: 'my bp is' })).reply).toMatch(/\?/);
    const w = words();
    const first = a.startHeard(spoken(), w.promise).done;
    let secondDone = false;
    const second = a.start({ ...spoken(), text: 'what was my BP today' }).done.then((r) => ((secondDone = true), r));
    await settle();
    expect(secondDone).toBe(false);
    w.resolve({ text: '150 over 95', language: 'en-IN' });
    expect(await first).toMatchObject({ route: 'log' });
    expect((await second).reply).toMatch(/150 over 95/);
    expect(await list('vitals')).toEqual([expect.objectContaining({ blood_pressure_systolic: 150, blood_pressure_diastolic: 95 })]);
  });
});
