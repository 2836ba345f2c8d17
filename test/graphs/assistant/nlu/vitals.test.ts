import { describe, expect, it } from 'vitest';
import { normalize, parseVitals } from '../../../../graphs/assistant/nlu/index.js';

const vitals = (s: string) => parseVitals(normalize(s).tokens);

describe('parseVitals', () => {
  it.each([
    ['my BP is 140 over 90', { systolic: 140, diastolic: 90 }],
    ['BP one twenty by eighty', { systolic: 120, diastolic: 80 }],
    ['140/90', { systolic: 140, diastolic: 90 }],
    ['bp 130 85', { systolic: 130, diastolic: 85 }],
    ['मेरा बीपी एक सौ चालीस बटा नब्बे है', { systolic: 140, diastolic: 90 }],
    ['BP ek sau bees by assi hai', { systolic: 120, diastolic: 80 }],
    ['BP 130 bata 85', { systolic: 130, diastolic: 85 }],
    ['pulse 72', { heart_rate: 72 }],
    ['heart rate is 88 bpm', { heart_rate: 88 }],
    ['धड़कन 90 है', { heart_rate: 90 }],
    ['sugar 160 fasting', { blood_sugar: 160, sugar_context: 'fasting' }],
    ['fasting sugar 6.1 mmol', { blood_sugar: 110, sugar_context: 'fasting' }],
    ['sugar after dinner 210 mg/dl', { blood_sugar: 210, sugar_context: 'post_meal' }],
    ['खाली पेट शुगर 95', { blood_sugar: 95, sugar_context: 'fasting' }],
    ['random sugar 145', { blood_sugar: 145, sugar_context: 'random' }],
    ['temperature 101', { temperature: 101, temperature_unit: 'F' }],
    ['temperature 38.5', { temperature: 38.5, temperature_unit: 'C' }],
    ['fever 100 degree fahrenheit', { temperature: 100, temperature_unit: 'F' }],
    ['bukhar 39 celsius', { temperature: 39, temperature_unit: 'C' }],
    ['weight 68 kg', { weight_kg: 68 }],
    ['I weigh 150 pounds', { weight_kg: 68 }],
    ['वजन 72 किलो', { weight_kg: 72 }],
    ['oxygen 96 percent', { spo2: 96 }],
    ['spo2 93', { spo2: 93 }],
    ['BP 118 over 76 and pulse 72', { systolic: 118, diastolic: 76, heart_rate: 72 }],
  ])('%s', (input, expected) => {
    const p = vitals(input);
    expect(p.entry).toMatchObject({ kind: 'vitals', ...expected });
    expect(p.invalid).toEqual([]);
    expect(p.missing).toEqual([]);
  });

  it.each([
    ['BP 900 over 5', ['systolic', 'diastolic']],
    ['BP 80 over 120', ['systolic', 'diastolic']],
    ['pulse 400', ['heart_rate']],
    ['sugar 2000', ['blood_sugar']],
    ['temperature 140', ['temperature']],
    ['weight 900 kg', ['weight_kg']],
    ['oxygen 120', ['spo2']],
  ])('marks %s invalid, keeps the value out, and asks again', (input, slots) => {
    const p = vitals(input);
    expect(p.invalid.map((i) => i.slot).sort()).toEqual([...slots].sort());
    for (const s of slots) expect(p.missing).toContain(s);
    expect(p.entry?.systolic).toBeUndefined();
    expect(p.entry?.heart_rate).toBeUndefined();
    expect(p.entry?.blood_sugar).toBeUndefined();
  });

  it('lists what is missing when a vital is named without a value', () => {
    expect(vitals('I want to log my blood pressure').missing).toEqual(['systolic', 'diastolic']);
    expect(vitals('BP 140').missing).toEqual(['diastolic']);
    expect(vitals('mujhe bukhar hai').missing).toEqual(['temperature']);
    expect(vitals('sugar check kiya').missing).toEqual(['blood_sugar']);
  });

  it('does not take a date or a time as a reading', () => {
    expect(vitals('remind me on 5 over 12').entry).toBeUndefined();
  });
});
