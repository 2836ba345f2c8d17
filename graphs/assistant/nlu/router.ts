/**
 * The deterministic router: one route per turn plus the slots that route needs. Emergency is
 * checked first and wins over everything, including unreadable-input flags.
 */
import { isValidTimeZone, localParts } from './clock.js';
import { reminderAnswer } from './answer.js';
import { parseDietQuestion } from './diet.js';
import { detectCallAsk, detectEmergency } from './emergency.js';
import { parseFoodSlots, type FoodIndex } from './food.js';
import { COMMON_WORDS, HINGLISH_MARKERS, isCanonicalKnown } from './lexicon.js';
import { findMedication, mentionsExtraDose } from './medication.js';
import { normalize } from './normalize.js';
import { isNumeral } from './numbers.js';
import { defaultFoodIndex } from './nutrition.js';
import { chatTopic, findMetric, findTopic, parseHealthQuery } from './query.js';
import { isAppointment, parseAlarm, parseAppointment } from './reminder.js';
import { DEFAULT_TIME_ZONE } from './time.js';
import { EXERCISE_WORDS, MOOD_WORDS, mentionsSleep, parseExercise, parseMood, parseSleepEntry, parseWater } from './tracking.js';
import type {
  InputFlag, InvalidSlot, LogEntry, MedicationSlots, NluContext, NluResult, Normalized, PartOfDay, Route, SlotsByRoute, VitalsEntry,
} from './types.js';
import { mentionsVital, parseVitals } from './vitals.js';

export interface RouteOptions {
  /** Nutrition index to match foods against; the bundled table by default. */
  foodIndex?: FoodIndex;
}

const BLOCKING: ReadonlySet<InputFlag> = new Set(['empty', 'emoji_only', 'unsupported_script']);
const WH = new Set(['what', 'how', 'how_much', 'when', 'which', 'kya', 'why', 'where', 'any']);
const AUX = new Set(['did', 'do', 'does', 'have', 'has', 'is', 'was', 'are', 'were', 'can', 'could', 'will', 'should', 'am']);
const PRONOUN = new Set(['i', 'you', 'we', 'my', 'he', 'she', 'they', 'it', 'me', 'your', 'there', 'this', 'that']);
const JUDGEMENT = new Set(['good', 'normal', 'high', 'low', 'bad', 'dangerous', 'safe', 'healthy']);
const POD = new Set(['morning', 'afternoon', 'evening', 'night']);

function result<R extends Route>(route: R, n: Normalized, slots: SlotsByRoute[R], missing: string[] = [], invalid: InvalidSlot[] = [], flags: InputFlag[] = n.flags): NluResult {
  return { route, slots, missing, invalid, flags, lang: n.lang } as NluResult;
}

/** Words that judge a value: "high", "kam" (lower), "zyada" (very), "theek" (good), "sahi" (normal). */
const VALUE_JUDGEMENT = new Set([...JUDGEMENT, 'lower', 'very', 'okay', 'fine', 'worry', 'worrying', 'खतरनाक']);

/**
 * Asking about a value rather than reporting one: a judgement of it, in question form ("is 140 over
 * 90 high?", "kya 140/90 zyada hai", "क्या शुगर 200 ठीक है", "is an oxygen level of 95 okay").
 * "my BP is 140 over 90" judges nothing, so it is a reading to save.
 */
function asksAboutValue(n: Normalized): boolean {
  const t = n.tokens;
  if (!t.some((w) => VALUE_JUDGEMENT.has(w))) return false;
  return n.question || AUX.has(t[0] ?? '') || t.includes('kya');
}

function isStrongQuestion(n: Normalized): boolean {
  const t = n.tokens;
  if (n.question) return true;
  const first = t[0];
  if (first !== undefined && AUX.has(first) && PRONOUN.has(t[1] ?? '')) return true;
  for (const w of t) if (WH.has(w)) return true;
  return false;
}

function chat(n: Normalized, extraFlags: InputFlag[] = []): NluResult {
  const flags = [...n.flags, ...extraFlags];
  const topic = chatTopic(n);
  if (!topic && !flags.includes('unintelligible') && n.tokens.length > 0 && !n.tokens.some(isKnownWord)) flags.push('unintelligible');
  return result('chat', n, topic ? { topic } : {}, [], [], flags);
}

function isKnownWord(t: string): boolean {
  return isNumeral(t) || COMMON_WORDS.has(t) || HINGLISH_MARKERS.has(t) || isCanonicalKnown(t) || defaultFoodIndex().firstTokens.has(t);
}

/** A context safe to compute with: an unknown zone falls back to the default rather than throwing. */
export function safeContext(ctx: NluContext): NluContext {
  if (ctx.timeZone === undefined || isValidTimeZone(ctx.timeZone)) return ctx;
  return { ...ctx, timeZone: DEFAULT_TIME_ZONE };
}

/** Route a normalized turn. Pure: the same input, context and clock give the same result. */
export function route(n: Normalized, context: NluContext, options: RouteOptions = {}): NluResult {
  const ctx = safeContext(context);
  const flags = n.flags;
  for (const f of flags) if (BLOCKING.has(f)) return result('chat', n, {});
  const tokens = n.tokens;

  // Symptoms, a fall, "help", and asks to reach someone ("call my son"): the emergency agent tells the family.
  const symptoms = detectEmergency(tokens, n.text);
  const ask = detectCallAsk(tokens, ctx.contacts);
  if (symptoms.length || ask) return result('emergency', n, { symptoms, ...(ask ? { call: ask } : {}) });
  if (flags.includes('too_long')) return chat(n);

  // "yes", "haan le li", "I skipped it": the answer to a reminder (the agent finds which one).
  const answer = reminderAnswer(n);
  if (answer) return result('medication', n, answer);

  const has = (w: string): boolean => tokens.includes(w);
  const question = isStrongQuestion(n);
  const asks = question || has('tell');
  const med = findMedication(n, ctx.medications, false);
  const medWord = has('medicine') || has('dose') || med !== undefined;

  // Reminders and appointments: "remind", "alarm", "wake me", or a doctor visit being planned.
  if (has('remind') || has('alarm') || has('wakeup') || (isAppointment(tokens) && !question)) {
    if (isAppointment(tokens) && !has('alarm')) {
      const a = parseAppointment(n, ctx);
      return result('reminder', n, a.slots, a.missing);
    }
    const a = parseAlarm(n, ctx);
    return result('reminder', n, a.slots, a.missing);
  }

  // A question about a value ("is 140 over 90 high?"): what it means, from the ranges; nothing is written.
  const asked = parseVitals(tokens);
  if (asked.entry && asked.used.size > 0 && asked.invalid.length === 0 && asksAboutValue(n)) {
    const topic = findTopic(tokens);
    return result('recommendation', n, { ...(topic ? { topic } : {}), reading: asked.entry as VitalsEntry });
  }

  // A diet question ("is rice good for diabetes", "kya main chawal kha sakta hoon"): the diet rules
  // answer; nothing is logged. A medicine in it ("can I eat before Metformin") is the medicine's.
  if (!medWord) {
    const diet = parseDietQuestion(n, options.foodIndex ?? defaultFoodIndex());
    if (diet) {
      const topic = findTopic(tokens);
      return result('recommendation', n, { ...(topic ? { topic } : {}), diet });
    }
  }

  // Advice: asked for explicitly, or a judgement question about a reading ("is my BP okay").
  const metricWord = mentionsVital(tokens) || has('sleep') || has('water') || has('weight');
  if (
    has('advice') ||
    (has('improve') && (question || has('how'))) ||
    (has('lower') && (question || has('how') || has('for'))) ||
    (has('health') && (question || has('how'))) ||
    / good for me\b/.test(` ${n.text}`) ||
    (question && metricWord && tokens.some((t) => JUDGEMENT.has(t)))
  ) {
    const topic = findTopic(tokens);
    return result('recommendation', n, topic ? { topic } : {});
  }

  const took = has('took') || has('ate') || has('forgot') || has('skipped');
  const dueWords = has('now') || has('next') || has('due') || has('need') || has('should');
  if (medWord) {
    const pod = tokens.find((t) => POD.has(t)) as PartOfDay | undefined;
    // "what medicines do I take", "when do I take Amlodipine": a habit, so the schedule, not the
    // dose log ("did I take…").
    if (question && has('do') && has('take') && !took && !dueWords && !has('did')) {
      const name = findMedication(n, ctx.medications);
      if (pod && !name) return result('medication', n, { intent: 'query_due', part_of_day: pod } satisfies MedicationSlots);
      return result('medication', n, { intent: 'list_schedule', ...(name ? { medication: name } : {}) } satisfies MedicationSlots);
    }
    // "did I take my Metformin", "dawai li kya": answered from the user's own dose log.
    if (question && (took || has('take')) && !dueWords) {
      const q = parseHealthQuery(n, ctx);
      q.slots.metric = 'medication';
      return result('health_query', n, q.slots, []);
    }
    const askingWhichFor = pod !== undefined && (has('which') || has('what')) && !took;
    if (!took && (askingWhichFor || ((dueWords || has('take')) && (question || has('take') || has('is'))))) {
      return result('medication', n, { intent: 'query_due', ...(pod ? { part_of_day: pod } : {}) } satisfies MedicationSlots);
    }
    if (!took && (has('schedule') || has('tell') || question)) {
      return result('medication', n, { intent: 'list_schedule' } satisfies MedicationSlots);
    }
    if (took || has('not') || !question) {
      const skipped = has('forgot') || has('skipped') || has('not');
      const slots: MedicationSlots = { intent: 'log_dose', status: skipped ? 'skipped' : 'taken' };
      const name = findMedication(n, ctx.medications);
      if (name) slots.medication = name;
      if (pod) slots.part_of_day = pod;
      if (!skipped && mentionsExtraDose(n)) slots.extra = true;
      // No name ("dawai le li") is not missing: the agent logs the doses due now from the schedule.
      return result('medication', n, slots);
    }
  }

  // "what should I eat for BP", "diet plan batao": asking what to do is advice, not a lookup.
  if ((has('should') && question) || has('diet')) {
    const topic = findTopic(tokens);
    return result('recommendation', n, topic ? { topic } : {});
  }

  if (asks) {
    const metric = findMetric(n, ctx);
    if (metric) {
      const q = parseHealthQuery(n, ctx);
      return result('health_query', n, q.slots, q.missing);
    }
  }

  // Logging: readings with values first, then food, then tracking and mood.
  const vitals = parseVitals(tokens);
  const vitalsHaveValue = vitals.entry && vitals.used.size > 0;
  const index = options.foodIndex ?? defaultFoodIndex();
  const now = ctx.now;
  if (!vitalsHaveValue) {
    const food = parseFoodSlots(tokens, index, localParts(now, ctx.timeZone ?? DEFAULT_TIME_ZONE).hour);
    if (food.items.length) return result('food', n, food);
    if ((has('ate') || has('breakfast') || has('lunch') || has('dinner')) && food.unmatched.length && !question) {
      return result('food', n, food, ['items']);
    }
  }

  const entries: LogEntry[] = [];
  const missing: string[] = [];
  const invalid: InvalidSlot[] = [];
  const add = (p: { entry?: LogEntry; missing: string[]; invalid: InvalidSlot[] }): void => {
    if (!p.entry) return;
    entries.push(p.entry);
    missing.push(...p.missing);
    invalid.push(...p.invalid);
  };
  if (vitals.entry && (vitalsHaveValue || !question)) add(vitals);
  if (has('water') && !question) add(parseWater(tokens));
  if (mentionsSleep(tokens) && !question) add(parseSleepEntry(n, ctx));
  if (tokens.some((t) => EXERCISE_WORDS.has(t)) && !question) add(parseExercise(n));
  if (!question && !vitals.entry && tokens.some((t) => MOOD_WORDS.has(t)) && (has('feel') || has('mood') || has('i') || has('am') || has('is') || has('today'))) {
    add(parseMood(tokens));
  }
  if (entries.length) return result('log', n, { entries }, [...new Set(missing)], invalid);

  if (medWord) return result('medication', n, { intent: 'query_due' } satisfies MedicationSlots);
  return chat(n);
}

/** Normalize and route in one call. */
export function understand(text: string, ctx: NluContext, options: RouteOptions = {}): NluResult {
  return route(normalize(text), ctx, options);
}
