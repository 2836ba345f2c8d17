import { describe, expect, it } from 'vitest';
import { fillSlots, understand, type NluContext, type NluResult } from '../../../../graphs/assistant/nlu/index.js';

const ctx: NluContext = { now: new Date('2025-03-10T13:15:00+05:30'), timeZone: 'Asia/Kolkata', medications: ['Metformin', 'Amlodipine'] };
const ask = (s: string) => understand(s, ctx);

describe('fillSlots', () => {
  it.each([
    ['140 over 90'],
    ['ek sau chalis by nabbe'],
    ['एक सौ चालीस बटा नब्बे'],
    ['it was 140/90'],
    ['140 90'],
  ])('completes a BP from "%s"', (answer) => {
    const pending = ask('I want to log my blood pressure');
    expect(pending.missing).toEqual(['systolic', 'diastolic']);
    const done = fillSlots(pending, answer, ctx);
    expect(done.route).toBe('log');
    expect(done.missing).toEqual([]);
    expect(done.slots).toMatchObject({ entries: [{ kind: 'vitals', systolic: 140, diastolic: 90 }] });
  });

  it('takes a single number as the missing lower BP value', () => {
    const done = fillSlots(ask('BP 140'), '90', ctx);
    expect(done.slots).toMatchObject({ entries: [{ systolic: 140, diastolic: 90 }] });
    expect(done.missing).toEqual([]);
  });

  it('keeps asking when the answer is out of range', () => {
    const done = fillSlots(ask('my BP'), '900 over 5', ctx);
    expect(done.route).toBe('log');
    expect(done.invalid.map((i) => i.slot).sort()).toEqual(['diastolic', 'systolic']);
    expect(done.missing).toContain('systolic');
  });

  it('fills sugar with its context, water, exercise and sleep', () => {
    expect(fillSlots(ask('sugar check kiya'), '160 fasting', ctx).slots).toMatchObject({ entries: [{ blood_sugar: 160, sugar_context: 'fasting' }] });
    expect(fillSlots(ask('paani piya'), '3 glass', ctx).slots).toMatchObject({ entries: [{ kind: 'water', amount_ml: 750 }] });
    expect(fillSlots(ask('walked today'), '30', ctx).slots).toMatchObject({ entries: [{ kind: 'exercise', duration_minutes: 30 }] });
    expect(fillSlots(ask('yoga kiya'), 'aadha ghanta', ctx).slots).toMatchObject({ entries: [{ kind: 'exercise', duration_minutes: 30 }] });
    expect(fillSlots(ask('I slept'), '7 hours', ctx).slots).toMatchObject({ entries: [{ kind: 'sleep', hours: 7 }] });
  });

  it('fills a reminder time and an appointment date', () => {
    const alarm = fillSlots(ask('remind me to drink water'), 'every day at 4 pm', ctx);
    expect(alarm).toMatchObject({ route: 'reminder', missing: [], slots: { time: '16:00', days_of_week: [1, 2, 3, 4, 5, 6, 7] } });
    const shaam = fillSlots(ask('dawai ka reminder lagao'), 'shaam 6 baje', ctx);
    expect(shaam.slots).toMatchObject({ alarm_type: 'medication', time: '18:00' });
    const appt = fillSlots(ask('I have a doctor appointment at 10 am'), 'on Friday', ctx);
    expect(appt).toMatchObject({ missing: [], slots: { kind: 'appointment', scheduled_at: '2025-03-14T10:00:00+05:30' } });
  });

  it('fills a query metric', () => {
    const q = ask('what was it yesterday?');
    expect(q.route).toBe('chat');
    const pending: NluResult = { route: 'health_query', slots: { period: 'yesterday' }, missing: ['metric'], invalid: [], flags: [], lang: 'en' };
    expect(fillSlots(pending, 'my sugar', ctx).slots).toMatchObject({ metric: 'sugar' });
  });

  it('lets an emergency interrupt any pending question', () => {
    expect(fillSlots(ask('my BP'), 'chest pain', ctx).route).toBe('emergency');
    expect(fillSlots(ask('remind me to drink water'), 'saans nahi aa rahi', ctx).route).toBe('emergency');
  });

  it('switches to a complete new request instead of forcing it into the old one', () => {
    const next = fillSlots(ask('my BP'), 'remind me to drink water at 5 pm', ctx);
    expect(next.route).toBe('reminder');
  });

  it('returns the pending intent unchanged when the answer fills nothing', () => {
    const pending = ask('my BP');
    expect(fillSlots(pending, 'hmm I forgot', ctx)).toMatchObject({ route: 'log', missing: ['systolic', 'diastolic'] });
  });
});
