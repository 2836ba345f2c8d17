/**
 * Payload schemas for every health event type (the spec's 16, plus `medication_log` for doses,
 * which the spec's REST surface needs but its event list lacks). All are strict: an unknown
 * field is an error, not silently stored. Times are ISO-8601 with an offset (Z counts).
 */
import { z } from 'zod';
import type { EventKind } from './port.js';
import { CONTEXT_NAME_RE } from './validate.js';
import { isValidTimeZone } from './zoned-time.js';

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const isoTime = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time with offset, e.g. 2026-02-18T08:00:00+05:30' });
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour)');
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return Number.isFinite(t) && new Date(t).toISOString().startsWith(d);
  }, 'must be a real date');

/** 1 = Monday … 7 = Sunday (ISO); 0 is accepted as Sunday too, as cron writes it. */
const daysOfWeek = z
  .array(z.enum(['0', '1', '2', '3', '4', '5', '6', '7'], { error: 'must be "1" (Monday) to "7" (Sunday)' }))
  .max(7)
  .refine((d) => new Set(d.map((x) => (x === '0' ? '7' : x))).size === d.length, 'must not repeat a day');

const count = (min: number, max: number) => z.number().int('must be a whole number').min(min).max(max);
const amount = (min: number, max: number) => z.number().min(min).max(max);

/** A region zone (Asia/Kolkata) or UTC: abbreviations such as IST are ambiguous across the world. */
const isTimeZone = (tz: string): boolean => (tz.includes('/') || tz === 'UTC') && isValidTimeZone(tz);

/**
 * A reference to another event, kept in the spec's `type:<id>` form; a bare id is accepted and
 * given its type.
 */
export const ref = (type: string) =>
  z.string().transform((v, ctx) => {
    const name = v.startsWith(`${type}:`) ? v.slice(type.length + 1) : v;
    if (!CONTEXT_NAME_RE.test(name)) {
      ctx.addIssue({ code: 'custom', message: `must be a ${type} id or "${type}:<id>"` });
      return z.NEVER;
    }
    return `${type}:${name}`;
  });
const anyRef = z.string().regex(/^[a-z][a-z0-9_]{0,63}:[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/, 'must look like <type>:<id>');

export const DATE_OF_BIRTH_RULE = 'must be a past date after 1900';

export const BLOOD_TYPES = ['A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-'] as const;
export const REMINDER_CHANNELS = ['device', 'call', 'sms', 'none'] as const;
export const ALARM_TYPES = ['medication', 'appointment', 'water', 'meal', 'meditation', 'custom'] as const;

export const profileSchema = z
  .object({
    name: text(100).optional(),
    // "In the past" needs the service's clock: HealthService checks it on every write.
    date_of_birth: isoDate.refine((d) => d >= '1900-01-01', DATE_OF_BIRTH_RULE).optional(),
    gender: z.enum(['female', 'male', 'non_binary', 'other', 'prefer_not_to_say']).optional(),
    height_cm: amount(30, 272).optional(),
    weight_kg: amount(1, 500).optional(),
    blood_type: z.enum(BLOOD_TYPES, { error: `must be one of ${BLOOD_TYPES.join(', ')}` }).optional(),
    allergies: z.array(text(100)).max(50).optional(),
    medical_conditions: z.array(text(100)).max(50).optional(),
    dietary_preferences: text(200).optional(),
    timezone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Asia/Kolkata').optional(),
    preferred_language: z.string().regex(/^[a-z]{2,3}-[A-Z]{2}$/, 'must be a locale such as en-IN or hi-IN').optional(),
    phone: z.string().regex(/^\+[1-9]\d{7,14}$/, 'must be an E.164 number such as +919876543210').optional(),
    reminder_channel: z.enum(REMINDER_CHANNELS).optional(),
    caregiver_alerts: z
      .object({ missed_medication: z.boolean(), abnormal_vitals: z.boolean(), emergency: z.boolean() })
      .partial()
      .strict()
      .optional(),
  })
  .strict();

export const foodSchema = z
  .object({
    description: text(500),
    calories: amount(0, 10_000).optional(),
    protein_g: amount(0, 1000).optional(),
    carbs_g: amount(0, 1000).optional(),
    fat_g: amount(0, 1000).optional(),
    meal_type: z.enum(['breakfast', 'lunch', 'dinner', 'snack', 'other']).optional(),
    items: z
      .array(
        z
          .object({
            name: text(100),
            quantity: amount(0, 10_000).optional(),
            unit: text(30).optional(),
            calories: amount(0, 10_000).optional(),
          })
          .strict(),
      )
      .max(50)
      .optional(),
    logged_at: isoTime.optional(),
  })
  .strict();

const TEMPERATURE = { F: [90, 110], C: [30, 45] } as const;

export const vitalsSchema = z
  .object({
    blood_pressure_systolic: count(50, 250).optional(),
    blood_pressure_diastolic: count(30, 150).optional(),
    heart_rate: count(30, 220).optional(),
    /** mg/dL */
    blood_sugar: amount(20, 600).optional(),
    blood_sugar_context: z.enum(['fasting', 'post_meal', 'random']).optional(),
    temperature: z.number().optional(),
    temperature_unit: z.enum(['F', 'C']).optional(),
    spo2: count(50, 100).optional(),
    weight_kg: amount(1, 500).optional(),
    notes: text(500).optional(),
    logged_at: isoTime.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const measured = ['blood_pressure_systolic', 'blood_pressure_diastolic', 'heart_rate', 'blood_sugar', 'temperature', 'spo2', 'weight_kg'];
    if (!measured.some((k) => v[k as keyof typeof v] !== undefined)) {
      ctx.addIssue({ code: 'custom', message: 'must include at least one measurement', path: [] });
    }
    const sys = v.blood_pressure_systolic;
    const dia = v.blood_pressure_diastolic;
    if ((sys === undefined) !== (dia === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'systolic and diastolic go together', path: [sys === undefined ? 'blood_pressure_systolic' : 'blood_pressure_diastolic'] });
    } else if (sys !== undefined && dia !== undefined && sys <= dia) {
      ctx.addIssue({ code: 'custom', message: 'must be above diastolic', path: ['blood_pressure_systolic'] });
    }
    if (v.temperature !== undefined) {
      if (!v.temperature_unit) {
        ctx.addIssue({ code: 'custom', message: 'is required with temperature (F or C)', path: ['temperature_unit'] });
      } else {
        const [lo, hi] = TEMPERATURE[v.temperature_unit];
        if (v.temperature < lo || v.temperature > hi) {
          ctx.addIssue({ code: 'custom', message: `must be between ${lo} and ${hi} °${v.temperature_unit}`, path: ['temperature'] });
        }
      }
    } else if (v.temperature_unit) {
      ctx.addIssue({ code: 'custom', message: 'only goes with temperature', path: ['temperature_unit'] });
    }
    if (v.blood_sugar_context && v.blood_sugar === undefined) {
      ctx.addIssue({ code: 'custom', message: 'only goes with blood_sugar', path: ['blood_sugar_context'] });
    }
  });

export const medicationSchema = z
  .object({
    name: text(200),
    dosage: text(100).optional(),
    frequency: text(100).optional(),
    instructions: text(500).optional(),
    active: z.boolean().default(true),
    /** Doses (tablets, units) on hand. */
    quantity: count(0, 100_000).optional(),
    /** A refill reminder fires when fewer than this many days of doses remain (default 5). */
    refill_days: count(1, 365).optional(),
  })
  .strict();

export const medScheduleSchema = z
  .object({
    medication_id: ref('medication'),
    time_of_day: hhmm,
    days_of_week: daysOfWeek.refine((d) => d.length > 0, 'must name at least one day'),
    active: z.boolean().default(true),
  })
  .strict();

export const medicationLogSchema = z
  .object({
    medication_id: ref('medication').optional(),
    schedule_id: ref('med_schedule').optional(),
    status: z.enum(['taken', 'skipped']),
    taken_at: isoTime.optional(),
    /**
     * The dose time of the schedule this dose satisfies (its slot, see src/health/doses.ts):
     * filled in when a dose is logged near one; a client may name it (with schedule_id).
     */
    due_at: isoTime.optional().describe('The scheduled dose time this dose satisfies (filled in when the dose is near one); a client may name it, with schedule_id'),
    /** A dose beyond the schedule ("one more"): satisfies no slot, and is never refused as a repeat. */
    extra: z.boolean().optional().describe('A dose beyond the schedule: linked to no dose time, never refused as a repeat'),
    notes: text(500).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.medication_id === undefined && v.schedule_id === undefined) {
      ctx.addIssue({ code: 'custom', message: 'needs medication_id or schedule_id', path: ['medication_id'] });
    }
    if (v.due_at !== undefined && v.schedule_id === undefined) ctx.addIssue({ code: 'custom', message: 'goes with schedule_id', path: ['due_at'] });
    if (v.extra === true && v.due_at !== undefined) ctx.addIssue({ code: 'custom', message: 'an extra dose satisfies no scheduled dose time', path: ['due_at'] });
    if (v.extra === true && v.status !== 'taken') ctx.addIssue({ code: 'custom', message: 'only a taken dose can be extra', path: ['extra'] });
  });

export const waterSchema = z.object({ amount_ml: count(1, 5000), logged_at: isoTime.optional() }).strict();

export const sleepSchema = z
  .object({
    sleep_start: isoTime,
    sleep_end: isoTime,
    quality: count(1, 10).optional(),
    notes: text(500).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const ms = Date.parse(v.sleep_end) - Date.parse(v.sleep_start);
    if (!(ms > 0)) ctx.addIssue({ code: 'custom', message: 'must be after sleep_start', path: ['sleep_end'] });
    else if (ms > 24 * 3600_000) ctx.addIssue({ code: 'custom', message: 'must be within 24 hours of sleep_start', path: ['sleep_end'] });
  });

export const exerciseSchema = z
  .object({
    exercise_type: text(100),
    duration_minutes: amount(1, 1440),
    calories_burned: amount(0, 10_000).optional(),
    intensity: z.enum(['low', 'moderate', 'high']).optional(),
    notes: text(500).optional(),
    logged_at: isoTime.optional(),
  })
  .strict();

export const moodSchema = z
  .object({
    mood: text(50).transform((m) => m.toLowerCase()),
    energy_level: count(1, 10).optional(),
    notes: text(1000).optional(),
    logged_at: isoTime.optional(),
  })
  .strict();

export const meditationSessionSchema = z
  .object({
    title: text(200),
    description: text(1000).optional(),
    audio_url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000).optional(),
    duration_minutes: amount(1, 240),
    category: text(50).optional(),
  })
  .strict();

export const meditationLogSchema = z
  .object({
    session_id: ref('meditation_session').optional(),
    duration_minutes: amount(0, 600),
    completed: z.boolean(),
    logged_at: isoTime.optional(),
  })
  .strict();

export const appointmentSchema = z
  .object({
    title: text(200),
    doctor_name: text(200).optional(),
    location: text(300).optional(),
    scheduled_at: isoTime,
    notes: text(1000).optional(),
    reminder_minutes_before: count(0, 10_080).optional(),
  })
  .strict();

export const emergencyContactSchema = z
  .object({
    name: text(100),
    relationship: text(50).optional(),
    // The spec's own example is "+91-9876543210": separators allowed, 7-15 digits.
    phone: z
      .string()
      .regex(/^\+?[0-9][0-9 ().-]{5,24}$/, 'must be a phone number such as +91-9876543210')
      .refine((p) => {
        const digits = p.replace(/\D/g, '').length;
        return digits >= 7 && digits <= 15;
      }, 'must have 7 to 15 digits'),
    is_primary: z.boolean().default(false),
  })
  .strict();

export const alarmSchema = z
  .object({
    type: z.enum(ALARM_TYPES),
    title: text(200),
    message: text(500).optional(),
    /** Local time in the user's time zone. */
    time: hhmm,
    days_of_week: daysOfWeek.default([]),
    /** A one-off alarm (appointments) fires on this local date instead of weekly. */
    date: isoDate.optional(),
    active: z.boolean().default(true),
    reference_id: anyRef.optional(),
  })
  .strict()
  .refine((a) => a.days_of_week.length > 0 || a.date !== undefined, {
    message: 'needs days_of_week or a date',
    path: ['days_of_week'],
  });

export const notificationSchema = z
  .object({
    alarm_id: ref('alarm').optional(),
    title: text(200),
    message: text(1000),
    type: z.enum(ALARM_TYPES),
    read: z.boolean().default(false),
    /** When the alarm was due (the spec's `created_at`, renamed so it cannot clash with the item's). */
    fire_at: isoTime,
    delivered_at: isoTime.optional(),
    read_at: isoTime.optional(),
    /** Fired by a catch-up after the due minute had passed. */
    late: z.boolean().optional(),
    /** Came due while the service was down for longer than the catch-up window: recorded, never spoken. */
    missed: z.boolean().optional(),
    /** The one follow-up for a medication reminder with no dose logged. */
    follow_up: z.boolean().optional(),
    reference_id: anyRef.optional(),
  })
  .strict();

export const ALERT_KINDS = ['vitals', 'emergency', 'missed_dose'] as const;
export const NOTIFY_STATUSES = ['sent', 'failed', 'skipped'] as const;

/**
 * A health-significant event the person (and, by their choice, their family) was told about: an
 * urgent reading, an emergency. `notified` says what was sent to whom, filled in as sends finish.
 */
export const alertSchema = z
  .object({
    kind: z.enum(ALERT_KINDS),
    /** The rule that fired, e.g. `bp_crisis` (the recommendation rules' ids). */
    code: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
    severity: z.enum(['urgent', 'warning']),
    /** What the person was told, in their language. */
    message: text(1000),
    occurred_at: isoTime,
    /** The record it is about, e.g. `vitals:<id>`. */
    reference_id: anyRef.optional(),
    notified: z
      .array(
        z
          .object({
            channel: z.enum(['sms', 'call']),
            /** Who, as the person named them (the contact's name); never the number. */
            to: text(100).optional(),
            status: z.enum(NOTIFY_STATUSES),
            /** Why it was skipped or failed: not_enabled, no_contact, no_provider, rate_limited, provider_error. */
            reason: z.string().regex(/^[a-z_]{1,40}$/).optional(),
            attempts: z.number().int().min(0).max(10).optional(),
            at: isoTime.optional(),
            /** What the message said: the alert itself (the default) or the person's all-clear after it. */
            about: z.enum(['alert', 'all_clear']).optional(),
          })
          .strict(),
      )
      .max(20)
      .optional(),
    /** When the person said it was a false alarm or that they are okay again (emergencies). */
    cleared_at: isoTime.optional(),
  })
  .strict();

export const chatSchema = z
  .object({
    user_message: z.string().max(4000),
    ai_response: z.string().max(8000),
    context: z.record(z.string().max(100), z.unknown()).optional(),
    locale: z.string().regex(/^[a-z]{2,3}-[A-Z]{2}$/, 'must be a locale such as en-IN').optional(),
    thread_id: text(100).optional(),
    timestamp: isoTime.optional(),
  })
  .strict();

/**
 * The daily_summary workflow's stored result (collect → analyse trends → insights →
 * recommendations → store), one per local date: a repeat request returns it unchanged.
 */
export const dailySummarySchema = z
  .object({
    date: isoDate,
    timezone: z.string().refine(isTimeZone, 'must be an IANA time zone'),
    day: z.record(z.string(), z.unknown()),
    trends: z.record(z.string(), z.unknown()),
    recommendations: z.array(z.record(z.string(), z.unknown())).max(50),
    highlights: z.array(z.string().max(300)).max(20),
    generated_at: isoTime,
  })
  .strict();

interface TypeSpec<S extends z.ZodType> {
  schema: S;
  /** The payload field that orders lists and time ranges; null = the first write's time. */
  timeField: string | null;
  /** Filled with the current time when absent on create. */
  timeDefaultsToNow: boolean;
  eventKind: EventKind;
}

const spec = <S extends z.ZodType>(schema: S, timeField: string | null, eventKind: EventKind = 'fact', timeDefaultsToNow = timeField !== null): TypeSpec<S> => ({
  schema,
  timeField,
  timeDefaultsToNow,
  eventKind,
});

export const EVENT_TYPES = {
  profile: spec(profileSchema, null),
  food: spec(foodSchema, 'logged_at'),
  vitals: spec(vitalsSchema, 'logged_at'),
  medication: spec(medicationSchema, null),
  med_schedule: spec(medScheduleSchema, null),
  medication_log: spec(medicationLogSchema, 'taken_at', 'action'),
  water: spec(waterSchema, 'logged_at'),
  sleep: spec(sleepSchema, 'sleep_start', 'fact', false),
  exercise: spec(exerciseSchema, 'logged_at'),
  mood: spec(moodSchema, 'logged_at'),
  meditation_session: spec(meditationSessionSchema, null),
  meditation_log: spec(meditationLogSchema, 'logged_at'),
  appointment: spec(appointmentSchema, 'scheduled_at', 'fact', false),
  emergency_contact: spec(emergencyContactSchema, null),
  alarm: spec(alarmSchema, null),
  notification: spec(notificationSchema, 'fire_at', 'fact', false),
  chat: spec(chatSchema, 'timestamp', 'action'),
  daily_summary: spec(dailySummarySchema, 'generated_at', 'observation'),
  alert: spec(alertSchema, 'occurred_at', 'observation'),
} as const;

export type EventType = keyof typeof EVENT_TYPES;
export const EVENT_TYPE_NAMES = Object.keys(EVENT_TYPES) as EventType[];
export type PayloadOf<T extends EventType> = z.output<(typeof EVENT_TYPES)[T]['schema']>;
export type PayloadInput<T extends EventType> = z.input<(typeof EVENT_TYPES)[T]['schema']>;

export function isEventType(t: unknown): t is EventType {
  return typeof t === 'string' && Object.prototype.hasOwnProperty.call(EVENT_TYPES, t);
}
