/** Alarms ("remind me to drink water every day at 4 pm") and appointments ("doctor appointment on 5th December at 10 am"). */
import { isoInZone, localParts, ymd, zonedToInstant } from './clock.js';
import { COMMON_WORDS, HINGLISH_MARKERS, isCanonicalKnown } from './lexicon.js';
import { findMedication } from './medication.js';
import { isNumeral } from './numbers.js';
import { DEFAULT_TIME_ZONE, findDate, findRelativeOffset, parseTime } from './time.js';
import type { AlarmSlots, AlarmType, AppointmentSlots, NluContext, Normalized } from './types.js';

const APPOINTMENT_WORDS = new Set(['appointment', 'checkup']);
const MEETING_VERBS = new Set(['go', 'see', 'meet', 'milna', 'milne', 'dikhana', 'dikhane', 'visit']);
const MEAL = new Set(['breakfast', 'lunch', 'dinner', 'meal', 'ate', 'snack']);
const DOCTOR_TITLE_SKIP = new Set(['of', 'ko', 'at', 'in', 'on', 'from', 'for', 'appointment', 'checkup', 'the', 'my', 'a', 'an', 'and', 'is', 'go', 'see', 'paas', 'पास']);

export function isAppointment(tokens: readonly string[]): boolean {
  if (tokens.some((t) => APPOINTMENT_WORDS.has(t))) return true;
  return tokens.includes('doctor') && tokens.some((t) => MEETING_VERBS.has(t) || t === 'hospital');
}

export function alarmType(tokens: readonly string[], n: Normalized, ctx: NluContext): AlarmType {
  if (tokens.includes('medicine') || tokens.includes('dose') || findMedication(n, ctx?.medications) !== undefined) return 'medication';
  if (tokens.includes('water')) return 'water';
  if (tokens.includes('meditate')) return 'meditation';
  if (tokens.some((t) => MEAL.has(t))) return 'meal';
  return 'custom';
}

const DEFAULT_TITLE: Record<Exclude<AlarmType, 'custom'>, string> = {
  water: 'Drink water',
  medication: 'Take your medicine',
  meal: 'Meal time',
  meditation: 'Meditation time',
};

/** For custom English reminders, the words after "to" up to the time phrase ("call my son"). */
function customTitle(raw: string): string | undefined {
  const m = /\bto\s+(.+)$/i.exec(raw.trim());
  if (!m) return undefined;
  const cut = m[1]!
    .split(/\s+(?:at|on|every|tomorrow|today|in|after|daily|each|by)\b/i)[0]!
    .replace(/[.,!?]+$/, '')
    .trim();
  return cut ? cut.charAt(0).toUpperCase() + cut.slice(1) : undefined;
}

export function parseAlarm(n: Normalized, ctx: NluContext): { slots: AlarmSlots; missing: string[] } {
  const tokens = n.tokens;
  const type = alarmType(tokens, n, ctx);
  const policy = tokens.includes('wakeup') ? 'wake' : 'future';
  const t = parseTime(n, ctx, policy);
  const slots: AlarmSlots = { kind: 'alarm', alarm_type: type, title: type === 'custom' ? customTitle(n.raw) ?? 'Reminder' : DEFAULT_TITLE[type] };
  if (tokens.includes('wakeup') && type === 'custom') slots.title = 'Wake up';
  if (type === 'medication') {
    const med = findMedication(n, ctx?.medications);
    if (med) {
      slots.medication = med;
      slots.title = `Take ${med}`;
    }
  }
  if (t?.time) slots.time = t.time;
  if (t?.days_of_week) slots.days_of_week = t.days_of_week;
  else if (t?.date && t.time) slots.date = t.date;
  const rel = t?.relative ? findRelativeOffset(tokens) : undefined;
  if (rel) slots.in_minutes = rel.minutes;
  if (type === 'custom' && slots.title === 'Reminder' && (rel || !t)) slots.snooze = true;
  return { slots, missing: slots.time ? [] : ['time'] };
}

function doctorName(n: Normalized): string | undefined {
  const tokens = n.tokens;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] !== 'doctor') continue;
    const name = tokens[i + 1];
    if (
      name === undefined || DOCTOR_TITLE_SKIP.has(name) || isNumeral(name) || COMMON_WORDS.has(name) || HINGLISH_MARKERS.has(name) ||
      isCanonicalKnown(name) || /[\u0900-\u097F]/.test(name)
    ) continue;
    return `Dr. ${name.charAt(0).toUpperCase()}${name.slice(1)}`;
  }
  return undefined;
}

function appointmentTitle(tokens: readonly string[], doctor: string | undefined): string {
  const k = tokens.findIndex((t) => t === 'checkup' || t === 'appointment');
  const before = k > 0 ? tokens[k - 1]! : undefined;
  if (before && /^[a-z]+$/.test(before) && !COMMON_WORDS.has(before) && !isCanonicalKnown(before) && !HINGLISH_MARKERS.has(before)) {
    return `${before.charAt(0).toUpperCase()}${before.slice(1)} ${tokens[k] === 'checkup' ? 'checkup' : 'appointment'}`;
  }
  if (doctor) return `Appointment with ${doctor}`;
  return tokens.includes('checkup') ? 'Checkup' : 'Doctor appointment';
}

export function parseAppointment(n: Normalized, ctx: NluContext): { slots: AppointmentSlots; missing: string[] } {
  const tz = ctx.timeZone ?? DEFAULT_TIME_ZONE;
  const now = ctx.now;
  const doctor = doctorName(n);
  const slots: AppointmentSlots = { kind: 'appointment', title: appointmentTitle(n.tokens, doctor) };
  if (doctor) slots.doctor = doctor;
  const t = parseTime(n, ctx, 'future');
  const saidDate = findDate(n.tokens, localParts(now, tz));
  if (t?.relative && t.date) slots.date = t.date;
  else if (saidDate) slots.date = ymd(saidDate);
  if (t?.time && !(t.part_of_day && !/\d/.test(n.text))) slots.time = t.time;
  if (slots.date && slots.time) {
    const [y, m, d] = slots.date.split('-').map(Number) as [number, number, number];
    const [hh, mm] = slots.time.split(':').map(Number) as [number, number];
    slots.scheduled_at = isoInZone(zonedToInstant({ year: y, month: m, day: d }, hh, mm, tz), tz);
  }
  const missing: string[] = [];
  if (!slots.date) missing.push('date');
  if (!slots.time) missing.push('time');
  return { slots, missing };
}
