import { describe, expect, it } from 'vitest';
import {
  bpCategory, localize, recommend, sugarCategory, toFahrenheit, type RecommendationInput, type VitalsReading,
} from '../../src/health/recommendations.js';

const now = new Date('2025-03-10T18:00:00+05:30');
const at = (hoursAgo: number): string => new Date(now.getTime() - hoursAgo * 3_600_000).toISOString();
const base = (over: Partial<RecommendationInput> = {}): RecommendationInput => ({ now, timeZone: 'Asia/Kolkata', ...over });
const one = (v: Omit<VitalsReading, 'logged_at'> & { logged_at?: string }, over: Partial<RecommendationInput> = {}) =>
  recommend(base({ vitals: [{ logged_at: at(1), ...v }], water: [{ amount_ml: 2000, logged_at: at(1) }], ...over }));

describe('bpCategory (2017 ACC/AHA)', () => {
  it.each([
    [118, 76, 'normal'], [119, 79, 'normal'], [120, 79, 'elevated'], [129, 79, 'elevated'], [130, 79, 'stage_1'], [125, 80, 'stage_1'],
    [139, 89, 'stage_1'], [140, 70, 'stage_2'], [120, 90, 'stage_2'], [180, 120, 'stage_2'], [181, 100, 'crisis'], [150, 121, 'crisis'],
    [85, 55, 'low'],
  ] as const)('%d/%d → %s', (s, d, cat) => {
    expect(bpCategory(s, d)).toBe(cat);
  });
});

describe('sugarCategory', () => {
  it.each([
    [53, 'fasting', 'very_low'], [54, 'fasting', 'low'], [69, 'random', 'low'], [70, 'fasting', 'normal'], [99, 'fasting', 'normal'],
    [100, 'fasting', 'above_normal'], [125, 'fasting', 'above_normal'], [126, 'fasting', 'high'], [199, 'post_meal', 'above_normal'],
    [200, 'post_meal', 'high'], [139, 'post_meal', 'normal'], [210, 'random', 'high'], [320, 'random', 'very_high'],
  ] as const)('%d %s → %s', (v, ctx, cat) => {
    expect(sugarCategory(v, ctx)).toBe(cat);
  });
});

describe('recommend', () => {
  it('names the reading each recommendation came from', () => {
    const [r] = one({ id: 'v1', blood_pressure_systolic: 150, blood_pressure_diastolic: 95 });
    expect(r).toMatchObject({ id: 'bp_stage_2', severity: 'caution', reading: { type: 'bp', id: 'v1', systolic: 150, diastolic: 95, logged_at: at(1) } });
    expect(r!.message.en).toContain('150/95');
    expect(r!.message.hi).toContain('150/95');
    expect(r!.message.hi).toMatch(/[\u0900-\u097F]/);
  });

  it('calls a hypertensive crisis urgent and says to seek care now', () => {
    const [r] = one({ blood_pressure_systolic: 190, blood_pressure_diastolic: 110 });
    expect(r).toMatchObject({ id: 'bp_crisis', severity: 'urgent' });
    expect(r!.message.en).toMatch(/seek medical care now/i);
    expect(r!.message.en).toContain('112');
  });

  it('downgrades an old crisis reading to a caution that asks for a re-check', () => {
    const [r] = one({ blood_pressure_systolic: 190, blood_pressure_diastolic: 110, logged_at: at(48) });
    expect(r).toMatchObject({ id: 'bp_crisis', severity: 'caution' });
    expect(r!.message.en).toMatch(/measure again/);
  });

  it('uses the latest reading of each kind and ignores readings older than 30 days', () => {
    const recs = recommend(base({
      vitals: [
        { logged_at: at(5), blood_pressure_systolic: 150, blood_pressure_diastolic: 95 },
        { logged_at: at(1), blood_pressure_systolic: 118, blood_pressure_diastolic: 76 },
        { logged_at: at(24 * 40), blood_sugar: 400 },
      ],
    }));
    expect(recs.map((r) => r.id)).toContain('bp_normal');
    expect(recs.map((r) => r.id)).not.toContain('bp_stage_2');
    expect(recs.some((r) => r.reading.type === 'sugar')).toBe(false);
  });

  it.each([
    [{ blood_sugar: 50, blood_sugar_context: 'fasting' as const }, 'sugar_very_low', 'urgent'],
    [{ blood_sugar: 65 }, 'sugar_low', 'caution'],
    [{ blood_sugar: 110, blood_sugar_context: 'fasting' as const }, 'sugar_above_normal', 'caution'],
    [{ blood_sugar: 130, blood_sugar_context: 'fasting' as const }, 'sugar_high', 'caution'],
    [{ blood_sugar: 210, blood_sugar_context: 'post_meal' as const }, 'sugar_high', 'caution'],
    [{ blood_sugar: 90, blood_sugar_context: 'fasting' as const }, 'sugar_normal', 'info'],
    [{ temperature: 100.4 }, 'fever', 'caution'],
    [{ temperature: 38.2, temperature_unit: 'C' as const }, 'fever', 'caution'],
    [{ temperature: 103 }, 'fever_high', 'urgent'],
    [{ temperature: 39.5 }, 'fever_high', 'urgent'],
    [{ heart_rate: 45 }, 'heart_rate_low', 'caution'],
    [{ heart_rate: 110 }, 'heart_rate_high', 'caution'],
    [{ spo2: 92 }, 'spo2_low', 'caution'],
    [{ spo2: 88 }, 'spo2_very_low', 'urgent'],
  ])('%j → %s (%s)', (v, id, severity) => {
    const recs = one(v);
    expect(recs[0]).toMatchObject({ id, severity });
  });

  it('says nothing for a normal temperature, pulse or oxygen level', () => {
    expect(one({ temperature: 98.4, heart_rate: 72, spo2: 97 })).toEqual([]);
  });

  it('adds the doctor-set-target note for people with diabetes', () => {
    const [r] = one({ blood_sugar: 160, blood_sugar_context: 'fasting' }, { profile: { medical_conditions: ['Type 2 diabetes'] } });
    expect(r!.message.en).toMatch(/different target/);
  });

  it('suggests water when intake is behind the pro-rated target, not for fluid-restricted people', () => {
    const input = base({ water: [{ id: 'w1', amount_ml: 250, logged_at: at(3) }, { amount_ml: 500, logged_at: at(30) }] });
    const [r] = recommend(input);
    expect(r).toMatchObject({ id: 'water_low', severity: 'info', reading: { type: 'water', id: 'w1', total_ml: 250, target_ml: 2000 } });
    expect(recommend({ ...input, profile: { medical_conditions: ['chronic kidney disease'] } })).toEqual([]);
    expect(recommend(base({ now: new Date('2025-03-10T08:00:00+05:30'), water: [] }))).toEqual([]);
  });

  it('flags short sleep and low adherence', () => {
    const recs = recommend(base({
      water: [{ amount_ml: 3000, logged_at: at(1) }],
      sleep: [{ id: 's1', sleep_start: '2025-03-10T01:00:00+05:30', sleep_end: '2025-03-10T05:30:00+05:30' }],
      adherence: { taken: 10, expected: 14 },
    }));
    expect(recs.map((r) => r.id).sort()).toEqual(['adherence_low', 'sleep_short']);
    expect(recs.find((r) => r.id === 'sleep_short')!.reading).toMatchObject({ type: 'sleep', id: 's1', hours: 4.5 });
    expect(recs.find((r) => r.id === 'adherence_low')!.reading).toMatchObject({ percent: 71 });
    expect(recommend(base({ water: [{ amount_ml: 3000, logged_at: at(1) }], adherence: { taken: 12, expected: 14 } }))).toEqual([]);
  });

  it('orders urgent before caution before info', () => {
    const recs = recommend(base({
      vitals: [{ logged_at: at(1), blood_pressure_systolic: 125, blood_pressure_diastolic: 78, spo2: 86, heart_rate: 105 }],
      water: [{ amount_ml: 3000, logged_at: at(1) }],
    }));
    expect(recs.map((r) => r.severity)).toEqual(['urgent', 'caution', 'info']);
  });

  it('never diagnoses: no disease names as conclusions, always points to a doctor or 112 when not normal', () => {
    const all = recommend(base({
      vitals: [{ logged_at: at(1), blood_pressure_systolic: 150, blood_pressure_diastolic: 95, blood_sugar: 210, temperature: 101, heart_rate: 110, spo2: 92 }],
    }));
    for (const r of all) {
      expect(r.message.en).not.toMatch(/\byou have (diabetes|hypertension|covid|infection|heart disease)\b/i);
      if (r.severity !== 'info') expect(r.message.en).toMatch(/doctor|112|measure again|check again/i);
      expect(r.message.hi.length).toBeGreaterThan(10);
    }
  });

  it('localizes to one language', () => {
    const [r] = one({ blood_pressure_systolic: 150, blood_pressure_diastolic: 95 });
    expect(localize(r!, 'hi')).toEqual({ id: 'bp_stage_2', severity: 'caution', title: r!.title.hi, message: r!.message.hi, reading: r!.reading });
  });

  it('converts temperatures', () => {
    expect(toFahrenheit(38, 'C')).toBe(100.4);
    expect(toFahrenheit(39.5)).toBe(103.1);
    expect(toFahrenheit(99.1)).toBe(99.1);
  });
});
