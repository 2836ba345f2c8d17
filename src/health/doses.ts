/**
 * Whether a medication reminder was already answered by a logged dose: one rule for the
 * scheduler's "did you take it?" follow-up, the caregiver's missed-dose alert and a spoken "yes".
 */
import { bareId, type AnyItem, type UserHealth } from './service.js';

/** A dose logged up to this long before the reminder fired already answers it (taken early). */
export const DOSE_LOOKBACK_MS = 2 * 3_600_000;

/**
 * The dose logged for `schedule` since its reminder fired at `fireAt` (less the look-back): one
 * logged against the schedule, or against its medication without a schedule. Undefined when none.
 */
export async function doseLoggedSince(
  health: Pick<UserHealth, 'list'>,
  schedule: { id: string; medication_id?: unknown },
  fireAt: number,
): Promise<AnyItem | undefined> {
  const doses = await health.list('medication_log', { from: new Date(fireAt - DOSE_LOOKBACK_MS).toISOString(), limit: 100 });
  const medicationId = bareId(schedule.medication_id);
  return (doses.items).find(
    (d) => bareId(d.schedule_id) === schedule.id || (d.schedule_id === undefined && bareId(d.medication_id) === medicationId),
  );
}
