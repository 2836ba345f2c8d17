/**
 * The slot rules of src/health/doses.ts as pure functions: which doses a schedule asks for, which
 * slot a dose satisfies, and the counts every surface shares.
 */
import { describe, expect, it } from 'vitest';
import {
  adherence,
  DOSE_EARLY_MS,
  DOSE_LATE_MS,
  isScheduleTime,
  matchDoses,
  nearestSlot,
  scheduleSlots,
  slotKey,
  slotsBetween,
  slotState,
  type DoseRecord,
  type ScheduleRecord,
} from '../../src/health/doses.js';

const TZ = 'Asia/Kolkata';
const at = (local: string) => Date.parse(`${local}+05:30`);
const DAILY = ['1', '2', '3', '4', '5', '6', '7'];
const med = { id: 'm', name: 'Metformin', updated_at: '2026-03-01T00:00:00Z' };
const schedule = (over: Partial<ScheduleRecord> = {}): ScheduleRecord => ({
  id: 's',
  medication_id: 'medication:m',
  time_of_day: '08:00',
  days_of_week: DAILY,
  created_at: '2026-03-01T00:00:00Z',
  updated_at: '2026-03-01T00:00:00Z',
  ...over,
});
let n = 0;
const dose = (taken: string, over: Partial<DoseRecord> = {}): DoseRecord => ({
  id: `d${++n}`,
  medication_id: 'medication:m',
  status: 'taken',
  taken_at: `${taken}+05:30`,
  created_at: new Date(at(taken)).toISOString(),
  ...over,
});

describe('slots', () => {
  it('are the schedule’s local time on its days, from the minute it was created until it was deactivated', () => {
    // Created 08:00:40 on Monday 2 March (India): that minute's dose counts, Sunday's do not exist.
    const s = schedule({ days_of_week: ['1', '3'], created_at: new Date(at('2026-03-02T08:00:40')).toISOString(), active: false, updated_at: new Date(at('2026-03-09T07:00:00')).toISOString() });
    const slots = scheduleSlots(s, at('2026-03-01T00:00:00'), at('2026-03-20T00:00:00'), TZ);
    expect(slots.map((x) => new Date(x.dueAt).toISOString())).toEqual(['2026-03-02T02:30:00.000Z', '2026-03-04T02:30:00.000Z']);
    expect(slots[0]).toMatchObject({ scheduleId: 's', medicationId: 'm', time: '08:00' });
  });

  it('follow the zone across a DST change, and "0" is Sunday', () => {
    const s = schedule({ days_of_week: ['0'], time_of_day: '09:00' });
    const slots = scheduleSlots(s, Date.parse('2026-03-01T00:00:00Z'), Date.parse('2026-03-16T00:00:00Z'), 'America/New_York');
    // 1 March is EST (UTC-5), 8 and 15 March EDT (UTC-4).
    expect(slots.map((x) => new Date(x.dueAt).toISOString())).toEqual(['2026-03-01T14:00:00.000Z', '2026-03-08T13:00:00.000Z', '2026-03-15T13:00:00.000Z']);
    expect(isScheduleTime(s, Date.parse('2026-03-08T13:00:00Z'), 'America/New_York')).toBe(true);
    expect(isScheduleTime(s, Date.parse('2026-03-08T14:00:00Z'), 'America/New_York')).toBe(false);
    expect(isScheduleTime(s, Date.parse('2026-03-09T13:00:00Z'), 'America/New_York')).toBe(false); // a Monday
  });

  it('end when the medication is deactivated, and a schedule whose medication is gone has none', () => {
    const s = schedule();
    const off = { ...med, active: false, updated_at: new Date(at('2026-03-03T12:00:00')).toISOString() };
    expect(slotsBetween([s], [off], at('2026-03-02T00:00:00'), at('2026-03-06T00:00:00'), TZ)).toHaveLength(2);
    expect(slotsBetween([s], [], at('2026-03-02T00:00:00'), at('2026-03-06T00:00:00'), TZ)).toEqual([]);
  });
});

describe('the slot a dose satisfies', () => {
  const slots = slotsBetween([schedule(), schedule({ id: 'e', time_of_day: '20:00' })], [med], at('2026-03-02T00:00:00'), at('2026-03-04T00:00:00'), TZ);
  const nearest = (t: number, scheduleId?: string) => {
    const s = nearestSlot(slots, { medicationId: 'm', scheduleId, at: t });
    return s && `${s.scheduleId} ${new Date(s.dueAt).toISOString()}`;
  };

  it('is the nearest due from two hours before to six hours after, the earlier one on a tie', () => {
    const eight = at('2026-03-02T08:00:00');
    expect(nearest(eight - DOSE_EARLY_MS)).toBe('s 2026-03-02T02:30:00.000Z');
    expect(nearest(eight - DOSE_EARLY_MS - 1)).toBeUndefined();
    expect(nearest(eight + DOSE_LATE_MS)).toBe('s 2026-03-02T02:30:00.000Z');
    expect(nearest(eight + DOSE_LATE_MS + 1)).toBeUndefined();
    // 14:00 is 6 hours after 08:00 and 6 before 20:00: only 08:00 is in its window. 18:30: 20:00.
    expect(nearest(at('2026-03-02T14:00:00'))).toBe('s 2026-03-02T02:30:00.000Z');
    expect(nearest(at('2026-03-02T18:30:00'))).toBe('e 2026-03-02T14:30:00.000Z');
    const tied = slotsBetween([schedule(), schedule({ id: 't', time_of_day: '10:00' })], [med], at('2026-03-02T00:00:00'), at('2026-03-03T00:00:00'), TZ);
    expect(nearestSlot(tied, { medicationId: 'm', at: at('2026-03-02T09:00:00') })?.scheduleId).toBe('s');
    expect(nearest(at('2026-03-02T19:00:00'), 's')).toBeUndefined();
  });

  it('a named slot stays put, a repeat satisfies nothing, a skip gives way to a taken dose, an extra dose never counts', () => {
    const named = dose('2026-03-02T13:00:00', { schedule_id: 'med_schedule:e', due_at: '2026-03-02T14:30:00.000Z' });
    const first = dose('2026-03-02T08:05:00');
    const repeat = dose('2026-03-02T08:09:00');
    const extra = dose('2026-03-03T08:10:00', { extra: true });
    const skip = dose('2026-03-03T07:00:00', { status: 'skipped' });
    const later = dose('2026-03-03T09:00:00');
    const m = matchDoses(slots, [later, repeat, named, first, extra, skip]);
    const states = slots.map((s) => slotState(s, m));
    expect(states.map((s) => [s.slot.scheduleId, s.status, s.dose?.id])).toEqual([
      ['s', 'taken', first.id],
      ['e', 'taken', named.id],
      ['s', 'taken', later.id],
      ['e', 'due', undefined],
    ]);
    expect(m.bySlot.get(slotKey('s', at('2026-03-03T08:00:00')))).toEqual([skip, later]);
    expect(m.unmatched.map((d) => d.id).sort()).toEqual([repeat.id, extra.id].sort());
  });
});

describe('adherence', () => {
  it('counts only slots since the schedule existed, up to now, plus one taken early; repeats and extras are extra', () => {
    const s = schedule({ created_at: new Date(at('2026-03-02T09:00:00')).toISOString() });
    const r = adherence({
      schedules: [s],
      medications: [med],
      doses: [dose('2026-03-03T08:05:00'), dose('2026-03-03T08:06:00'), dose('2026-03-04T08:01:00', { extra: true }), dose('2026-03-05T07:30:00')],
      fromMs: at('2026-03-01T00:00:00'),
      toMs: at('2026-03-06T00:00:00'),
      // Now 07:45 on the 5th: that day's dose is not due yet but already taken, so it counts.
      nowMs: at('2026-03-05T07:45:00'),
      timezone: TZ,
    });
    // Due: 3rd and 4th (2nd's was before the schedule existed) + the 5th taken early.
    expect(r).toMatchObject({ scheduled: 3, taken: 2, skipped: 0, extra: 2, adherence: 0.667 });
    expect(r.per_medication).toEqual([{ medication_id: 'medication:m', name: 'Metformin', scheduled: 3, taken: 2, skipped: 0, extra: 2, adherence: 0.667 }]);
  });

  it('a schedule created seconds ago has nothing scheduled yet', () => {
    const now = at('2026-03-09T10:00:00');
    const r = adherence({ schedules: [schedule({ created_at: new Date(now - 5_000).toISOString() })], medications: [med], doses: [], fromMs: now - 7 * 86_400_000, toMs: now, nowMs: now, timezone: TZ });
    expect(r).toMatchObject({ scheduled: 0, taken: 0, adherence: null });
  });
});
