/**
 * Urgent readings reach people. When a reading is written (REST, chat, voice or a phone call, all
 * through HealthService), its urgent findings (vital-alerts.ts) are recorded as `alert` events the
 * person can list, and, when the profile's `caregiver_alerts.abnormal_vitals` is on, the primary
 * emergency contact gets one SMS per kind of urgent reading per hour: the first name, the kind of
 * reading, the local time, "please check on her". No value, no symptom, nothing else.
 *
 * Off the write's critical path: the write waits only for the alert record; the SMS (up to three
 * tries) runs after, and the record's `notified` says what became of it. A failed or impossible
 * send never fails the write, and nothing of the reading reaches the logs.
 */
import type { FastifyBaseLogger } from 'fastify';
import { CARE, readingWords } from '../../prompts/care.js';
import type { Lang } from '../../prompts/lang.js';
import { allPages } from '../locusgraph/port.js';
import type { HealthItem, UserHealthStore } from '../locusgraph/health.js';
import { localTime } from '../locusgraph/zoned-time.js';
import { sleep } from '../util/async.js';
import type { CircleAlerts } from '../care/recipients.js';
import type { EmergencyDesk, EmergencyWhat } from './emergencies.js';
import { firstName, primaryContact, samePhone } from './people.js';
import { preferencesOf, profileOf } from './preferences.js';
import type { ChangeEvent, ChangeListener } from './service.js';
import { assessVitals, type VitalAlert } from './vital-alerts.js';

/** Sends a text to a number as the person typed it; rejects with `FamilySendError` when it cannot. */
export interface FamilyMessenger {
  sms(to: string, body: string): Promise<void>;
  /** A phone call that speaks `speech` (twice) in `lang`; absent when calls are not possible. */
  call?(to: string, speech: string, lang: Lang): Promise<void>;
}

export class FamilySendError extends Error {
  constructor(
    readonly reason: 'invalid_number' | 'provider_error',
    /** Worth another try (a 5xx, a timeout); a 4xx such as a bad number is not. */
    readonly retryable: boolean,
  ) {
    super(`family message not sent: ${reason}`);
    this.name = 'FamilySendError';
  }
}

export type Notified = NonNullable<HealthItem<'alert'>['notified']>[number];

/**
 * One message (a text or a call) to one person, up to three tries (a 5xx, 429 or timeout is tried
 * again after each delay; a 4xx or an unusable number is not). Never throws: the result is what
 * the alert records. Used for every family message: readings, emergencies, missed doses.
 */
export async function sendWithRetries(
  channel: Notified['channel'],
  to: { name: string },
  send: () => Promise<void>,
  delays: readonly number[],
  log: (ok: boolean, fields: { attempts: number; reason?: string }) => void,
): Promise<Notified> {
  let attempts = 0;
  for (;;) {
    attempts++;
    try {
      await send();
      log(true, { attempts });
      return { channel, to: to.name, status: 'sent', attempts };
    } catch (err) {
      const e = err instanceof FamilySendError ? err : new FamilySendError('provider_error', true);
      if (!e.retryable || attempts > delays.length) {
        log(false, { attempts, reason: e.reason });
        return { channel, to: to.name, status: 'failed', reason: e.reason, attempts };
      }
      await sleep(delays[attempts - 1]!);
    }
  }
}

export interface CareAlertOptions {
  defaultTimezone: string;
  now: () => number;
  log: Pick<FastifyBaseLogger, 'warn' | 'info'>;
  /** Absent when no SMS provider is configured: alerts are recorded as not sent (no_provider). */
  messenger?: FamilyMessenger;
  /** One claim per (user, key) per window, shared by every instance (podd_auth.db). */
  claim: (userId: string, key: string, windowMs: number) => boolean;
  /** Per kind of reading. Default 1 hour. */
  smsWindowMs?: number;
  /** Waits between tries; default 0.5 s then 2 s. */
  retryDelaysMs?: readonly number[];
  /** Readings that are emergencies on their own take the emergency path (text and call, on by default). */
  emergencies?: EmergencyDesk;
  /** The person's caregivers with the `alerts` scope: texted too, in their own language. */
  circle?: CircleAlerts;
}

const MEASURED = ['blood_pressure_systolic', 'blood_pressure_diastolic', 'heart_rate', 'blood_sugar', 'blood_sugar_context', 'temperature', 'temperature_unit', 'spo2', 'logged_at'] as const;

/** A rewrite that leaves every measurement as it was (a note changed) raises nothing new. */
function sameReading(a: Record<string, unknown>, b: Record<string, unknown> | undefined): boolean {
  return b !== undefined && MEASURED.every((k) => a[k] === b[k]);
}

export function careAlertListener(o: CareAlertOptions): ChangeListener & { settled(): Promise<void> } {
  const windowMs = o.smsWindowMs ?? 3_600_000;
  const delays = o.retryDelaysMs ?? [500, 2000];
  const pending = new Set<Promise<void>>();

  async function familyOf(store: UserHealthStore) {
    const contacts = await allPages((cursor) => store.list('emergency_contact', { limit: 100, cursor }), 100);
    return primaryContact(contacts);
  }

  async function notify(store: UserHealthStore, profile: HealthItem<'profile'> | null, alertId: string, alert: VitalAlert, occurredAt: string): Promise<void> {
    const at = () => new Date(o.now()).toISOString();
    const notified: Notified[] = [];
    // Who hears of it: the primary contact when the person chose it, and every caregiver they gave `alerts`.
    const people: Array<{ name: string; phone: string; lang: Lang }> = [];
    const { lang, timeZone } = preferencesOf(profile, o.defaultTimezone);
    if (profile?.caregiver_alerts?.abnormal_vitals !== true) notified.push({ channel: 'sms', status: 'skipped', reason: 'not_enabled' });
    else {
      const contact = await familyOf(store);
      if (!contact?.phone) notified.push({ channel: 'sms', status: 'skipped', reason: 'no_contact' });
      else people.push({ name: contact.name, phone: contact.phone, lang });
    }
    for (const r of (await o.circle?.recipients(store.userId)) ?? []) {
      if (!r.phone) notified.push({ channel: 'sms', to: r.name, status: 'skipped', reason: 'no_phone' });
      else if (!people.some((p) => samePhone(p.phone, r.phone!))) people.push({ name: r.name, phone: r.phone, lang: r.lang });
    }
    if (people.length && !o.messenger) for (const p of people) notified.push({ channel: 'sms', to: p.name, status: 'skipped', reason: 'no_provider' });
    else if (people.length && !o.claim(store.userId, `vitals:${alert.kind}`, windowMs)) for (const p of people) notified.push({ channel: 'sms', to: p.name, status: 'skipped', reason: 'rate_limited' });
    else {
      for (const p of people) {
        const body = CARE.render(p.lang, 'vitals_sms', {
          name: firstName(profile?.name) ?? CARE.text(p.lang, 'someone'),
          reading: CARE.text(p.lang, readingWords(alert.code, alert.kind)),
          time: localTime(Date.parse(occurredAt), timeZone),
          pronoun: CARE.text(p.lang, profile?.gender === 'female' ? 'pronoun.female' : profile?.gender === 'male' ? 'pronoun.male' : 'pronoun.other'),
        });
        notified.push(await sendOne(store, alertId, p, body));
      }
    }
    await store.patch('alert', alertId, { notified: notified.slice(0, 20).map((n) => ({ ...n, at: n.at ?? at() })) });
  }

  const sendOne = (store: UserHealthStore, alertId: string, p: { name: string; phone: string }, body: string) =>
    sendWithRetries('sms', p, () => o.messenger!.sms(p.phone, body), delays, (ok, fields) => (ok ? o.log.info : o.log.warn).call(o.log, { userId: store.userId, alertId, ...fields }, ok ? 'family alert sent' : 'family alert not sent'));

  const listener = async (store: UserHealthStore, change: ChangeEvent): Promise<void> => {
    if (change.type !== 'vitals' || change.op === 'delete') return;
    if (change.op === 'update' && sameReading(change.item, change.previous)) return;
    const item = change.item as HealthItem<'vitals'>;
    const profile = await profileOf(store);
    const urgent = assessVitals(item, o.now(), { medical_conditions: profile?.medical_conditions }).filter((a) => a.severity === 'urgent');
    if (!urgent.length) return;
    const { lang } = preferencesOf(profile, o.defaultTimezone);
    for (const alert of urgent) {
      if (alert.emergency && o.emergencies) {
        const contacts = await allPages((cursor) => store.list('emergency_contact', { limit: 100, cursor }), 100);
        o.emergencies.raise(store, { what: [alert.code as EmergencyWhat], asked: false, message: alert.message[lang], referenceId: `vitals:${item.id}` }, { profile, contacts });
        continue;
      }
      const occurredAt = item.logged_at ?? new Date(o.now()).toISOString();
      const record = await store.storeEvent(
        'alert',
        { kind: 'vitals', code: alert.code, severity: 'urgent', message: alert.message[lang], occurred_at: occurredAt, reference_id: `vitals:${item.id}`, notified: [] },
        { source: 'system' },
      );
      const p = notify(store, profile, record.id, alert, occurredAt).catch((err) =>
        o.log.warn({ userId: store.userId, alertId: record.id, err: { name: (err as Error)?.name } }, 'family alert failed'),
      );
      pending.add(p);
      void p.finally(() => pending.delete(p));
    }
  };
  return Object.assign(listener, {
    /** Resolves when every send started so far has finished (shutdown, tests). */
    async settled() {
      while (pending.size) await Promise.all(pending);
      await o.emergencies?.settled();
    },
  });
}
