/**
 * A dose still not logged an hour after its time (the scheduler asks once per medication
 * reminder): recorded as an alert the person can list (`kind: "missed_dose"`), and texted to the
 * primary contact when the profile chose `caregiver_alerts.missed_medication`, and to every
 * caregiver given the `alerts` scope — once per dose, with nothing but the first name, the dose
 * time and the medicine, each in the reader's language. Runs without any provider configured (the
 * record and the circle's alert list); texts need Twilio's SMS settings only.
 */
import type { FastifyBaseLogger } from 'fastify';
import { phrase } from '../../prompts/phone.js';
import type { Lang } from '../../prompts/lang.js';
import type { CircleAlerts } from '../care/recipients.js';
import { localTime } from '../locusgraph/zoned-time.js';
import { sendWithRetries, type FamilyMessenger, type Notified } from './care-alerts.js';
import { doseLoggedSince } from './doses.js';
import { firstName, primaryContact, samePhone } from './people.js';
import { preferencesOf } from './preferences.js';
import { bareId, type HealthService } from './service.js';

export interface MissedDoseOptions {
  health: HealthService;
  /** One claim per (user, notification), shared by every instance: one alert per dose. */
  claim: (userId: string, notificationId: string) => boolean;
  log: Pick<FastifyBaseLogger, 'info' | 'warn'>;
  defaultTimezone: string;
  /** Absent without an SMS provider: the alert is recorded, nobody is texted (no_provider). */
  messenger?: FamilyMessenger;
  circle?: CircleAlerts;
  /** How long after the dose's time it counts as missed. Default 60 minutes. */
  afterMs?: number;
  now: () => number;
  /** Waits between tries; default 0.5 s then 2 s. */
  retryDelaysMs?: readonly number[];
}

/** `recorded`: the alert is listed but nobody could be texted (the record says why). */
export type MissedDoseOutcome = 'sent' | 'recorded' | 'failed' | 'not_due' | 'logged' | 'already_sent' | 'not_a_dose';

/** "8:00" in the user's zone, the way people say a dose time. */
function doseTime(iso: string, timeZone: string): string {
  const [h, m] = localTime(Date.parse(iso), timeZone).split(':');
  return `${Number(h)}:${m}`;
}

export function missedDoseAlerter(o: MissedDoseOptions): { afterMs: number; check(userId: string, notificationId: string): Promise<MissedDoseOutcome> } {
  const afterMs = o.afterMs ?? 3_600_000;
  const delays = o.retryDelaysMs ?? [500, 2000];
  async function check(userId: string, notificationId: string): Promise<MissedDoseOutcome> {
    const health = o.health.forUser(userId);
    const n = await health.get('notification', notificationId);
    if (!n || n.type !== 'medication' || !n.reference_id?.startsWith('med_schedule:')) return 'not_a_dose';
    const dueAt = Date.parse(n.fire_at);
    if (!(o.now() - dueAt >= afterMs)) return 'not_due';
    const schedule = await health.get('med_schedule', bareId(n.reference_id));
    if (!schedule) return 'not_a_dose';
    if (await doseLoggedSince(health, schedule, dueAt)) return 'logged';
    if (!o.claim(userId, notificationId)) return 'already_sent';

    const profile = await health.profile();
    const { lang, timeZone } = preferencesOf(profile, o.defaultTimezone);
    const medication = await health.get('medication', bareId(schedule.medication_id));
    const key = profile?.gender === 'female' ? 'caregiver_missed_dose_female' : profile?.gender === 'male' ? 'caregiver_missed_dose_male' : 'caregiver_missed_dose';
    const words = (l: Lang) =>
      phrase(l, key, { name: firstName(profile?.name) ?? phrase(l, 'caregiver_someone'), time: doseTime(n.fire_at, timeZone), medication: medication?.name ?? phrase(l, 'caregiver_medicine') });
    const record = await health.store.storeEvent(
      'alert',
      { kind: 'missed_dose', code: 'missed_dose', severity: 'warning', message: words(lang), occurred_at: new Date(o.now()).toISOString(), reference_id: `notification:${n.id}`, notified: [] },
      { source: 'system' },
    );

    // Who hears of it: the primary contact when chosen (the contact's language is not known: the
    // person's), and the caregivers with `alerts` in their own.
    const notified: Notified[] = [];
    const people: Array<{ name: string; phone: string; lang: Lang }> = [];
    if (profile?.caregiver_alerts?.missed_medication !== true) notified.push({ channel: 'sms', status: 'skipped', reason: 'not_enabled' });
    else {
      const contact = primaryContact(await health.all('emergency_contact', { cap: 100 }));
      if (!contact?.phone) notified.push({ channel: 'sms', status: 'skipped', reason: 'no_contact' });
      else people.push({ name: contact.name, phone: contact.phone, lang });
    }
    for (const r of (await o.circle?.recipients(userId)) ?? []) {
      if (!r.phone) notified.push({ channel: 'sms', to: r.name, status: 'skipped', reason: 'no_phone' });
      else if (!people.some((p) => samePhone(p.phone, r.phone!))) people.push({ name: r.name, phone: r.phone, lang: r.lang });
    }
    let outcome: MissedDoseOutcome = 'recorded';
    for (const p of people) {
      if (!o.messenger) {
        notified.push({ channel: 'sms', to: p.name, status: 'skipped', reason: 'no_provider' });
        continue;
      }
      const messenger = o.messenger;
      const body = words(p.lang);
      const result = await sendWithRetries('sms', p, () => messenger.sms(p.phone, body), delays, (ok, fields) =>
        (ok ? o.log.info : o.log.warn).call(o.log, { userId, notificationId, ...fields }, ok ? 'caregiver alert sent' : 'caregiver alert failed'),
      );
      notified.push(result);
      if (result.status === 'sent') outcome = 'sent';
      else if (outcome !== 'sent') outcome = 'failed';
    }
    const at = new Date(o.now()).toISOString();
    await health.store.patch('alert', record.id, { notified: notified.slice(0, 20).map((x) => ({ ...x, at: x.at ?? at })) });
    return outcome;
  }
  return { afterMs, check };
}
