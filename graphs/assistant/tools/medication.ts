/**
 * Medication tools: which medicine a name means, which doses are due, and logging a dose taken or
 * skipped (the dose's slot, repeat, stock and alarm rules run in UserHealth, as for the REST routes).
 */
import { z } from 'zod';
import { AppError } from '../../../src/errors.js';
import { repeatedDoseOf, slotsBetween, type Slot } from '../../../src/health/doses.js';
import { localDate, zonedTimeToUtc } from '../../../src/locusgraph/zoned-time.js';
import { localParts } from '../nlu/clock.js';
import { findMedication } from '../nlu/medication.js';
import { normalize } from '../nlu/normalize.js';
import type { PartOfDay } from '../nlu/types.js';
import { label, localHhmm, say, type Say, type Spoken } from '../speech.js';
import { fail, nowIso, type MedicationInfo, type ToolEnv, type ToolResult } from './core.js';

export const logDoseInput = z.object({
  medication: z.string().max(200).optional().describe('name as the user said it; omit for "the doses due now"'),
  status: z.enum(['taken', 'skipped']).default('taken'),
  part_of_day: z.enum(['morning', 'afternoon', 'evening', 'night']).optional(),
  extra: z.boolean().optional().describe('true only when the user says it was an extra dose ("one more", "an extra one"); a repeat of a dose already taken is otherwise refused'),
});

export type LogDoseInput = z.input<typeof logDoseInput>;

export const POD_HOURS: Record<PartOfDay, [number, number]> = { morning: [4, 12], afternoon: [12, 17], evening: [17, 21], night: [21, 28] };

const MINUTE = 60_000;

export interface DueSlot {
  slot: Slot;
  med: MedicationInfo;
}

export function medicationTools(env: ToolEnv) {
  const { health, timeZone } = env;

  function medicationByName(name: string): MedicationInfo | undefined {
    const lower = name.trim().toLowerCase();
    const exact = env.medications.find((m) => m.name.toLowerCase() === lower);
    if (exact) return exact;
    const matched = findMedication(normalize(name), env.medications.map((m) => m.name), false);
    return matched ? env.medications.find((m) => m.name === matched) : undefined;
  }

  /**
   * Scheduled doses (slots, src/health/doses.ts) of active medications in the window, oldest first:
   * the part of day asked about (a night runs to 04:00, and after midnight means the night before),
   * else from three hours ago to an hour from now.
   */
  async function schedulesDue(pod?: PartOfDay): Promise<DueSlot[]> {
    const now = env.now().getTime();
    const local = localParts(env.now(), timeZone);
    let from: number;
    let to: number;
    if (pod) {
      const night = pod === 'night' && local.hour < POD_HOURS.morning[0];
      const day = night ? localDate(now - 12 * 60 * MINUTE, timeZone) : localDate(now, timeZone);
      const dayStart = zonedTimeToUtc(day, '00:00', timeZone);
      [from, to] = [dayStart + POD_HOURS[pod][0] * 60 * MINUTE, dayStart + POD_HOURS[pod][1] * 60 * MINUTE];
    } else {
      [from, to] = [now - 180 * MINUTE, now + 60 * MINUTE + 1];
    }
    const [schedules, medications] = await Promise.all([health.all('med_schedule'), health.all('medication')]);
    const out: DueSlot[] = [];
    for (const slot of slotsBetween(schedules, medications, from, to, timeZone)) {
      const med = env.medications.find((x) => x.id === slot.medicationId);
      if (med) out.push({ slot, med });
    }
    return out;
  }

  /** Per medication, its slot nearest to now. */
  function nearestPerMedication(due: readonly DueSlot[]): DueSlot[] {
    const now = env.now().getTime();
    const best = new Map<string, DueSlot>();
    for (const d of due) {
      const b = best.get(d.med.id);
      if (!b || Math.abs(d.slot.dueAt - now) < Math.abs(b.slot.dueAt - now)) best.set(d.med.id, d);
    }
    return due.filter((d) => best.get(d.med.id) === d);
  }

  const slotFields = (slot: Slot) => ({ schedule_id: `med_schedule:${slot.scheduleId}`, due_at: new Date(slot.dueAt).toISOString() });

  /**
   * Logs a dose taken or skipped. UserHealth links it to the scheduled dose it satisfies and
   * refuses a repeat of one already logged: that is answered with the time of the earlier dose
   * ("You already took Metformin at 8:05 am"), and nothing is written, unless the user says it was
   * an extra dose.
   */
  async function logDose(raw: LogDoseInput): Promise<ToolResult> {
    const input = logDoseInput.parse(raw);
    const takenAt = nowIso(env);
    const extra = input.extra === true && input.status === 'taken';
    const dose = (med: MedicationInfo, slot?: Slot) => ({
      med,
      payload: { medication_id: `medication:${med.id}`, ...(slot && !extra ? slotFields(slot) : {}), status: input.status, taken_at: takenAt, ...(extra ? { extra: true } : {}) },
    });
    const payloads: Array<ReturnType<typeof dose>> = [];
    if (input.medication) {
      const med = medicationByName(input.medication);
      if (!med) return fail('not_found', [say('medication.unknown', { medication: input.medication })], ['medication']);
      // "my morning Metformin": the morning dose, when the schedule has one.
      const slot = input.part_of_day ? nearestPerMedication((await schedulesDue(input.part_of_day)).filter((d) => d.med.id === med.id))[0]?.slot : undefined;
      payloads.push(dose(med, slot));
    } else {
      for (const d of nearestPerMedication(await schedulesDue(input.part_of_day))) payloads.push(dose(d.med, d.slot));
      if (!payloads.length && env.medications.length === 1) payloads.push(dose(env.medications[0]!));
      if (!payloads.length) return fail('missing', [say('clarify.medication')], ['medication']);
    }

    const written: Array<{ med: MedicationInfo; item: { id: string } }> = [];
    const repeats: Say[] = [];
    for (const p of payloads) {
      try {
        written.push({ med: p.med, item: await health.create('medication_log', p.payload) });
      } catch (err) {
        const earlier = repeatedDoseOf(err);
        if (earlier) {
          const time = { time: localHhmm(earlier.taken_at, timeZone) };
          repeats.push(earlier.status === 'taken' ? say('medication.already_taken', { medication: p.med.name, time }) : say('medication.already_logged', { medication: p.med.name, time }));
          continue;
        }
        if (err instanceof AppError && err.code === 'VALIDATION_ERROR') return fail('invalid', [say('clarify.invalid')]);
        throw err;
      }
    }
    const names: Spoken = { list: written.map((w) => w.med.name) };
    const confirmation = !written.length
      ? []
      : input.status === 'skipped'
        ? [say('medication.dose_skipped', { medication: names })]
        : extra
          ? [say('medication.extra_logged', { medication: names })]
          : !input.medication && input.part_of_day && written.length > 1 && !repeats.length
            ? [say('medication.dose_logged_generic', { part_of_day: label(input.part_of_day) })]
            : [say('medication.dose_logged', { medication: names })];
    return {
      ok: true,
      say: [...confirmation, ...repeats],
      actions: written.map((w) => ({ type: 'medication_log', id: w.item.id })),
      data: written.map((w) => w.item),
    };
  }

  return { medicationByName, schedulesDue, logDose };
}
