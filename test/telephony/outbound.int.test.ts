import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openAuthDatabase } from '../../src/auth/db.js';
import { loadConfig } from '../../src/config.js';
import type { SqliteDatabase } from '../../src/db/sqlite.js';
import { HealthService } from '../../src/health/service.js';
import { createHealthStore, createLocusGraph, type LocusGraph } from '../../src/locusgraph/index.js';
import { callingSink, TwilioRest } from '../../src/telephony/outbound.js';
import { CallTokens, createTelephonyTables } from '../../src/telephony/store.js';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio/server.js';
import { tempDir } from '../helpers/app.js';

const CREDS = { accountSid: 'AC00000000000000000000000000000001', authToken: 'fake-auth-token' };
const FROM = '+15005550006';
const STREAM = 'wss://podd.example.com/api/telephony/twilio';
// 08:00 in Asia/Kolkata on 2026-02-18.
const DUE = Date.parse('2026-02-18T02:30:00Z');

let fake: FakeTwilio;
let dir: string;
let db: SqliteDatabase;
let lg: LocusGraph;
let health: HealthService;
let tokens: CallTokens;
let t: number;
const logs: Array<{ obj: Record<string, unknown>; msg: string }> = [];
const record = (obj: object, msg?: string) => void logs.push({ obj: obj as Record<string, unknown>, msg: msg ?? '' });
const log = { info: record, warn: record, error: () => undefined } as unknown as Parameters<typeof callingSink>[0]['log'];

beforeAll(async () => {
  fake = await startFakeTwilio(CREDS);
});
afterAll(async () => fake?.close());

beforeEach(() => {
  dir = tempDir();
  const config = loadConfig({ PODD_DATA_DIR: dir, NODE_ENV: 'test' });
  db = openAuthDatabase(dir, config.dataKey);
  createTelephonyTables(db);
  db.prepare("INSERT INTO users (id, email, password_hash, name, created_at, updated_at) VALUES ('asha', 'asha@example.com', 'x', 'Asha Devi', 't', 't')").run();
  t = DUE;
  lg = createLocusGraph(config, { now: () => t });
  health = new HealthService(createHealthStore(lg, { now: () => t }), 'Asia/Kolkata', () => t);
  tokens = new CallTokens(db, () => t);
  fake.calls.length = 0;
  fake.messages.length = 0;
  logs.length = 0;
});
afterEach(async () => {
  await lg.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const twilio = () => new TwilioRest({ ...CREDS, baseUrl: fake.url });

async function doseReminder(profile: Record<string, unknown>) {
  const user = health.forUser('asha');
  await user.upsert('profile', user.store.profileId, { name: 'Asha Devi', timezone: 'Asia/Kolkata', ...profile });
  const med = await user.create('medication', { name: 'Metformin', dosage: '500 mg' });
  const schedule = await user.create('med_schedule', { medication_id: med.id, time_of_day: '08:00', days_of_week: ['1', '2', '3', '4', '5', '6', '7'] });
  const n = (await user.store.storeEvent(
    'notification',
    { title: 'Take Metformin', message: 'Time to take your Metformin, 500 mg.', type: 'medication', read: false, fire_at: new Date(DUE).toISOString(), reference_id: `med_schedule:${schedule.id}` },
    { id: 'fire-0001', source: 'system' },
  ));
  return { user, med, schedule, n };
}

describe('reminder calls (NotificationSink decorator)', () => {
  const sink = (liveCount = 0) =>
    callingSink({ live: { deliver: async () => liveCount }, health, twilio: twilio(), from: FROM, tokens, streamUrl: STREAM, log, now: () => t });

  it('places a Twilio call whose TwiML streams to us with a reminder token, when the user chose calls and no session is live', async () => {
    const { n } = await doseReminder({ phone: '+919876543210', reminder_channel: 'call' });
    const s = sink();
    expect(await s.deliver('asha', n)).toBe(0); // delivered only once the call's audio is played
    expect(fake.calls).toHaveLength(1);
    const form = fake.calls[0]!.form;
    expect(form).toMatchObject({ To: '+919876543210', From: FROM });
    const m = /^<\?xml version="1.0" encoding="UTF-8"\?><Response><Connect><Stream url="wss:\/\/podd\.example\.com\/api\/telephony\/twilio"><Parameter name="token" value="([0-9a-f]{32})"\/><\/Stream><\/Connect><\/Response>$/.exec(form.Twiml!);
    expect(m).not.toBeNull();
    expect(tokens.redeem(m![1])).toEqual({ userId: 'asha', purpose: 'reminder', ref: 'fire-0001' });
    expect(logs.find((l) => l.msg === 'reminder call placed')?.obj).toMatchObject({ userId: 'asha', notificationId: 'fire-0001' });
    expect(JSON.stringify(logs)).not.toContain('9876543210');
  });

  it('does not call when a live session heard it, when the user prefers the device, or without a phone', async () => {
    const { n } = await doseReminder({ phone: '+919876543210', reminder_channel: 'call' });
    expect(await sink(1).deliver('asha', n)).toBe(1);
    await health.forUser('asha').patch('profile', health.forUser('asha').store.profileId, { reminder_channel: 'device' });
    expect(await sink().deliver('asha', n)).toBe(0);
    await health.forUser('asha').patch('profile', health.forUser('asha').store.profileId, { reminder_channel: 'call', phone: null });
    expect(await sink().deliver('asha', n)).toBe(0);
    expect(fake.calls).toHaveLength(0);
  });

  it('places one call for reminders due together, and survives Twilio refusing', async () => {
    const { n } = await doseReminder({ phone: '+919876543210', reminder_channel: 'call' });
    const s = sink();
    fake.failNext(1);
    expect(await s.deliver('asha', n)).toBe(0);
    expect(fake.calls).toHaveLength(0);
    expect(logs.find((l) => l.msg === 'reminder call failed')?.obj).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    await s.deliver('asha', n);
    await s.deliver('asha', { ...n, id: 'fire-0002' });
    expect(fake.calls).toHaveLength(1);
    t += 4 * 60_000;
    await s.deliver('asha', { ...n, id: 'fire-0003' });
    expect(fake.calls).toHaveLength(2);
  });
});
