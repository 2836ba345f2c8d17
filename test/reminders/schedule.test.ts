import { describe, expect, it } from 'vitest';
import { firesBetween, nextFire } from '../../src/reminders/schedule.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('nextFire', () => {
  it('fires weekdays at 08:00 Asia/Kolkata = 02:30Z, skipping the weekend', () => {
    const alarm = { time: '08:00', days_of_week: ['1', '2', '3', '4', '5'] };
    // Friday 2026-11-27 09:00 IST → next is Monday 2026-11-30 08:00 IST.
    const f = nextFire(alarm, 'Asia/Kolkata', at('2026-11-27T03:30:00Z'))!;
    expect(iso(f.at)).toBe('2026-11-30T02:30:00.000Z');
    expect(f).toMatchObject({ localDate: '2026-11-30', localTime: '08:00' });
    // Just before the fire on a weekday → the same day.
    expect(iso(nextFire(alarm, 'Asia/Kolkata', at('2026-11-26T02:29:59Z'))!.at)).toBe('2026-11-26T02:30:00.000Z');
    // Exactly at the fire → the next one (strictly after).
    expect(iso(nextFire(alarm, 'Asia/Kolkata', at('2026-11-26T02:30:00Z'))!.at)).toBe('2026-11-27T02:30:00.000Z');
  });

  it('keeps the wall-clock time across a DST change in America/New_York', () => {
    const alarm = { time: '08:00', days_of_week: ['1', '2', '3', '4', '5', '6', '7'] };
    // DST ends 2026-11-01: 08:00 EDT = 12:00Z before, 08:00 EST = 13:00Z after.
    const fires = firesBetween(alarm, 'America/New_York', at('2026-10-30T00:00:00Z'), at('2026-11-03T00:00:00Z'));
    expect(fires.map((f) => iso(f.at))).toEqual([
      '2026-10-30T12:00:00.000Z',
      '2026-10-31T12:00:00.000Z',
      '2026-11-01T13:00:00.000Z',
      '2026-11-02T13:00:00.000Z',
    ]);
    // DST starts 2026-03-08: 02:30 does not exist; like Temporal's "compatible" rule it fires an
    // hour later on the wall clock, 03:30 EDT (07:30Z), once, and at 02:30 EST-equivalent the next week.
    const weekly = { time: '02:30', days_of_week: ['7'] };
    const gap = nextFire(weekly, 'America/New_York', at('2026-03-07T12:00:00Z'))!;
    expect(iso(gap.at)).toBe('2026-03-08T07:30:00.000Z');
    expect(iso(nextFire(weekly, 'America/New_York', gap.at)!.at)).toBe('2026-03-15T06:30:00.000Z');
  });

  it('treats "0" as Sunday and handles one-shot alarms on a date', () => {
    const sunday = nextFire({ time: '10:00', days_of_week: ['0'] }, 'UTC', at('2026-11-26T00:00:00Z'))!;
    expect(sunday.localDate).toBe('2026-11-29');
    const once = { time: '09:30', days_of_week: [], date: '2026-12-05' };
    expect(iso(nextFire(once, 'Asia/Kolkata', at('2026-11-26T00:00:00Z'))!.at)).toBe('2026-12-05T04:00:00.000Z');
    expect(nextFire(once, 'Asia/Kolkata', at('2026-12-05T04:00:00Z'))).toBeNull();
    expect(nextFire({ ...once, active: false }, 'Asia/Kolkata', 0)).toBeNull();
  });

  it('finds the right local day when the zone is ahead of UTC by more than the time', () => {
    // 00:15 in Kolkata on Monday is Sunday 18:45Z.
    const f = nextFire({ time: '00:15', days_of_week: ['1'] }, 'Asia/Kolkata', at('2026-11-29T12:00:00Z'))!;
    expect(iso(f.at)).toBe('2026-11-29T18:45:00.000Z');
    expect(f.localDate).toBe('2026-11-30');
  });
});
