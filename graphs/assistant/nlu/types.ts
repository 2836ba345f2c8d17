/** Shapes shared by the NLU parsers and the assistant graph's nodes. */
import type { DietCondition, DietFood } from '../../../src/health/diet.js';

/** The language form of what was said (Hinglish is its own form); replies use prompts' Lang. */
export type TextLang = 'en' | 'hi' | 'hinglish';

export const ROUTES = ['food', 'log', 'health_query', 'recommendation', 'medication', 'reminder', 'emergency', 'chat'] as const;
export type Route = (typeof ROUTES)[number];

/**
 * Why a turn cannot be understood. Any of these makes the route `chat` (unless an emergency was
 * still recognisable) so the agent answers politely and writes nothing.
 */
export type InputFlag = 'empty' | 'too_long' | 'emoji_only' | 'unsupported_script' | 'mixed_script' | 'unintelligible';

export interface Normalized {
  raw: string;
  /** Canonical lowercase tokens: numerals for number words, English concept words for vocabulary. */
  tokens: string[];
  /** `tokens` joined by single spaces. */
  text: string;
  lang: TextLang;
  flags: InputFlag[];
  /** The raw text had a question mark. */
  question: boolean;
}

export interface NluContext {
  /**
   * Reference instant for relative times and the time of day: the caller's clock (the assistant
   * passes the service's injected one). Required, so nothing here falls back to the host's date.
   */
  now: Date;
  /** IANA zone of the user; defaults to Asia/Kolkata. */
  timeZone?: string;
  /** Names of the user's active medications, as stored (e.g. "Metformin"). */
  medications?: readonly string[];
  /** First names of the user's emergency contacts, lower case ("call Rahul"). */
  contacts?: readonly string[];
}

export type MealType = 'breakfast' | 'lunch' | 'dinner' | 'snack';
export type PartOfDay = 'morning' | 'afternoon' | 'evening' | 'night';

export interface FoodItem {
  /** Id in graphs/assistant/data/nutrition.json. */
  food: string;
  name: string;
  quantity: number;
  /** Unit as said ("katori", "plate", "glass", "cup", "piece", "slice", "spoon", "tsp", "g", "ml"). */
  unit?: string;
}

export interface FoodSlots {
  items: FoodItem[];
  meal_type?: MealType;
  /** Whether the meal came from the words or from the local time of day. */
  meal_type_source?: 'said' | 'time';
  /** Food-like words that matched nothing in the nutrition table. */
  unmatched: string[];
}

export type SugarContext = 'fasting' | 'post_meal' | 'random';

export interface VitalsEntry {
  kind: 'vitals';
  systolic?: number;
  diastolic?: number;
  heart_rate?: number;
  blood_sugar?: number;
  sugar_context?: SugarContext;
  temperature?: number;
  temperature_unit?: 'F' | 'C';
  weight_kg?: number;
  spo2?: number;
  /** Which vital(s) the user named, even without a value: drives `missing`. */
  asked: VitalKind[];
}
export type VitalKind = 'bp' | 'heart_rate' | 'sugar' | 'temperature' | 'weight' | 'spo2';

export interface WaterEntry {
  kind: 'water';
  amount_ml?: number;
  glasses?: number;
}
export interface SleepEntry {
  kind: 'sleep';
  /** ISO 8601 with the user's offset. */
  sleep_start?: string;
  sleep_end?: string;
  hours?: number;
  /** 1–10. */
  quality?: number;
}
export type ExerciseType =
  | 'walking' | 'running' | 'cycling' | 'swimming' | 'yoga' | 'pranayama' | 'stretching' | 'dancing' | 'exercise';
export interface ExerciseEntry {
  kind: 'exercise';
  exercise_type: ExerciseType;
  duration_minutes?: number;
}
export type Mood = 'happy' | 'good' | 'calm' | 'okay' | 'low' | 'sad' | 'anxious' | 'stressed' | 'tired' | 'angry' | 'lonely';
export interface MoodEntry {
  kind: 'mood';
  mood: Mood;
  /** 1–10. */
  energy_level?: number;
}
export type LogEntry = VitalsEntry | WaterEntry | SleepEntry | ExerciseEntry | MoodEntry;
export interface LogSlots {
  entries: LogEntry[];
}

export type Metric =
  | 'bp' | 'sugar' | 'heart_rate' | 'temperature' | 'weight' | 'spo2' | 'water' | 'sleep' | 'exercise' | 'mood' | 'food' | 'calories' | 'medication';
export type Period =
  | 'latest' | 'today' | 'yesterday' | 'last_night' | 'this_week' | 'last_week' | 'last_7_days' | 'last_30_days' | 'this_month' | 'last_month';
export interface HealthQuerySlots {
  metric?: Metric;
  period: Period;
  part_of_day?: PartOfDay;
  /** For "did I take my X". */
  medication?: string;
  /** The period as an instant range in the user's zone (absent for `latest`). */
  range?: { from: string; to: string };
}

export type Topic =
  | 'bp' | 'sugar' | 'heart_rate' | 'temperature' | 'weight' | 'water' | 'sleep' | 'exercise' | 'diet' | 'mood' | 'medication';
/** A diet question ("is rice good for diabetes", "kya main aam kha sakta hoon"): answered from the diet rules, never logged. */
export interface DietSlots {
  /** Food groups asked about (src/health/diet.json), in the order said; none for "what should I eat". */
  foods: DietFood[];
  /** Conditions named in the question ("for diabetes", "BP mein"); the agent adds the profile's. */
  conditions: DietCondition[];
  /** Nutrition ids of foods named that have no diet group ("can I eat chicken"). */
  other?: string[];
}

export interface RecommendationSlots {
  topic?: Topic;
  /** A value asked about ("is 140 over 90 high?"): answered from the ranges, never stored. */
  reading?: VitalsEntry;
  diet?: DietSlots;
}

/** `confirm`: a bare yes or no, meaningful only as the answer to a reminder just spoken. */
export type MedicationIntent = 'log_dose' | 'query_due' | 'list_schedule' | 'confirm';
export interface MedicationSlots {
  intent: MedicationIntent;
  /** For `confirm`. */
  answer?: 'yes' | 'no';
  medication?: string;
  status?: 'taken' | 'skipped';
  part_of_day?: PartOfDay;
  /** "an extra one", "one more", "ek aur": a dose beyond the schedule (logged even when that dose is taken). */
  extra?: boolean;
}

export type AlarmType = 'water' | 'medication' | 'meal' | 'meditation' | 'custom';
export interface AlarmSlots {
  kind: 'alarm';
  alarm_type: AlarmType;
  /** Local HH:MM. */
  time?: string;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. Absent for a one-off reminder. */
  days_of_week?: number[];
  /** Local YYYY-MM-DD for a one-off reminder. */
  date?: string;
  title: string;
  medication?: string;
  /** "in 10 minutes": the delay as said. */
  in_minutes?: number;
  /**
   * "remind me in 10 minutes", "remind me later": no subject of its own, so right after a spoken
   * reminder it means "say that one again later" (a snooze); otherwise a plain "Reminder" alarm.
   */
  snooze?: boolean;
}
export interface AppointmentSlots {
  kind: 'appointment';
  title: string;
  doctor?: string;
  date?: string;
  time?: string;
  /** ISO 8601 with the user's offset, once both date and time are known. */
  scheduled_at?: string;
}
export type ReminderSlots = AlarmSlots | AppointmentSlots;

export type Symptom =
  | 'chest_pain' | 'breathing' | 'fainting' | 'stroke' | 'dizziness' | 'seizure' | 'bleeding' | 'fall' | 'self_harm' | 'overdose' | 'general';
export interface EmergencySlots {
  /** Empty for a plain ask to call someone, or an all-clear. */
  symptoms: Symptom[];
  /** "call my son", "Rahul ko phone karo": tell someone now; `who` is the name or relation said. */
  call?: { who?: string };
  /** "I'm okay", "it was a mistake" right after an emergency (the router sets it from the thread). */
  all_clear?: true;
}

export type ChatTopic = 'greeting' | 'thanks' | 'help' | 'identity' | 'goodbye' | 'smalltalk';
export interface ChatSlots {
  topic?: ChatTopic;
}

export interface SlotsByRoute {
  food: FoodSlots;
  log: LogSlots;
  health_query: HealthQuerySlots;
  recommendation: RecommendationSlots;
  medication: MedicationSlots;
  reminder: ReminderSlots;
  emergency: EmergencySlots;
  chat: ChatSlots;
}

/** A value the user said that cannot be a real reading: ask again, never store. */
export interface InvalidSlot {
  slot: string;
  value: number;
  reason: 'out_of_range';
}

interface ResultBase {
  /** Required slots still unknown (including invalid ones), in the order to ask for them. */
  missing: string[];
  invalid: InvalidSlot[];
  flags: InputFlag[];
  lang: TextLang;
}
export type NluResultFor<R extends Route> = ResultBase & { route: R; slots: SlotsByRoute[R] };
export type NluResult = { [R in Route]: NluResultFor<R> }[Route];
