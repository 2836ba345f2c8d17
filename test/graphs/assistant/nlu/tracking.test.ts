import { describe, expect, it } from 'vitest';
import { normalize, parseExercise, parseMood, parseSleepEntry, parseWater } from '../../../../graphs/assistant/nlu/index.js';

const ctx = { now: new Date('2025-03-10T13:15:00+05:30'), timeZone: 'Asia/Kolkata' };

describe('parseWater', () => {
  it.each([
    ['drank 3 glasses of water', 750],
    ['a glass of water', 250],
    ['500 ml water', 500],
    ['one litre of water', 1000],
    ['aadha litre paani', 500],
    ['dhai litre paani pi liya', 2500],
    ['do glass paani piya', 500],
    ['आज पाँच गिलास पानी पिया', 1250],
    ['2 bottles of water', 2000],
    ['water 4', 1000],
    ['paani 300', 300],
  ])('%s → %d ml', (input, ml) => {
    expect(parseWater(normalize(input).tokens).entry?.amount_ml).toBe(ml);
  });

  it('asks how much when no amount is said, and refuses an impossible one', () => {
    expect(parseWater(normalize('paani piya').tokens).missing).toEqual(['amount_ml']);
    const huge = parseWater(normalize('drank 90 litres of water').tokens);
    expect(huge.invalid.map((i) => i.slot)).toEqual(['amount_ml']);
    expect(huge.entry?.amount_ml).toBeUndefined();
  });
});

describe('parseExercise', () => {
  it.each([
    ['walked 30 minutes', 'walking', 30],
    ['morning walk for 45 mins', 'walking', 45],
    ['aadha ghanta yoga kiya', 'yoga', 30],
    ['ek ghanta cycling', 'cycling', 60],
    ['went for a walk for an hour', 'walking', 60],
    ['20 minute pranayam kiya', 'pranayama', 20],
    ['आधा घंटा टहलने गया', 'walking', 30],
    ['did 15 minutes of stretching', 'stretching', 15],
    ['gym mein dedh ghanta', 'exercise', 90],
  ])('%s', (input, type, minutes) => {
    expect(parseExercise(normalize(input)).entry).toEqual({ kind: 'exercise', exercise_type: type, duration_minutes: minutes });
  });
  it('asks for the duration when none is said', () => {
    expect(parseExercise(normalize('yoga kiya')).missing).toEqual(['duration_minutes']);
  });
});

describe('parseMood', () => {
  it.each([
    ['feeling low today', 'low'],
    ["I'm feeling very happy", 'happy'],
    ['aaj mood accha nahi hai', 'low'],
    ['not feeling good', 'low'],
    ['bahut thakaan lag rahi hai', 'tired'],
    ['आज मन उदास है', 'sad'],
    ['I feel anxious', 'anxious'],
    ['bahut tension hai', 'stressed'],
    ['akela mehsoos kar raha hoon', 'lonely'],
  ])('%s → %s', (input, mood) => {
    expect(parseMood(normalize(input).tokens).entry?.mood).toBe(mood);
  });
  it('reads energy separately from mood', () => {
    expect(parseMood(normalize('feeling tired and low on energy').tokens).entry).toEqual({ kind: 'mood', mood: 'tired', energy_level: 3 });
    expect(parseMood(normalize('happy, energy 8').tokens).entry).toEqual({ kind: 'mood', mood: 'happy', energy_level: 8 });
  });
});

describe('parseSleepEntry', () => {
  it('builds a range with hours and a quality from words', () => {
    expect(parseSleepEntry(normalize('slept well from 10 pm to 6 am'), ctx).entry).toEqual({
      kind: 'sleep', sleep_start: '2025-03-09T22:00:00+05:30', sleep_end: '2025-03-10T06:00:00+05:30', hours: 8, quality: 8,
    });
    expect(parseSleepEntry(normalize('neend achhi nahi aayi, 5 ghante'), ctx).entry).toMatchObject({ hours: 5, quality: 3 });
  });
  it('asks for hours when nothing is measurable', () => {
    expect(parseSleepEntry(normalize('I slept'), ctx).missing).toEqual(['hours']);
  });
});
