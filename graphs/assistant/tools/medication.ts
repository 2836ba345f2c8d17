/**
 * Medication tools: which medicine a name means, which doses are due, and logging a dose taken or
 * skipped (the dose's stock and alarm rules run in UserHealth, as for the REST routes).
 */
import { z } from 'zod';
import { isoWeekday, localParts } from '../nlu/clock.js';
import { findMedication } from '../nlu/medication.js';
import { normalize } from '../nlu/normalize.js';
import type { PartOfDay } from '../nlu/types.js';
import { label, say, type Spoken } from '../speech.js';
import { commit, fail, nowIso, type MedicationInfo, type ToolEnv, type ToolResult } from './core.js';

export const logDoseInput = z.object({
  medication: z.string().max(200).optional().describe('name as the user said it; omit for "the doses due now"'),
  status: z.enum(['taken', 'skipped']).default('taken'),
  part_of_day: z.enum(['morning', 'afternoon', 'evening', 'night']).optional(),
});

export type LogDoseInput = z.input<typeof logDoseInput>;

export const POD_HOURS: Record<PartOfDay, [number, number]> = { morning: [4, 12], afternoon: [12, 17], evening: [17, 21], night: [21, 28] };

export function medicationTools(env: ToolEnv) {
  const { health, timeZone } = env;

  function medicationByName(name: string): MedicationInfo | undefined {
    const lower = name.trim().toLowerCase();
    const exact = env.medications.find((m) => m.name.toLowerCase() === lower);
    if (exact) return exact;
    const matched = findMedication(normalize(name), env.medications.map((m) => m.name), false);
    return matched ? env.medications.find((m) => m.name === matched) : undefined;
  }

  /** Active schedules of active medications due today within the window, oldest first. */
  async function schedulesDue(pod?: PartOfDay): Promise<Array<{ scheduleId: string; med: MedicationInfo; time: string }>> {
    const now = env.now();
    const local = localParts(now, timeZone);
    const weekday = String(isoWeekday(local));
    const minutesNow = local.hour * 60 + local.minute;
    const [lo, hi] = pod ? [POD_HOURS[pod][0] * 60, POD_HOURS[pod][1] * 60] : [minutesNow - 180, minutesNow + 60];
    const out: Array<{ scheduleId: string; med: MedicationInfo; time: string }> = [];
    for (const s of await health.all('med_schedule')) {
      if (s.active === false) continue;
      const days = (s.days_of_week as string[]).map((d) => (d === '0' ? '7' : d));
      if (!days.includes(weekday)) continue;
      const [h, m] = String(s.time_of_day).split(':').map(Number) as [number, number];
      const at = h * 60 + m;
      if (at < lo || at > hi) continue;
      const med = env.medications.find((x) => `medication:${x.id}` === s.medication_id);
      if (med) out.push({ scheduleId: s.id, med, time: String(s.time_of_day) });
    }
    return out.sort((a, b) => a.time.localeCompare(b.time));
  }

  async function logDose(raw: LogDoseInput): Promise<ToolResult> {
    const input = logDoseInput.parse(raw);
    const takenAt = nowIso(env);
    const payloads: Array<{ payload: Record<string, unknown>; med: MedicationInfo }> = [];
    if (input.medication) {
      const med = medicationByName(input.medication);
      if (!med) return fail('not_found', [say('medication.unknown', { medication: input.medication })], ['medication']);
      payloads.push({ med, payload: { medication_id: `medication:${med.id}`, status: input.status, taken_at: takenAt } });
    } else {
      const due = await schedulesDue(input.part_of_day);
      const seen = new Set<string>();
      for (const d of due) {
        if (seen.has(d.med.id)) continue;
        seen.add(d.med.id);
        payloads.push({ med: d.med, payload: { schedule_id: `med_schedule:${d.scheduleId}`, medication_id: `medication:${d.med.id}`, status: input.status, taken_at: takenAt } });
      }
      if (!payloads.length && env.medications.length === 1) {
        const med = env.medications[0]!;
        payloads.push({ med, payload: { medication_id: `medication:${med.id}`, status: input.status, taken_at: takenAt } });
      }
      if (!payloads.length) return fail('missing', [say('clarify.medication')], ['medication']);
    }
    const names: Spoken = { list: payloads.map((p) => p.med.name) };
    const s = input.status === 'skipped'
      ? say('medication.dose_skipped', { medication: names })
      : !input.medication && input.part_of_day && payloads.length > 1
        ? say('medication.dose_logged_generic', { part_of_day: label(input.part_of_day) })
        : say('medication.dose_logged', { medication: names });
    const r = await commit(env, payloads.map((p) => ({ type: 'medication_log' as const, payload: p.payload, say: [] })));
    return r.ok ? { ...r, say: [s] } : r;
  }

  return { medicationByName, schedulesDue, logDose };
}
