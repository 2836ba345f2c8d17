import { describe, expect, it } from 'vitest';
import { findRecurrence, normalize, parseDate, parseDuration, parseSleep, parseTime } from '../../../../graphs/assistant/nlu/index.js';

// Monday 10 March 2025, 13:15 in India.
const ctx = { now: new Date('2025-03-10T13:15:00+05:30'), timeZone: 'Asia/Kolkata' };

describe('parseTime', () => {
  it.each([
    ['at 4 pm', { time: '16:00', date: '2025-03-10', iso: '2025-03-10T16:00:00+05:30' }],
    ['shaam 4 baje', { time: '16:00', date: '2025-03-10' }],
    ['शाम 4 बजे', { time: '16:00' }],
    ['subah 7 baje', { time: '07:00', date: '2025-03-11' }],
    ['raat 10 baje', { time: '22:00' }],
    ['raat 2 baje', { time: '02:00' }],
    ['dopahar 2 baje', { time: '14:00' }],
    ['दोपहर 12 बजे', { time: '12:00' }],
    ['saadhe das baje', { time: '10:30' }],
    ['साढ़े दस बजे', { time: '10:30' }],
    ['sawa aath baje', { time: '08:15' }],
    ['paune nau baje subah', { time: '08:45' }],
    ['at 10:45 am', { time: '10:45' }],
    ['at 10.30 pm', { time: '22:30' }],
    ['at two thirty pm', { time: '14:30' }],
    ['5th December at 10 am', { time: '10:00', date: '2025-12-05', iso: '2025-12-05T10:00:00+05:30' }],
    ['December 5 at 10 am', { date: '2025-12-05' }],
    ['on the 5th of December at 9', { date: '2025-12-05', time: '09:00' }],
    ['2 january at 8 pm', { date: '2026-01-02', time: '20:00' }],
    ['tomorrow morning', { time: '08:00', date: '2025-03-11', part_of_day: 'morning' }],
    ['tomorrow evening', { time: '18:00', date: '2025-03-11' }],
    ['in 10 minutes', { time: '13:25', date: '2025-03-10', relative: true }],
    ['10 minute baad', { time: '13:25', relative: true }],
    ['do ghante baad', { time: '15:15', relative: true }],
    ['after half an hour', { time: '13:45', relative: true }],
    ['every day at 8', { time: '08:00', days_of_week: [1, 2, 3, 4, 5, 6, 7] }],
    ['har roz shaam 5 baje', { time: '17:00', days_of_week: [1, 2, 3, 4, 5, 6, 7] }],
    ['हर दिन सुबह 6 बजे', { time: '06:00', days_of_week: [1, 2, 3, 4, 5, 6, 7] }],
    ['weekdays at 9 pm', { time: '21:00', days_of_week: [1, 2, 3, 4, 5] }],
    ['every Monday and Thursday at 7 am', { time: '07:00', days_of_week: [1, 4] }],
    ['on Friday at 11', { time: '11:00', date: '2025-03-14' }],
    ['next monday at 9 am', { date: '2025-03-17' }],
    ['शुक्रवार को 11 बजे', { date: '2025-03-14', time: '11:00' }],
    ['5 tarikh ko 11 baje', { date: '2025-04-05', time: '11:00' }],
    ['15 तारीख को 10 बजे', { date: '2025-03-15', time: '10:00' }],
    ['parson subah 9 baje doctor appointment', { date: '2025-03-12', time: '09:00' }],
  ])('%s', (input, expected) => {
    expect(parseTime(input, ctx)).toMatchObject(expected);
  });

  it('moves a time already passed today to tomorrow for a one-off reminder', () => {
    expect(parseTime('at 9 am', ctx)).toMatchObject({ time: '09:00', date: '2025-03-11' });
  });

  it('returns undefined when no time or date is said', () => {
    expect(parseTime('drink water', ctx)).toBeUndefined();
    expect(parseTime('walked 30 minutes', ctx)).toBeUndefined();
  });

  it('honours other zones and their offsets', () => {
    const ny = { now: new Date('2025-07-01T12:00:00Z'), timeZone: 'America/New_York' };
    expect(parseTime('tomorrow at 9 am', ny)).toMatchObject({ date: '2025-07-02', iso: '2025-07-02T09:00:00-04:00' });
  });
});

describe('parseDate', () => {
  it.each([
    ['today', '2025-03-10'],
    ['aaj', '2025-03-10'],
    ['yesterday', '2025-03-09'],
    ['kal mera BP kya tha', '2025-03-09'],
    ['kal subah yaad dilana', '2025-03-11'],
    ['day after tomorrow', '2025-03-12'],
    ['on Sunday', '2025-03-16'],
    ['20th March', '2025-03-20'],
    ['1st March', '2026-03-01'],
    ['25 दिसंबर', '2025-12-25'],
    ['the 31st of April', undefined],
  ])('%s → %s', (input, expected) => {
    expect(parseDate(input, ctx)).toBe(expected);
  });
});

describe('parseDuration', () => {
  it.each([
    ['30 minutes', 30],
    ['45 min', 45],
    ['aadha ghanta', 30],
    ['1.5 hours', 90],
    ['an hour', 60],
    ['half an hour', 30],
    ['one and a half hours', 90],
    ['2 hours and 15 minutes', 135],
    ['dedh ghanta', 90],
    ['do ghante', 120],
    ['पौने दो घंटे', 105],
    ['चालीस मिनट', 40],
  ])('%s → %d minutes', (input, minutes) => {
    expect(parseDuration(input)).toBe(minutes);
  });

  it('is undefined without a duration', () => {
    expect(parseDuration('walked to the park')).toBeUndefined();
  });
});

describe('parseSleep', () => {
  it.each([
    ['slept at 11, woke at 6', '2025-03-09T23:00:00+05:30', '2025-03-10T06:00:00+05:30', 7],
    ['raat 11 baje soya aur subah 6 baje utha', '2025-03-09T23:00:00+05:30', '2025-03-10T06:00:00+05:30', 7],
    ['रात 10 बजे सोया और सुबह 5 बजे उठा', '2025-03-09T22:00:00+05:30', '2025-03-10T05:00:00+05:30', 7],
    ['slept from 10:30 pm to 5:45 am', '2025-03-09T22:30:00+05:30', '2025-03-10T05:45:00+05:30', 7.25],
    ['went to bed at 12 and got up at 7', '2025-03-10T00:00:00+05:30', '2025-03-10T07:00:00+05:30', 7],
    ['soya 1 baje utha 8 baje', '2025-03-10T01:00:00+05:30', '2025-03-10T08:00:00+05:30', 7],
  ])('%s', (input, start, end, hours) => {
    expect(parseSleep(input, ctx)).toEqual({ sleep_start: start, sleep_end: end, hours });
  });

  it('reads a plain number of hours', () => {
    expect(parseSleep('I slept 7 hours', ctx)).toEqual({ hours: 7 });
    expect(parseSleep('dedh ghanta soya', ctx)).toEqual({ hours: 1.5 });
    expect(parseSleep('सिर्फ 5 घंटे नींद आई', ctx)).toEqual({ hours: 5 });
  });

  it('puts a wake time later than now on the previous day', () => {
    // now is 13:15, so "woke at 2 pm" … cannot be today
    const early = { now: new Date('2025-03-10T05:00:00+05:30'), timeZone: 'Asia/Kolkata' };
    expect(parseSleep('slept at 11 woke at 6', early).sleep_end).toBe('2025-03-09T06:00:00+05:30');
  });
});

describe('findRecurrence', () => {
  it.each([
    ['every day', [1, 2, 3, 4, 5, 6, 7]],
    ['har roz', [1, 2, 3, 4, 5, 6, 7]],
    ['रोज़', [1, 2, 3, 4, 5, 6, 7]],
    ['on weekdays', [1, 2, 3, 4, 5]],
    ['weekends', [6, 7]],
    ['every sunday', [7]],
    ['har somvar', [1]],
  ])('%s', (input, days) => {
    expect(findRecurrence(normalize(input).tokens)).toEqual(days);
  });
  it('is undefined for a one-off day', () => {
    expect(findRecurrence(normalize('on monday').tokens)).toBeUndefined();
  });
});
