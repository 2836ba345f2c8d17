import { describe, expect, it } from 'vitest';
import { normalize, understand } from '../../../../graphs/assistant/nlu/index.js';
import { reminderAnswer } from '../../../../graphs/assistant/nlu/answer.js';

const ctx = { now: new Date('2025-03-10T13:15:00+05:30'), timeZone: 'Asia/Kolkata', medications: ['Metformin'] };

describe('reminderAnswer', () => {
  it.each([
    ['yes', { intent: 'confirm', answer: 'yes' }],
    ['ji haan', { intent: 'confirm', answer: 'yes' }],
    ['हाँ जी', { intent: 'confirm', answer: 'yes' }],
    ['no I did not', { intent: 'confirm', answer: 'no' }],
    ['abhi nahi', { intent: 'confirm', answer: 'no' }],
    ['नहीं, अभी नहीं', { intent: 'confirm', answer: 'no' }],
    ['yes I took it', { intent: 'log_dose', status: 'taken' }],
    ['haan kha li', { intent: 'log_dose', status: 'taken' }],
    ['I forgot', { intent: 'log_dose', status: 'skipped' }],
    ["I didn't take it", { intent: 'log_dose', status: 'skipped' }],
    ['मैंने नहीं ली', { intent: 'log_dose', status: 'skipped' }],
  ])('%s → %j', (text, slots) => {
    expect(reminderAnswer(normalize(text))).toEqual(slots);
  });

  it.each(['I took a walk for 30 minutes', 'yes my BP is 140 over 90', 'I took 2 rotis', 'okay', 'thanks', 'no idea what to eat', 'did you take it?', ''])(
    '%j is not an answer to a reminder',
    (text) => {
      expect(reminderAnswer(normalize(text))).toBeUndefined();
    },
  );

  it('leaves the other routes of such sentences alone', () => {
    expect(understand('I took a walk for 30 minutes', ctx).route).toBe('log');
    expect(understand('yes my BP is 140 over 90', ctx).route).toBe('log');
    expect(understand('I took 2 rotis', ctx).route).toBe('food');
  });
});

describe('snooze phrasing', () => {
  it.each([
    ['remind me in 10 minutes', { snooze: true, in_minutes: 10, title: 'Reminder' }],
    ['दस मिनट बाद याद दिलाना', { snooze: true, in_minutes: 10 }],
    ['remind me later', { snooze: true }],
  ])('%s is a snooze candidate', (text, slots) => {
    const r = understand(text, ctx);
    expect(r.route).toBe('reminder');
    expect(r.slots).toMatchObject({ kind: 'alarm', ...slots });
  });

  it.each(['remind me in 10 minutes to take my tablet', 'wake me up in 20 minutes', 'remind me to call my son in 1 hour', 'remind me at 9 pm'])(
    '%s has a subject or a clock time of its own: not a snooze',
    (text) => {
      const r = understand(text, ctx);
      expect(r.route).toBe('reminder');
      expect((r.slots as { snooze?: boolean }).snooze).toBeUndefined();
    },
  );
});
