import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, EVENT_TYPE_NAMES, type EventType } from '../../src/locusgraph/schemas.js';

const ok = (type: EventType, payload: unknown) => {
  const r = EVENT_TYPES[type].schema.safeParse(payload);
  if (!r.success) throw new Error(`${type} rejected: ${JSON.stringify(r.error.issues)}`);
  return r.data as Record<string, unknown>;
};
const rejects = (type: EventType, payload: unknown) => {
  const r = EVENT_TYPES[type].schema.safeParse(payload);
  expect(r.success, `${type} accepted ${JSON.stringify(payload)}`).toBe(false);
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
};

// The spec's own examples must pass unchanged (apart from the notification's created_at → fire_at).
const SPEC_EXAMPLES: Record<EventType, Record<string, unknown>> = {
  profile: {
    date_of_birth: '1960-01-15',
    gender: 'female',
    height_cm: 165,
    weight_kg: 60,
    blood_type: 'O+',
    allergies: ['penicillin', 'peanuts'],
    medical_conditions: ['hypertension'],
    dietary_preferences: 'vegetarian',
  },
  food: { description: 'Rice and dal', calories: 400, protein_g: 12, carbs_g: 60, fat_g: 8, meal_type: 'lunch', logged_at: '2026-02-18T12:30:00Z' },
  vitals: { blood_pressure_systolic: 120, blood_pressure_diastolic: 80, heart_rate: 72, blood_sugar: 100, temperature: 98.6, temperature_unit: 'F', weight_kg: 60, logged_at: '2026-02-18T08:00:00Z' },
  medication: { name: 'Metformin', dosage: '500mg', frequency: 'twice daily', instructions: 'Take after meals', active: true },
  med_schedule: { medication_id: 'medication:abc', time_of_day: '08:00', days_of_week: ['1', '2', '3', '4', '5'] },
  medication_log: { schedule_id: 'med_schedule:s1', status: 'taken', taken_at: '2026-02-18T08:05:00+05:30' },
  water: { amount_ml: 250, logged_at: '2026-02-18T10:00:00Z' },
  sleep: { sleep_start: '2026-02-17T23:00:00Z', sleep_end: '2026-02-18T06:30:00Z', quality: 7, notes: 'Felt rested' },
  exercise: { exercise_type: 'walking', duration_minutes: 30, calories_burned: 150, intensity: 'moderate', logged_at: '2026-02-18T17:00:00Z' },
  mood: { mood: 'happy', energy_level: 8, notes: 'Good day overall', logged_at: '2026-02-18T18:00:00Z' },
  meditation_session: { title: 'Morning Calm', description: '5-minute guided meditation', audio_url: 'https://example.com/audio/morning_calm.mp3', duration_minutes: 5, category: 'morning' },
  meditation_log: { session_id: 'meditation_session:abc', duration_minutes: 5, completed: true, logged_at: '2026-02-18T07:00:00Z' },
  appointment: { title: 'Annual Checkup', doctor_name: 'Dr. Sharma', location: 'City Hospital', scheduled_at: '2026-03-15T10:00:00Z', notes: 'Bring recent reports', reminder_minutes_before: 30 },
  emergency_contact: { name: 'Rahul (Son)', relationship: 'son', phone: '+91-9876543210', is_primary: true },
  alarm: { type: 'medication', title: 'Take Metformin', message: 'Time to take your 500mg Metformin', time: '08:00', days_of_week: ['1', '2', '3', '4', '5'], active: true, reference_id: 'med_schedule:abc' },
  alert: { kind: 'vitals', code: 'bp_crisis', severity: 'urgent', message: 'Your blood pressure of 190/120 is in the crisis range.', occurred_at: '2026-02-18T08:00:00Z', reference_id: 'vitals:abc', notified: [{ channel: 'sms', to: 'Rahul', status: 'sent', attempts: 1, at: '2026-02-18T08:00:05Z' }] },
  notification: { alarm_id: 'alarm:abc', title: 'Time to take Metformin', message: 'Take your 500mg Metformin now', type: 'medication', read: false, fire_at: '2026-02-18T08:00:00Z' },
  chat: { user_message: 'How are you feeling today?', ai_response: "I'm doing well, thanks for asking! How about you?", context: { topic: 'health' }, timestamp: '2026-02-18T14:30:00Z' },
  // Not in the spec's list: the stored result of its daily_summary workflow.
  daily_summary: { date: '2026-02-18', timezone: 'Asia/Kolkata', day: {}, trends: {}, recommendations: [], highlights: ['Nothing was logged on this day.'], generated_at: '2026-02-18T23:00:00Z' },
};

describe('event payload schemas', () => {
  it('cover the spec’s 16 types plus medication_log and daily_summary, each with a kind and time field', () => {
    expect(EVENT_TYPE_NAMES.sort()).toEqual(Object.keys(SPEC_EXAMPLES).sort());
    expect(EVENT_TYPE_NAMES).toHaveLength(19);
    expect(EVENT_TYPES.chat.eventKind).toBe('action');
    expect(EVENT_TYPES.vitals.timeField).toBe('logged_at');
    expect(EVENT_TYPES.profile.timeField).toBeNull();
  });

  for (const type of Object.keys(SPEC_EXAMPLES) as EventType[]) {
    it(`${type}: accepts the spec example and rejects an unknown field`, () => {
      ok(type, SPEC_EXAMPLES[type]);
      expect(rejects(type, { ...SPEC_EXAMPLES[type], colour: 'red' })).toContain('');
    });
  }

  it('vitals: enforces physiological ranges', () => {
    const bp = (s: number, d: number) => ({ blood_pressure_systolic: s, blood_pressure_diastolic: d });
    ok('vitals', bp(50, 30));
    ok('vitals', bp(250, 150));
    expect(rejects('vitals', bp(251, 80))).toContain('blood_pressure_systolic');
    expect(rejects('vitals', bp(49, 30))).toContain('blood_pressure_systolic');
    expect(rejects('vitals', bp(120, 151))).toContain('blood_pressure_diastolic');
    expect(rejects('vitals', bp(120, 29))).toContain('blood_pressure_diastolic');
    expect(rejects('vitals', bp(80, 90))).toContain('blood_pressure_systolic');
    expect(rejects('vitals', { blood_pressure_systolic: 120 })).toContain('blood_pressure_diastolic');
    ok('vitals', { heart_rate: 30 });
    ok('vitals', { heart_rate: 220 });
    rejects('vitals', { heart_rate: 29 });
    rejects('vitals', { heart_rate: 221 });
    rejects('vitals', { heart_rate: 72.5 });
    ok('vitals', { blood_sugar: 20 });
    ok('vitals', { blood_sugar: 600, blood_sugar_context: 'fasting' });
    rejects('vitals', { blood_sugar: 19 });
    rejects('vitals', { blood_sugar: 601 });
    expect(rejects('vitals', { logged_at: '2026-02-18T08:00:00Z' })).toContain('');
  });

  it('vitals: reads temperature by its unit', () => {
    ok('vitals', { temperature: 90, temperature_unit: 'F' });
    ok('vitals', { temperature: 110, temperature_unit: 'F' });
    ok('vitals', { temperature: 30, temperature_unit: 'C' });
    ok('vitals', { temperature: 45, temperature_unit: 'C' });
    expect(rejects('vitals', { temperature: 37, temperature_unit: 'F' })).toContain('temperature');
    expect(rejects('vitals', { temperature: 98.6, temperature_unit: 'C' })).toContain('temperature');
    expect(rejects('vitals', { temperature: 98.6 })).toContain('temperature_unit');
    expect(rejects('vitals', { temperature_unit: 'C', heart_rate: 70 })).toContain('temperature_unit');
  });

  it('profile: blood types including AB±, IANA zones, E.164 phones, locales, channels and caregiver alerts', () => {
    for (const bt of ['A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-']) ok('profile', { blood_type: bt });
    expect(rejects('profile', { blood_type: 'AB' })).toEqual(['blood_type']);
    rejects('profile', { blood_type: 'C+' });
    ok('profile', { timezone: 'Asia/Kolkata' });
    ok('profile', { timezone: 'America/New_York' });
    expect(rejects('profile', { timezone: 'Mars/Olympus' })).toEqual(['timezone']);
    rejects('profile', { timezone: 'IST' });
    ok('profile', { phone: '+919876543210' });
    rejects('profile', { phone: '+91-9876543210' });
    rejects('profile', { phone: '09876543210' });
    ok('profile', { preferred_language: 'hi-IN' });
    ok('profile', { preferred_language: 'en-IN' });
    rejects('profile', { preferred_language: 'hindi' });
    ok('profile', { reminder_channel: 'call', caregiver_alerts: { missed_medication: true, abnormal_vitals: false } });
    rejects('profile', { caregiver_alerts: { missed_medication: 'yes' } });
    rejects('profile', { caregiver_alerts: { sms: true } });
    rejects('profile', { date_of_birth: '1899-12-31' });
    // "In the past" is checked against the service's clock by HealthService (profile.test.ts).
    rejects('profile', { date_of_birth: '1960-02-30' });
    ok('profile', {});
  });

  it('times must carry an offset', () => {
    ok('water', { amount_ml: 250, logged_at: '2026-02-18T10:00:00+05:30' });
    expect(rejects('water', { amount_ml: 250, logged_at: '2026-02-18T10:00:00' })).toEqual(['logged_at']);
    rejects('water', { amount_ml: 250, logged_at: '18/02/2026' });
  });

  it('references accept a bare id and keep the spec’s type:id form', () => {
    expect(ok('med_schedule', { medication_id: 'abc', time_of_day: '08:00', days_of_week: ['1'] }).medication_id).toBe('medication:abc');
    expect(ok('med_schedule', { medication_id: 'medication:abc', time_of_day: '08:00', days_of_week: ['1'] }).medication_id).toBe('medication:abc');
    rejects('med_schedule', { medication_id: 'vitals:abc', time_of_day: '08:00', days_of_week: ['1'] });
    rejects('med_schedule', { medication_id: 'a b', time_of_day: '08:00', days_of_week: ['1'] });
  });

  it('schedules and alarms need valid times and days', () => {
    const s = { medication_id: 'm', days_of_week: ['1'] };
    rejects('med_schedule', { ...s, time_of_day: '24:00' });
    rejects('med_schedule', { ...s, time_of_day: '8:00' });
    rejects('med_schedule', { medication_id: 'm', time_of_day: '08:00', days_of_week: [] });
    rejects('med_schedule', { medication_id: 'm', time_of_day: '08:00', days_of_week: ['8'] });
    rejects('med_schedule', { medication_id: 'm', time_of_day: '08:00', days_of_week: ['0', '7'] });
    expect(ok('med_schedule', { ...s, time_of_day: '08:00' }).active).toBe(true);
    ok('alarm', { type: 'appointment', title: 'Dentist', time: '09:30', date: '2026-03-15' });
    rejects('alarm', { type: 'custom', title: 'x', time: '09:30' });
  });

  it('medication carries quantity and refill days; doses need a medication or schedule', () => {
    ok('medication', { name: 'Metformin', quantity: 60, refill_days: 30 });
    rejects('medication', { name: 'Metformin', refill_days: 0 });
    rejects('medication', { name: '' });
    rejects('medication_log', { status: 'taken' });
    rejects('medication_log', { medication_id: 'm', status: 'forgot' });
    expect(ok('medication_log', { medication_id: 'm', status: 'skipped' }).medication_id).toBe('medication:m');
  });

  it('sleep must end after it starts, within a day', () => {
    expect(rejects('sleep', { sleep_start: '2026-02-18T06:00:00Z', sleep_end: '2026-02-17T23:00:00Z' })).toEqual(['sleep_end']);
    rejects('sleep', { sleep_start: '2026-02-16T06:00:00Z', sleep_end: '2026-02-18T06:00:00Z' });
  });

  it('notifications carry delivery state; emergency phones allow separators', () => {
    const n = { ...SPEC_EXAMPLES.notification, delivered_at: '2026-02-18T08:00:02Z', late: true, follow_up: true, read_at: '2026-02-18T09:00:00Z' };
    ok('notification', n);
    rejects('notification', { ...SPEC_EXAMPLES.notification, created_at: '2026-02-18T08:00:00Z' });
    rejects('notification', { title: 't', message: 'm', type: 'medication' });
    ok('emergency_contact', { name: 'A', phone: '+1 (555) 123-4567' });
    rejects('emergency_contact', { name: 'A', phone: 'call me' });
    rejects('emergency_contact', { name: 'A', phone: '+1-2' });
  });

  it('meditation audio must be http(s)', () => {
    rejects('meditation_session', { title: 't', duration_minutes: 5, audio_url: 'javascript:alert(1)' });
    rejects('meditation_session', { title: 't', duration_minutes: 5, audio_url: 'file:///etc/passwd' });
  });
});
