/**
 * Reminder tools: alarms (repeating on weekdays or once) and doctor appointments. Answers to a
 * reminder just spoken ("yes", "later") are ../reminder-tools.ts.
 */
import { z } from 'zod';
import { AppError } from '../../../src/errors.js';
import { addDays, localParts, ymd } from '../nlu/clock.js';
import type { AlarmType } from '../nlu/types.js';
import { label, say, type Spoken } from '../speech.js';
import { commit, fail, validPayload, type ToolEnv, type ToolResult } from './core.js';

export const createAlarmInput = z.object({
  alarm_type: z.enum(['water', 'medication', 'meal', 'meditation', 'custom']),
  title: z.string().min(1).max(200),
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/).describe('local HH:MM, 24-hour'),
  days_of_week: z.array(z.number().int().min(1).max(7)).max(7).optional().describe('1 = Monday … 7 = Sunday; omit for a one-off'),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().describe('local YYYY-MM-DD for a one-off'),
});
export const createAppointmentInput = z.object({
  title: z.string().min(1).max(200),
  doctor: z.string().max(200).optional(),
  scheduled_at: z.iso.datetime({ offset: true }).describe('ISO 8601 with the user offset'),
});

export type CreateAlarmInput = z.input<typeof createAlarmInput>;
export type CreateAppointmentInput = z.input<typeof createAppointmentInput>;

export function reminderTools(env: ToolEnv) {
  const { timeZone } = env;

  async function createAlarm(raw: CreateAlarmInput): Promise<ToolResult> {
    const input = createAlarmInput.parse(raw);
    const days = input.days_of_week?.length ? [...new Set(input.days_of_week)].sort() : undefined;
    let date = days ? undefined : input.date;
    if (!days && !date) {
      // A one-off with no day: the next time that clock time comes round.
      const local = localParts(env.now(), timeZone);
      const [h, m] = input.time.split(':').map(Number) as [number, number];
      date = ymd(h * 60 + m > local.hour * 60 + local.minute ? local : addDays(local, 1));
    }
    const payload: Record<string, unknown> = {
      type: input.alarm_type as AlarmType,
      title: input.title,
      time: input.time,
      days_of_week: days ? days.map(String) : [],
      active: true,
      ...(date ? { date } : {}),
    };
    if (!validPayload('alarm', payload)) return fail('invalid', [say('clarify.time')], ['time']);
    const when: Spoken = days
      ? days.length === 7
        ? { nested: say('labels.every_day', { time: { time: input.time } }) }
        : { nested: say('labels.weekly', { days: { list: days.map((d) => label(`day_${d}` as 'day_1')) }, time: { time: input.time } }) }
      : { nested: say('labels.once', { date: { date: date! }, time: { time: input.time } }) };
    return commit(env, [{ type: 'alarm', payload, say: [say('reminder.alarm_set', { title: input.title, when })] }]);
  }

  async function createAppointment(raw: CreateAppointmentInput): Promise<ToolResult> {
    const input = createAppointmentInput.parse(raw);
    if (Date.parse(input.scheduled_at) <= env.now().getTime()) return fail('past', [say('clarify.past')], ['date']);
    const payload: Record<string, unknown> = {
      title: input.title,
      scheduled_at: input.scheduled_at,
      reminder_minutes_before: 60,
      ...(input.doctor ? { doctor_name: input.doctor } : {}),
    };
    const local = localParts(new Date(input.scheduled_at), timeZone);
    const s = say('reminder.appointment_set', {
      with_doctor: input.doctor ? { nested: say('labels.with_doctor', { doctor: input.doctor }) } : '',
      date: { date: ymd(local) },
      time: { time: `${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}` },
    });
    try {
      return await commit(env, [{ type: 'appointment', payload, say: [s] }]);
    } catch (err) {
      if (err instanceof AppError && err.code === 'VALIDATION_ERROR') return fail('past', [say('clarify.past')], ['date']);
      throw err;
    }
  }

  return { createAlarm, createAppointment };
}
