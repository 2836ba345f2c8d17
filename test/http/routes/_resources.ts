/**
 * One row per REST resource: where it lives, a valid body, a full replacement, a partial change
 * and the bad bodies it must refuse. The CRUD, validation and isolation suites are driven by this
 * table, so a new resource is covered by adding a row.
 */
import type { Client, Json } from './_support.js';

export interface ResourceCase {
  name: string;
  path: string;
  /** PUT and PATCH by id exist (logs only have POST/GET/DELETE). */
  updatable: boolean;
  /** The payload field lists order and filter on; null = the record's first-write time. */
  timeField: string | null;
  /** The time field must be given on every write (no default from the clock or the old record). */
  timeRequired?: boolean;
  /** Creates what the resource references (a medication, a schedule…) in the same account. */
  setup?: (c: Client) => Promise<Json>;
  /** A valid body; `at` sets the time field. It includes the field named by `dropped`. */
  body: (refs: Json, at?: string) => Json;
  /** An optional field the body sets and `replacement` leaves out (PUT must remove it). */
  dropped?: string;
  /** A complete body for PUT without `dropped`; `changed` names a field it gives a new value. */
  replacement?: (refs: Json) => Json;
  changed?: [string, unknown];
  /** A partial body for PATCH and the field it changes. */
  partial?: [string, unknown];
  /** Bodies the resource must refuse, each with the details key that names the problem. */
  invalid: Array<{ why: string; body: (refs: Json) => Json; field: string }>;
}

const AT = '2026-03-10T08:00:00+05:30';
const plusHours = (iso: string, h: number) => new Date(Date.parse(iso) + h * 3_600_000).toISOString();

const makeMedication = async (c: Client) => {
  const r = await c.post('/api/medications', { name: 'Metformin', dosage: '500 mg', quantity: 30 });
  if (r.status !== 201) throw new Error(`medication setup failed: ${JSON.stringify(r.body)}`);
  return r.body;
};

const makeSchedule = async (c: Client) => {
  const med = await makeMedication(c);
  const r = await c.post('/api/medication-schedules', { medication_id: med.id, time_of_day: '08:00', days_of_week: ['1', '2', '3', '4', '5', '6', '7'] });
  if (r.status !== 201) throw new Error(`schedule setup failed: ${JSON.stringify(r.body)}`);
  return { medication: med, schedule: r.body };
};

const makeSession = async (c: Client) => {
  const r = await c.post('/api/meditation/sessions', { title: 'Box breathing', duration_minutes: 5 });
  if (r.status !== 201) throw new Error(`session setup failed: ${JSON.stringify(r.body)}`);
  return { session: r.body };
};

const unknownField = (body: (refs: Json) => Json) => ({ why: 'an unknown field', body: (refs: Json) => ({ ...body(refs), is_admin: true }), field: '' });

const vitalsBody = (_: Json, at = AT) => ({ blood_pressure_systolic: 128, blood_pressure_diastolic: 82, heart_rate: 74, notes: 'after a walk', logged_at: at });
const foodBody = (_: Json, at = AT) => ({ description: 'Poha with peanuts', calories: 320, meal_type: 'breakfast', logged_at: at });
const waterBody = (_: Json, at = AT) => ({ amount_ml: 250, logged_at: at });
const sleepBody = (_: Json, at = AT) => ({ sleep_start: at, sleep_end: plusHours(at, 7), quality: 7 });
const exerciseBody = (_: Json, at = AT) => ({ exercise_type: 'walk', duration_minutes: 30, intensity: 'moderate', logged_at: at });
const moodBody = (_: Json, at = AT) => ({ mood: 'calm', energy_level: 6, logged_at: at });
const medicationBody = () => ({ name: 'Metformin', dosage: '500 mg', frequency: 'twice daily', quantity: 30 });
const scheduleBody = (r: Json) => ({ medication_id: r.id, time_of_day: '08:00', days_of_week: ['1', '3', '5'] });
const doseBody = (r: Json, at = AT) => ({ schedule_id: r.schedule.id, status: 'taken', taken_at: at, notes: 'with breakfast' });
const appointmentBody = (_: Json, at = '2026-12-10T10:30:00+05:30') => ({
  title: 'Diabetes review',
  doctor_name: 'Dr Rao',
  location: 'City Clinic',
  scheduled_at: at,
  reminder_minutes_before: 60,
});
const contactBody = () => ({ name: 'Meera', relationship: 'daughter', phone: '+91-9876543210' });
const sessionBody = () => ({ title: 'Body scan', duration_minutes: 10, category: 'sleep', description: 'Slow scan' });
const meditationLogBody = (r: Json, at = AT) => ({ session_id: r.session.id, duration_minutes: 10, completed: true, logged_at: at });
const alarmBody = () => ({ type: 'water', title: 'Drink water', message: 'A glass now', time: '10:00', days_of_week: ['1', '2', '3'] });

export const RESOURCES: ResourceCase[] = [
  {
    name: 'vitals',
    path: '/api/health/vitals',
    updatable: true,
    timeField: 'logged_at',
    body: vitalsBody,
    dropped: 'notes',
    replacement: () => ({ heart_rate: 66 }),
    changed: ['heart_rate', 66],
    partial: ['heart_rate', 90],
    invalid: [
      { why: 'systolic 260', body: (r) => ({ ...vitalsBody(r), blood_pressure_systolic: 260 }), field: 'blood_pressure_systolic' },
      { why: 'diastolic 20', body: (r) => ({ ...vitalsBody(r), blood_pressure_diastolic: 20 }), field: 'blood_pressure_diastolic' },
      { why: 'systolic not above diastolic', body: (r) => ({ ...vitalsBody(r), blood_pressure_systolic: 80, blood_pressure_diastolic: 90 }), field: 'blood_pressure_systolic' },
      { why: 'systolic without diastolic', body: () => ({ blood_pressure_systolic: 120 }), field: 'blood_pressure_diastolic' },
      { why: 'heart rate 300', body: () => ({ heart_rate: 300 }), field: 'heart_rate' },
      { why: 'heart rate 72.5', body: () => ({ heart_rate: 72.5 }), field: 'heart_rate' },
      { why: 'heart rate as a string', body: () => ({ heart_rate: '72' }), field: 'heart_rate' },
      { why: 'blood sugar 700', body: () => ({ blood_sugar: 700 }), field: 'blood_sugar' },
      { why: 'temperature 120 F', body: () => ({ temperature: 120, temperature_unit: 'F' }), field: 'temperature' },
      { why: 'temperature 50 C', body: () => ({ temperature: 50, temperature_unit: 'C' }), field: 'temperature' },
      { why: 'temperature without unit', body: () => ({ temperature: 98.6 }), field: 'temperature_unit' },
      { why: 'spo2 101', body: () => ({ spo2: 101 }), field: 'spo2' },
      { why: 'no measurement', body: () => ({ notes: 'felt fine' }), field: '' },
      { why: 'a date without offset', body: (r) => ({ ...vitalsBody(r), logged_at: '2026-03-10T08:00:00' }), field: 'logged_at' },
      { why: 'an impossible date', body: (r) => ({ ...vitalsBody(r), logged_at: '2026-02-30T08:00:00Z' }), field: 'logged_at' },
      { why: 'sugar context without sugar', body: () => ({ heart_rate: 70, blood_sugar_context: 'fasting' }), field: 'blood_sugar_context' },
      unknownField(vitalsBody),
    ],
  },
  {
    name: 'food',
    path: '/api/food-logs',
    updatable: true,
    timeField: 'logged_at',
    body: foodBody,
    dropped: 'calories',
    replacement: () => ({ description: 'Two idli', meal_type: 'breakfast' }),
    changed: ['description', 'Two idli'],
    partial: ['meal_type', 'lunch'],
    invalid: [
      { why: 'a meal_type outside the list', body: (r) => ({ ...foodBody(r), meal_type: 'brunch' }), field: 'meal_type' },
      { why: 'a blank description', body: (r) => ({ ...foodBody(r), description: '   ' }), field: 'description' },
      { why: 'negative calories', body: (r) => ({ ...foodBody(r), calories: -5 }), field: 'calories' },
      { why: 'calories as a string', body: (r) => ({ ...foodBody(r), calories: '300' }), field: 'calories' },
      { why: 'no description', body: () => ({ calories: 100 }), field: 'description' },
      { why: 'an unknown item field', body: (r) => ({ ...foodBody(r), items: [{ name: 'poha', spice: 'hot' }] }), field: 'items.0' },
      { why: 'a date in words', body: (r) => ({ ...foodBody(r), logged_at: 'yesterday' }), field: 'logged_at' },
      unknownField(foodBody),
    ],
  },
  {
    name: 'water',
    path: '/api/tracking/water',
    updatable: false,
    timeField: 'logged_at',
    body: waterBody,
    invalid: [
      { why: 'zero ml', body: () => ({ amount_ml: 0 }), field: 'amount_ml' },
      { why: '6 litres at once', body: () => ({ amount_ml: 6000 }), field: 'amount_ml' },
      { why: 'ml as a string', body: () => ({ amount_ml: '250' }), field: 'amount_ml' },
      unknownField(waterBody),
    ],
  },
  {
    name: 'sleep',
    path: '/api/tracking/sleep',
    updatable: false,
    timeField: 'sleep_start',
    timeRequired: true,
    body: sleepBody,
    invalid: [
      { why: 'an end before the start', body: () => ({ sleep_start: AT, sleep_end: plusHours(AT, -1) }), field: 'sleep_end' },
      { why: 'a 30-hour night', body: () => ({ sleep_start: AT, sleep_end: plusHours(AT, 30) }), field: 'sleep_end' },
      { why: 'quality 11', body: (r) => ({ ...sleepBody(r), quality: 11 }), field: 'quality' },
      { why: 'no start', body: () => ({ sleep_end: AT }), field: 'sleep_start' },
      unknownField(sleepBody),
    ],
  },
  {
    name: 'exercise',
    path: '/api/tracking/exercise',
    updatable: false,
    timeField: 'logged_at',
    body: exerciseBody,
    invalid: [
      { why: 'zero minutes', body: (r) => ({ ...exerciseBody(r), duration_minutes: 0 }), field: 'duration_minutes' },
      { why: 'an intensity outside the list', body: (r) => ({ ...exerciseBody(r), intensity: 'extreme' }), field: 'intensity' },
      { why: 'no type', body: () => ({ duration_minutes: 10 }), field: 'exercise_type' },
      unknownField(exerciseBody),
    ],
  },
  {
    name: 'mood',
    path: '/api/tracking/mood',
    updatable: false,
    timeField: 'logged_at',
    body: moodBody,
    invalid: [
      { why: 'energy 0', body: (r) => ({ ...moodBody(r), energy_level: 0 }), field: 'energy_level' },
      { why: 'a blank mood', body: () => ({ mood: '' }), field: 'mood' },
      { why: 'mood as a number', body: () => ({ mood: 5 }), field: 'mood' },
      unknownField(moodBody),
    ],
  },
  {
    name: 'medications',
    path: '/api/medications',
    updatable: true,
    timeField: null,
    body: medicationBody,
    dropped: 'dosage',
    replacement: () => ({ name: 'Metformin XR', quantity: 30 }),
    changed: ['name', 'Metformin XR'],
    partial: ['frequency', 'once daily'],
    invalid: [
      { why: 'no name', body: () => ({ dosage: '5 mg' }), field: 'name' },
      { why: 'a negative quantity', body: () => ({ ...medicationBody(), quantity: -1 }), field: 'quantity' },
      { why: 'active as a string', body: () => ({ ...medicationBody(), active: 'yes' }), field: 'active' },
      { why: 'refill every 0 days', body: () => ({ ...medicationBody(), refill_days: 0 }), field: 'refill_days' },
      unknownField(medicationBody),
    ],
  },
  {
    name: 'medication-schedules',
    path: '/api/medication-schedules',
    updatable: true,
    timeField: null,
    setup: makeMedication,
    body: (r) => ({ ...scheduleBody(r), active: false }),
    replacement: (r) => ({ medication_id: r.id, time_of_day: '21:15', days_of_week: ['7'] }),
    changed: ['time_of_day', '21:15'],
    partial: ['time_of_day', '07:45'],
    invalid: [
      { why: "time '25:00'", body: (r) => ({ ...scheduleBody(r), time_of_day: '25:00' }), field: 'time_of_day' },
      { why: "time '8:00'", body: (r) => ({ ...scheduleBody(r), time_of_day: '8:00' }), field: 'time_of_day' },
      { why: 'empty days_of_week', body: (r) => ({ ...scheduleBody(r), days_of_week: [] }), field: 'days_of_week' },
      { why: 'day 8', body: (r) => ({ ...scheduleBody(r), days_of_week: ['8'] }), field: 'days_of_week.0' },
      { why: 'a repeated day', body: (r) => ({ ...scheduleBody(r), days_of_week: ['1', '1'] }), field: 'days_of_week' },
      { why: 'an unknown medication', body: (r) => ({ ...scheduleBody(r), medication_id: 'medication:no-such-med' }), field: 'medication_id' },
      { why: 'a malformed medication id', body: (r) => ({ ...scheduleBody(r), medication_id: '../etc' }), field: 'medication_id' },
      { why: 'no medication', body: () => ({ time_of_day: '08:00', days_of_week: ['1'] }), field: 'medication_id' },
      unknownField(scheduleBody),
    ],
  },
  {
    name: 'medication-logs',
    path: '/api/medication/logs',
    updatable: false,
    timeField: 'taken_at',
    setup: makeSchedule,
    body: doseBody,
    invalid: [
      { why: 'a status outside taken|skipped', body: (r) => ({ ...doseBody(r), status: 'maybe' }), field: 'status' },
      { why: 'neither schedule nor medication', body: () => ({ status: 'taken' }), field: 'medication_id' },
      { why: 'an unknown schedule', body: (r) => ({ ...doseBody(r), schedule_id: 'no-such-schedule' }), field: 'schedule_id' },
      { why: 'an unknown medication', body: () => ({ medication_id: 'no-such-med', status: 'taken' }), field: 'medication_id' },
      { why: 'a medication other than the schedule’s', body: (r) => ({ ...doseBody(r), medication_id: 'other-med' }), field: 'medication_id' },
      unknownField(doseBody),
    ],
  },
  {
    name: 'appointments',
    path: '/api/appointments',
    updatable: true,
    timeField: 'scheduled_at',
    timeRequired: true,
    body: appointmentBody,
    dropped: 'doctor_name',
    replacement: () => ({ title: 'Eye check', scheduled_at: '2026-12-11T09:00:00+05:30' }),
    changed: ['title', 'Eye check'],
    partial: ['location', 'New Clinic'],
    invalid: [
      { why: 'no scheduled_at', body: () => ({ title: 'x' }), field: 'scheduled_at' },
      { why: 'a reminder of -5 minutes', body: (r) => ({ ...appointmentBody(r), reminder_minutes_before: -5 }), field: 'reminder_minutes_before' },
      { why: 'a reminder 8 days ahead', body: (r) => ({ ...appointmentBody(r), reminder_minutes_before: 11_520 }), field: 'reminder_minutes_before' },
      { why: 'a date-only scheduled_at', body: (r) => ({ ...appointmentBody(r), scheduled_at: '2026-12-10' }), field: 'scheduled_at' },
      unknownField(appointmentBody),
    ],
  },
  {
    name: 'emergency-contacts',
    path: '/api/emergency-contacts',
    updatable: true,
    timeField: null,
    body: contactBody,
    dropped: 'relationship',
    replacement: () => ({ name: 'Meera Rao', phone: '+919876543210' }),
    changed: ['name', 'Meera Rao'],
    partial: ['phone', '+91 98765 00000'],
    invalid: [
      { why: 'letters in the phone', body: () => ({ ...contactBody(), phone: 'call me' }), field: 'phone' },
      { why: 'a 5-digit phone', body: () => ({ ...contactBody(), phone: '12345' }), field: 'phone' },
      { why: 'no name', body: () => ({ phone: '+919876543210' }), field: 'name' },
      { why: 'is_primary as a string', body: () => ({ ...contactBody(), is_primary: 'yes' }), field: 'is_primary' },
      unknownField(contactBody),
    ],
  },
  {
    name: 'meditation-sessions',
    path: '/api/meditation/sessions',
    updatable: true,
    timeField: null,
    body: sessionBody,
    dropped: 'category',
    replacement: () => ({ title: 'Body scan (long)', duration_minutes: 20 }),
    changed: ['title', 'Body scan (long)'],
    partial: ['duration_minutes', 15],
    invalid: [
      { why: 'zero minutes', body: () => ({ ...sessionBody(), duration_minutes: 0 }), field: 'duration_minutes' },
      { why: 'a non-http audio_url', body: () => ({ ...sessionBody(), audio_url: 'ftp://x.example/a.mp3' }), field: 'audio_url' },
      unknownField(sessionBody),
    ],
  },
  {
    name: 'meditation-logs',
    path: '/api/meditation/logs',
    updatable: false,
    timeField: 'logged_at',
    setup: makeSession,
    body: meditationLogBody,
    invalid: [
      { why: 'an unknown session', body: (r) => ({ ...meditationLogBody(r), session_id: 'no-such-session' }), field: 'session_id' },
      { why: 'no completed flag', body: () => ({ duration_minutes: 5 }), field: 'completed' },
      { why: 'negative minutes', body: (r) => ({ ...meditationLogBody(r), duration_minutes: -1 }), field: 'duration_minutes' },
      unknownField(meditationLogBody),
    ],
  },
  {
    name: 'alarms',
    path: '/api/alarms',
    updatable: true,
    timeField: null,
    body: alarmBody,
    dropped: 'message',
    replacement: () => ({ type: 'custom', title: 'Call Meera', time: '18:30', date: '2026-12-01' }),
    changed: ['title', 'Call Meera'],
    partial: ['time', '11:00'],
    invalid: [
      { why: "time '25:00'", body: () => ({ ...alarmBody(), time: '25:00' }), field: 'time' },
      { why: 'empty days_of_week and no date', body: () => ({ ...alarmBody(), days_of_week: [] }), field: 'days_of_week' },
      { why: 'a type outside the list', body: () => ({ ...alarmBody(), type: 'party' }), field: 'type' },
      { why: 'day 9', body: () => ({ ...alarmBody(), days_of_week: ['9'] }), field: 'days_of_week.0' },
      { why: 'days as numbers', body: () => ({ ...alarmBody(), days_of_week: [1, 2] }), field: 'days_of_week.0' },
      { why: 'an impossible date', body: () => ({ ...alarmBody(), days_of_week: [], date: '2026-02-30' }), field: 'date' },
      unknownField(alarmBody),
    ],
  },
];

/** Records a resource needs created first, then the body itself. */
export async function createOne(c: Client, rc: ResourceCase, at?: string): Promise<{ refs: Json; item: Json }> {
  const refs = rc.setup ? await rc.setup(c) : {};
  const r = await c.post(rc.path, rc.body(refs, at));
  if (r.status !== 201) throw new Error(`${rc.name} create failed: ${r.status} ${JSON.stringify(r.body)}`);
  return { refs, item: r.body };
}
