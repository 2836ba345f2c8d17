/**
 * Keeps alarms in step with what they come from: a medication schedule owns one alarm
 * (`sched-<schedule id>`), an appointment owns a one-shot alarm (`appt-<appointment id>`) at
 * scheduled_at − reminder_minutes_before, and user alarms are indexed as they change. Runs as a
 * HealthService change listener, so REST and voice writes behave the same.
 */
import { localDate, localTime } from '../locusgraph/zoned-time.js';
import type { UserHealthStore } from '../locusgraph/health.js';
import { bareId, type AnyItem, type ChangeEvent, type ChangeListener } from '../health/service.js';
import type { ReminderScheduler } from './scheduler.js';
import { preferencesOf, profileOf, type Preferences } from '../health/preferences.js';
import { renderReminder } from '../../prompts/reminders.js';
import { allPages } from '../locusgraph/port.js';

export const DEFAULT_APPOINTMENT_REMINDER_MIN = 60;
export const DEFAULT_REFILL_DAYS = 5;

export const scheduleAlarmId = (scheduleId: string) => `sched-${scheduleId}`;
export const appointmentAlarmId = (appointmentId: string) => `appt-${appointmentId}`;

/** What a medication's alarms are made of (syncSchedule): a change elsewhere leaves them as they are. */
const ALARM_FIELDS = ['name', 'dosage', 'instructions', 'active'] as const;

export function createAlarmSync(scheduler: ReminderScheduler, opts: { defaultTimezone: string; now?: () => number }): ChangeListener {
  const now = opts.now ?? Date.now;

  async function prefs(store: UserHealthStore): Promise<Preferences> {
    return preferencesOf(await profileOf(store), opts.defaultTimezone);
  }

  async function removeAlarm(store: UserHealthStore, alarmId: string) {
    await store.deleteEvent('alarm', alarmId);
    await scheduler.alarmChanged(store.userId, alarmId);
  }

  async function syncSchedule(store: UserHealthStore, schedule: AnyItem) {
    const medication = (await store.get('medication', bareId(schedule.medication_id)));
    const alarmId = scheduleAlarmId(schedule.id);
    if (!medication) return removeAlarm(store, alarmId);
    const { lang } = await prefs(store);
    const name = String(medication.name);
    const values = {
      name,
      dose: medication.dosage ? `, ${medication.dosage}` : '',
      instructions: medication.instructions ? `, ${String(medication.instructions).replace(/[.।]\s*$/, '')}` : '',
    };
    await store.upsert('alarm', alarmId, {
      type: 'medication',
      title: renderReminder(lang, 'medication.title', values),
      message: renderReminder(lang, 'medication.message', values),
      time: schedule.time_of_day,
      days_of_week: schedule.days_of_week,
      active: schedule.active !== false && medication.active !== false,
      reference_id: `med_schedule:${schedule.id}`,
    });
    await scheduler.alarmChanged(store.userId, alarmId);
  }

  async function syncAppointment(store: UserHealthStore, appointment: AnyItem) {
    const alarmId = appointmentAlarmId(appointment.id);
    const { timeZone: tz, lang } = await prefs(store);
    const minutes = (appointment.reminder_minutes_before as number | undefined) ?? DEFAULT_APPOINTMENT_REMINDER_MIN;
    const scheduledAt = Date.parse(String(appointment.scheduled_at));
    // Whole minutes: alarms are HH:MM, and a reminder must not be later than asked for.
    const at = Math.floor((scheduledAt - minutes * 60_000) / 60_000) * 60_000;
    if (at <= now()) return removeAlarm(store, alarmId);
    const title = String(appointment.title);
    await store.upsert('alarm', alarmId, {
      type: 'appointment',
      title: renderReminder(lang, 'appointment.title', { title }),
      message: renderReminder(lang, 'appointment.message', {
        title,
        doctor: appointment.doctor_name ? (lang === 'hi' ? `, ${appointment.doctor_name} के साथ` : ` with ${appointment.doctor_name}`) : '',
        time: localTime(scheduledAt, tz),
        location: appointment.location ? `, ${appointment.location}` : '',
      }),
      time: localTime(at, tz),
      days_of_week: [],
      date: localDate(at, tz),
      active: true,
      reference_id: `appointment:${appointment.id}`,
    });
    await scheduler.alarmChanged(store.userId, alarmId);
  }

  async function schedulesOf(store: UserHealthStore, medicationId: string) {
    const all = await allPages((cursor) => store.list('med_schedule', { limit: 100, cursor }), 100);
    return all.filter((s) => bareId(s.medication_id) === medicationId);
  }

  /**
   * Each taken dose decrements `quantity`; when fewer than `refill_days` (default 5) days of
   * doses remain, one refill reminder per local day.
   */
  async function checkRefill(store: UserHealthStore, medication: AnyItem, previous?: AnyItem) {
    const quantity = medication.quantity;
    if (typeof quantity !== 'number' || typeof previous?.quantity !== 'number' || quantity >= previous.quantity) return;
    const perDay = (await schedulesOf(store, medication.id))
      .filter((s) => s.active !== false)
      .reduce((sum, s) => sum + (Array.isArray(s.days_of_week) ? s.days_of_week.length : 0) / 7, 0);
    if (perDay === 0) return;
    const days = quantity / perDay;
    const threshold = (medication.refill_days as number | undefined) ?? DEFAULT_REFILL_DAYS;
    if (days >= threshold) return;
    const { timeZone: tz, lang } = await prefs(store);
    const values = { name: String(medication.name), days: Math.floor(days) };
    await scheduler.notify(
      store,
      {
        title: renderReminder(lang, 'refill.title', values),
        message: renderReminder(lang, 'refill.message', values),
        type: 'medication',
        read: false,
        fire_at: new Date(now()).toISOString(),
        reference_id: `medication:${medication.id}`,
      },
      `refill-${medication.id}-${localDate(now(), tz)}`,
    );
  }

  return async (store: UserHealthStore, change: ChangeEvent) => {
    const { type, op, item } = change;
    switch (type) {
      case 'med_schedule':
        return op === 'delete' ? removeAlarm(store, scheduleAlarmId(item.id)) : syncSchedule(store, item);
      case 'medication':
        if (op === 'update') await checkRefill(store, item, change.previous);
        // A taken dose only changes the stock: its alarms say the same, so they are not rewritten.
        if (op === 'update' && change.previous && ALARM_FIELDS.every((f) => item[f] === change.previous![f])) return;
        for (const s of await schedulesOf(store, item.id)) {
          if (op === 'delete') {
            // A schedule cannot outlive its medication: its reminders stop with it.
            await store.deleteEvent('med_schedule', s.id);
            await removeAlarm(store, scheduleAlarmId(s.id));
          } else {
            await syncSchedule(store, s);
          }
        }
        return;
      case 'appointment':
        return op === 'delete' ? removeAlarm(store, appointmentAlarmId(item.id)) : syncAppointment(store, item);
      case 'alarm':
        return scheduler.alarmChanged(store.userId, item.id);
      case 'profile':
        return scheduler.userChanged(store.userId);
      default:
        return;
    }
  };
}
