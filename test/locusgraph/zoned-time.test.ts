import { describe, expect, it } from 'vitest';
import { datesBetween, isoWeekday, localDate, zonedTimeToUtc } from '../../src/locusgraph/zoned-time.js';

const iso = (ms: number) => new Date(ms).toISOString();

describe('zoned time', () => {
  it('turns a local date and time into the instant, fixed and DST zones alike', () => {
    expect(iso(zonedTimeToUtc('2026-02-18', '08:00', 'Asia/Kolkata'))).toBe('2026-02-18T02:30:00.000Z');
    expect(iso(zonedTimeToUtc('2026-01-15', '08:00', 'America/New_York'))).toBe('2026-01-15T13:00:00.000Z');
    expect(iso(zonedTimeToUtc('2026-07-15', '08:00', 'America/New_York'))).toBe('2026-07-15T12:00:00.000Z');
  });

  it('moves a wall time inside a spring-forward gap forward, and takes the first of a repeated hour', () => {
    expect(iso(zonedTimeToUtc('2026-03-08', '02:30', 'America/New_York'))).toBe('2026-03-08T07:30:00.000Z');
    expect(iso(zonedTimeToUtc('2026-11-01', '01:30', 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
  });

  it('gives the local calendar date of an instant', () => {
    expect(localDate(Date.parse('2026-02-17T20:00:00Z'), 'Asia/Kolkata')).toBe('2026-02-18');
    expect(localDate(Date.parse('2026-02-17T20:00:00Z'), 'UTC')).toBe('2026-02-17');
    expect(localDate(Date.parse('2026-03-08T04:59:00Z'), 'America/New_York')).toBe('2026-03-07');
    expect(localDate(Date.parse('2026-03-08T05:00:00Z'), 'America/New_York')).toBe('2026-03-08');
  });

  it('counts weekdays the ISO way and walks dates across month ends', () => {
    expect(isoWeekday('2026-03-02')).toBe(1);
    expect(isoWeekday('2026-03-08')).toBe(7);
    expect(datesBetween('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(datesBetween('2026-03-02', '2026-03-01')).toEqual([]);
  });
});
