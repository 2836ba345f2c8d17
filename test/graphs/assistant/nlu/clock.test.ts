import { describe, expect, it } from 'vitest';
import { addDays, isValidTimeZone, isoInZone, localParts, offsetMinutes, zonedToInstant } from '../../../../graphs/assistant/nlu/clock.js';

describe('clock', () => {
  it('reads wall time and offset in a zone', () => {
    const t = new Date('2025-03-10T07:45:30Z');
    expect(localParts(t, 'Asia/Kolkata')).toEqual({ year: 2025, month: 3, day: 10, hour: 13, minute: 15, second: 30, weekday: 1 });
    expect(offsetMinutes(t, 'Asia/Kolkata')).toBe(330);
    expect(isoInZone(t, 'Asia/Kolkata')).toBe('2025-03-10T13:15:30+05:30');
    expect(isoInZone(t, 'Asia/Kathmandu')).toBe('2025-03-10T13:30:30+05:45');
  });

  it('stays right on both sides of a daylight-saving change', () => {
    // New York springs forward at 2025-03-09 07:00Z (02:00 local → 03:00 local).
    expect(isoInZone(new Date('2025-03-09T06:59:00Z'), 'America/New_York')).toBe('2025-03-09T01:59:00-05:00');
    expect(isoInZone(new Date('2025-03-09T07:00:00Z'), 'America/New_York')).toBe('2025-03-09T03:00:00-04:00');
    expect(zonedToInstant({ year: 2025, month: 3, day: 9 }, 9, 0, 'America/New_York').toISOString()).toBe('2025-03-09T13:00:00.000Z');
    expect(zonedToInstant({ year: 2025, month: 3, day: 8 }, 9, 0, 'America/New_York').toISOString()).toBe('2025-03-08T14:00:00.000Z');
    expect(zonedToInstant({ year: 2025, month: 10, day: 26 }, 9, 0, 'Europe/London').toISOString()).toBe('2025-10-26T09:00:00.000Z');
  });

  it('does calendar arithmetic across months and leap years', () => {
    expect(addDays({ year: 2024, month: 2, day: 28 }, 1)).toEqual({ year: 2024, month: 2, day: 29 });
    expect(addDays({ year: 2025, month: 12, day: 31 }, 1)).toEqual({ year: 2026, month: 1, day: 1 });
  });

  it('knows a real zone from a made-up one', () => {
    expect(isValidTimeZone('Asia/Kolkata')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
