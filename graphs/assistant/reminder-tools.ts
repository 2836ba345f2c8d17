/**
 * Answers to a reminder the user just heard: "yes" logs the dose of that reminder's schedule,
 * "remind me in 10 minutes" snoozes it. Bound to one user like every tool.
 *
 * Which reminder: the one the voice session says it spoke last (`lastReminderId`), else the
 * user's newest reminder that fired within the last hour. Either way the notification is read from
 * the user's own store (an id from a client can only ever name that user's record), and it must
 * have fired within the hour: a "yes" long after a reminder is not an answer to it.
 */
import { doseLoggedSince, isScheduleTime, repeatedDoseOf } from '../../src/health/doses.js';
import { bareId, type AnyItem } from '../../src/health/service.js';
import { snoozeNotification } from '../../src/reminders/snooze.js';
import { isoInZone, localParts } from './nlu/clock.js';
import { say } from './speech.js';
import type { ToolEnv, ToolResult } from './tools.js';

/** How long after it fired a reminder can still be answered by voice. */
export const ANSWER_WINDOW_MS = 60 * 60_000;
/** Snoozes of snoozes: enough hops to reach the schedule behind any real chain. */
const MAX_HOPS = 4;
export const DEFAULT_SNOOZE_MINUTES = 10;

export interface SpokenReminder {
  /** The notification the user is answering. */
  notification: AnyItem;
  /** For a medication reminder (or a snooze or follow-up of one): the schedule behind it. */
  scheduleId?: string;
  /** When the first reminder of the chain fired (a snoozed one fired earlier than its re-fire). */
  firstFireAt: number;
  /** Unread notifications of the chain, marked read once answered. */
  unread: string[];
}

export function createReminderTools(env: ToolEnv) {
  const { health } = env;
  const nowMs = (): number => env.now().getTime();
  const fresh = (n: AnyItem): boolean => {
    const at = Date.parse(String(n.fire_at));
    return !n.missed && at <= nowMs() + 60_000 && nowMs() - at <= ANSWER_WINDOW_MS;
  };

  /** Follows `notification:<id>` references (snoozes) down to the reminder that named a schedule. */
  async function resolve(n: AnyItem): Promise<SpokenReminder> {
    const out: SpokenReminder = { notification: n, firstFireAt: Date.parse(String(n.fire_at)), unread: [] };
    let cur: AnyItem | null = n;
    for (let hop = 0; cur && hop < MAX_HOPS; hop++) {
      if (!cur.read) out.unread.push(cur.id);
      out.firstFireAt = Math.min(out.firstFireAt, Date.parse(String(cur.fire_at)));
      const ref: string = typeof cur.reference_id === 'string' ? cur.reference_id : '';
      if (ref.startsWith('med_schedule:')) {
        out.scheduleId = bareId(ref);
        break;
      }
      cur = ref.startsWith('notification:') ? ((await health.get('notification', bareId(ref)))) : null;
    }
    return out;
  }

  /**
   * The reminder a short answer refers to. `purpose` dose: a medication reminder with a schedule
   * behind it (answered ones included: a second "yes" must find the dose already logged rather than
   * log another). `snooze`: any reminder not yet answered or snoozed.
   */
  async function spokenReminder(purpose: 'dose' | 'snooze', lastReminderId?: string): Promise<SpokenReminder | undefined> {
    let candidates: AnyItem[];
    if (lastReminderId) {
      // An id the store cannot even parse names no reminder of this user.
      const n = (await health.get('notification', lastReminderId).catch(() => null));
      candidates = n ? [n] : [];
    } else {
      const from = isoInZone(new Date(nowMs() - ANSWER_WINDOW_MS), env.timeZone);
      const to = isoInZone(new Date(nowMs() + 60_000), env.timeZone);
      candidates = (await health.list('notification', { from, to, limit: 20 })).items;
    }
    for (const n of candidates) {
      if (!fresh(n)) continue;
      if (purpose === 'snooze') {
        if (!n.read) return resolve(n);
        continue;
      }
      if (n.type !== 'medication') continue;
      const r = await resolve(n);
      if (r.scheduleId) return r;
    }
    return undefined;
  }

  async function markRead(ids: readonly string[]): Promise<void> {
    const at = env.now().toISOString();
    for (const id of ids) await health.patch('notification', id, { read: true, read_at: at });
  }

  async function medicationOf(scheduleId: string): Promise<{ id: string; name: string } | undefined> {
    const schedule = (await health.get('med_schedule', scheduleId));
    if (!schedule) return undefined;
    const id = bareId(schedule.medication_id);
    const known = env.medications.find((m) => m.id === id);
    if (known) return known;
    const med = (await health.get('medication', id));
    return med ? { id, name: String(med.name) } : undefined;
  }

  /** A dose already logged for the reminder's schedule (the rule the follow-up and caregiver alert use). */
  function loggedDose(r: SpokenReminder, medicationId: string): Promise<AnyItem | undefined> {
    return doseLoggedSince(health, { id: r.scheduleId!, medication_id: medicationId }, r.firstFireAt);
  }

  /**
   * The dose is already logged. To a "yes, I took it" a taken dose is answered as any repeated dose
   * is ("You already took Metformin at 8:05 am"); a "no", or a dose noted as skipped, just says it is noted.
   */
  function alreadyLogged(dose: Record<string, unknown>, medication: string, answer: 'took' | 'no' = 'took'): ToolResult {
    const t = localParts(new Date(String(dose.taken_at)), env.timeZone);
    const time = `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
    const key = answer === 'took' && dose.status !== 'skipped' ? 'medication.already_taken' : 'medication.already_logged';
    return { ok: true, say: [say(key, { medication, time: { time } })], actions: [] };
  }

  /** "yes" / "I skipped it" to a medication reminder: one dose for its schedule, never two. */
  async function answerDose(r: SpokenReminder, status: 'taken' | 'skipped'): Promise<ToolResult> {
    const med = await medicationOf(r.scheduleId!);
    if (!med) return { ok: false, error: 'not_found', say: [say('medication.reminder_gone')] };
    const logged = await loggedDose(r, med.id);
    if (logged) {
      await markRead(r.unread);
      return alreadyLogged(logged, med.name);
    }
    // The dose of the reminder's own slot (its first fire is the dose time), when that is still a
    // time of the schedule; else UserHealth places it by the time it was taken.
    const schedule = await health.get('med_schedule', r.scheduleId!);
    const slot = schedule && isScheduleTime(schedule, r.firstFireAt, env.timeZone) ? { due_at: new Date(r.firstFireAt).toISOString() } : {};
    let item: AnyItem;
    try {
      item = await health.create('medication_log', { schedule_id: `med_schedule:${r.scheduleId}`, ...slot, status, taken_at: isoInZone(env.now(), env.timeZone) });
    } catch (err) {
      const earlier = repeatedDoseOf(err);
      if (!earlier) throw err;
      await markRead(r.unread);
      return alreadyLogged(earlier, med.name);
    }
    await markRead(r.unread);
    return {
      ok: true,
      say: [say(status === 'taken' ? 'medication.dose_logged' : 'medication.dose_skipped', { medication: med.name })],
      actions: [{ type: 'medication_log', id: item.id }],
      data: item,
    };
  }

  /** Whether a named medicine is the one the reminder was about. */
  async function isFor(r: SpokenReminder, medicationId: string): Promise<boolean> {
    return r.scheduleId !== undefined && (await medicationOf(r.scheduleId))?.id === medicationId;
  }

  /** A plain "no": nothing is logged and the reminder stays unanswered (its follow-up still comes). */
  async function declineDose(r: SpokenReminder): Promise<ToolResult> {
    const med = await medicationOf(r.scheduleId!);
    if (!med) return { ok: false, error: 'not_found', say: [say('medication.reminder_gone')] };
    const logged = await loggedDose(r, med.id);
    if (logged) return alreadyLogged(logged, med.name, 'no');
    return { ok: true, say: [say('medication.reminder_declined', { medication: med.name })], actions: [] };
  }

  /**
   * The same effect as POST /api/notifications/:id/snooze: a one-shot alarm copying the reminder,
   * at the next whole minute at or after now + delay in the user's zone, referencing the
   * notification, which is marked read.
   */
  async function snooze(r: SpokenReminder, minutes: number): Promise<ToolResult> {
    const alarm = await snoozeNotification(health, r.notification, minutes, nowMs());
    return { ok: true, say: [say('reminder.snoozed', { minutes })], actions: [{ type: 'alarm', id: alarm.id }], data: alarm };
  }

  return { spokenReminder, isFor, answerDose, declineDose, snooze };
}

export type ReminderTools = ReturnType<typeof createReminderTools>;
