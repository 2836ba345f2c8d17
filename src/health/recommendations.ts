/**
 * Rule-based, non-diagnostic health recommendations from a user's own readings and profile.
 * Shared by GET /api/health/recommendations and the assistant's recommendation agent: rules
 * decide, an LLM may only rephrase. Thresholds: BP by the 2017 ACC/AHA categories; blood sugar by
 * the usual fasting / post-meal cut-offs; fever at 100.4 °F (38 °C); SpO2 below 94 / 90 %.
 * Every recommendation names the reading it came from. Pure: no I/O, no clock (now is passed in).
 */
import type { Lang } from '../../prompts/lang.js';
import { localDate, localTime, zonedTimeToUtc } from '../locusgraph/zoned-time.js';

export type Severity = 'info' | 'caution' | 'urgent';
export interface LocalizedText {
  en: string;
  hi: string;
}

/** A vitals event payload as stored (spec field names), with its id. */
export interface VitalsReading {
  id?: string;
  logged_at: string;
  blood_pressure_systolic?: number;
  blood_pressure_diastolic?: number;
  heart_rate?: number;
  blood_sugar?: number;
  blood_sugar_context?: 'fasting' | 'post_meal' | 'random';
  temperature?: number;
  temperature_unit?: 'F' | 'C';
  spo2?: number;
  weight_kg?: number;
}
export interface WaterLog {
  id?: string;
  amount_ml: number;
  logged_at: string;
}
export interface SleepLog {
  id?: string;
  sleep_start: string;
  sleep_end: string;
  quality?: number;
}
/** Doses taken against doses scheduled over a period (computed by the caller from its logs). */
export interface Adherence {
  taken: number;
  expected: number;
  from?: string;
  to?: string;
}
export interface HealthProfile {
  medical_conditions?: string[];
  /** Daily water target; 2,000 ml when absent. */
  water_target_ml?: number;
}

export interface RecommendationInput {
  vitals?: readonly VitalsReading[];
  water?: readonly WaterLog[];
  sleep?: readonly SleepLog[];
  adherence?: Adherence;
  profile?: HealthProfile;
  now: Date;
  /** IANA zone, for "today" in water intake. */
  timeZone: string;
}

export type ReadingType = 'bp' | 'sugar' | 'heart_rate' | 'temperature' | 'spo2' | 'water' | 'sleep' | 'adherence';
export interface RecommendationReading {
  type: ReadingType;
  id?: string;
  logged_at: string;
  systolic?: number;
  diastolic?: number;
  value?: number;
  unit?: string;
  context?: string;
  total_ml?: number;
  target_ml?: number;
  hours?: number;
  taken?: number;
  expected?: number;
  percent?: number;
}

export interface Recommendation {
  /** Stable rule id, e.g. `bp_stage_2`. */
  id: string;
  severity: Severity;
  title: LocalizedText;
  message: LocalizedText;
  reading: RecommendationReading;
}

export const DEFAULT_WATER_TARGET_ML = 2000;
/** Readings older than this are not advised on. */
const MAX_AGE_MS = 30 * 86_400_000;
/** An urgent rule fires as urgent only for a fresh reading; an older one asks for a re-check. */
const URGENT_FRESH_MS = 24 * 3_600_000;

const DOCTOR = { en: 'Consider talking to your doctor about it.', hi: 'इस बारे में अपने डॉक्टर से बात करें।' };
const EMERGENCY_SIGNS = {
  en: 'If you have chest pain, breathlessness, weakness, confusion or trouble speaking, call 112 now.',
  hi: 'अगर सीने में दर्द, सांस फूलना, कमजोरी, उलझन या बोलने में दिक्कत हो तो तुरंत 112 पर कॉल करें।',
};

// ---------------------------------------------------------------- categories

export type BpCategory = 'low' | 'normal' | 'elevated' | 'stage_1' | 'stage_2' | 'crisis';

/** 2017 ACC/AHA: the higher of the two numbers decides; "low" is below 90/60. */
export function bpCategory(systolic: number, diastolic: number): BpCategory {
  if (systolic > 180 || diastolic > 120) return 'crisis';
  if (systolic >= 140 || diastolic >= 90) return 'stage_2';
  if (systolic >= 130 || diastolic >= 80) return 'stage_1';
  if (systolic >= 120) return 'elevated';
  if (systolic < 90 || diastolic < 60) return 'low';
  return 'normal';
}

export type SugarCategory = 'very_low' | 'low' | 'normal' | 'above_normal' | 'high' | 'very_high';

export function sugarCategory(mgdl: number, context: 'fasting' | 'post_meal' | 'random' = 'random'): SugarCategory {
  if (mgdl < 54) return 'very_low';
  if (mgdl < 70) return 'low';
  if (mgdl >= 300) return 'very_high';
  if (context === 'fasting') return mgdl >= 126 ? 'high' : mgdl >= 100 ? 'above_normal' : 'normal';
  if (mgdl >= 200) return 'high';
  return mgdl >= 140 ? 'above_normal' : 'normal';
}

export function toFahrenheit(value: number, unit?: 'F' | 'C'): number {
  const u = unit ?? (value < 50 ? 'C' : 'F');
  return u === 'C' ? Math.round((value * 9) / 5 * 10 + 320) / 10 : value;
}

// ---------------------------------------------------------------- helpers

function latest<T extends { logged_at: string }>(items: readonly T[], pick: (t: T) => boolean, now: Date): T | undefined {
  let best: T | undefined;
  let bestT = -Infinity;
  for (const it of items) {
    if (!pick(it)) continue;
    const t = Date.parse(it.logged_at);
    if (!Number.isFinite(t) || t > now.getTime() + 60_000 || now.getTime() - t > MAX_AGE_MS) continue;
    if (t > bestT) {
      best = it;
      bestT = t;
    }
  }
  return best;
}

function hasCondition(profile: HealthProfile | undefined, re: RegExp): boolean {
  return (profile?.medical_conditions ?? []).some((c) => re.test(c));
}

function join(...parts: LocalizedText[]): LocalizedText {
  return { en: parts.map((p) => p.en).join(' '), hi: parts.map((p) => p.hi).join(' ') };
}

function urgentIfFresh(loggedAt: string, now: Date): Severity {
  return now.getTime() - Date.parse(loggedAt) <= URGENT_FRESH_MS ? 'urgent' : 'caution';
}

const RECHECK = { en: 'That reading is more than a day old; please measure again now.', hi: 'यह रीडिंग एक दिन से पुरानी है; कृपया अभी दोबारा जांचें।' };

// ---------------------------------------------------------------- rules

function bpRule(v: VitalsReading, now: Date): Recommendation | undefined {
  const s = v.blood_pressure_systolic!;
  const d = v.blood_pressure_diastolic!;
  const reading: RecommendationReading = { type: 'bp', logged_at: v.logged_at, systolic: s, diastolic: d, unit: 'mmHg' };
  if (v.id) reading.id = v.id;
  const bp = `${s}/${d}`;
  const cat = bpCategory(s, d);
  switch (cat) {
    case 'crisis': {
      const severity = urgentIfFresh(v.logged_at, now);
      return {
        id: 'bp_crisis', severity, reading,
        title: { en: 'Very high blood pressure', hi: 'बहुत ज़्यादा ब्लड प्रेशर' },
        message: join(
          { en: `Your blood pressure of ${bp} is in the crisis range. Please seek medical care now.`, hi: `आपका ब्लड प्रेशर ${bp} बहुत ज़्यादा है। कृपया अभी डॉक्टर या अस्पताल से संपर्क करें।` },
          EMERGENCY_SIGNS,
          ...(severity === 'caution' ? [RECHECK] : []),
        ),
      };
    }
    case 'stage_2':
      return {
        id: 'bp_stage_2', severity: 'caution', reading,
        title: { en: 'High blood pressure', hi: 'ब्लड प्रेशर ज़्यादा है' },
        message: join(
          { en: `Your blood pressure of ${bp} is in the high (stage 2) range. Rest for five minutes and measure again.`, hi: `आपका ब्लड प्रेशर ${bp} ज़्यादा (स्टेज 2) है। पाँच मिनट आराम करके दोबारा नापें।` },
          DOCTOR,
        ),
      };
    case 'stage_1':
      return {
        id: 'bp_stage_1', severity: 'caution', reading,
        title: { en: 'Blood pressure a little high', hi: 'ब्लड प्रेशर थोड़ा ज़्यादा है' },
        message: join(
          { en: `Your blood pressure of ${bp} is in the stage 1 range. Less salt, a daily walk and regular checks help.`, hi: `आपका ब्लड प्रेशर ${bp} स्टेज 1 में है। कम नमक, रोज़ टहलना और नियमित जांच मदद करते हैं।` },
          DOCTOR,
        ),
      };
    case 'elevated':
      return {
        id: 'bp_elevated', severity: 'info', reading,
        title: { en: 'Blood pressure slightly raised', hi: 'ब्लड प्रेशर हल्का बढ़ा हुआ' },
        message: { en: `Your blood pressure of ${bp} is slightly above normal. Less salt and regular activity can help.`, hi: `आपका ब्लड प्रेशर ${bp} सामान्य से थोड़ा ऊपर है। कम नमक और नियमित व्यायाम मदद कर सकते हैं।` },
      };
    case 'low':
      return {
        id: 'bp_low', severity: 'caution', reading,
        title: { en: 'Blood pressure on the low side', hi: 'ब्लड प्रेशर कम है' },
        message: join(
          { en: `Your blood pressure of ${bp} is low. If you feel dizzy, sit or lie down and drink some water.`, hi: `आपका ब्लड प्रेशर ${bp} कम है। चक्कर आए तो बैठ या लेट जाएं और थोड़ा पानी पिएं।` },
          DOCTOR,
        ),
      };
    case 'normal':
      return {
        id: 'bp_normal', severity: 'info', reading,
        title: { en: 'Blood pressure normal', hi: 'ब्लड प्रेशर सामान्य' },
        message: { en: `Your blood pressure of ${bp} is in the normal range. Keep it up.`, hi: `आपका ब्लड प्रेशर ${bp} सामान्य है। ऐसे ही बनाए रखें।` },
      };
  }
}

function sugarRule(v: VitalsReading, profile: HealthProfile | undefined, now: Date): Recommendation | undefined {
  const value = v.blood_sugar!;
  const ctx = v.blood_sugar_context ?? 'random';
  const reading: RecommendationReading = { type: 'sugar', logged_at: v.logged_at, value, unit: 'mg/dL', context: ctx };
  if (v.id) reading.id = v.id;
  const ctxEn = ctx === 'fasting' ? 'fasting ' : ctx === 'post_meal' ? 'after-meal ' : '';
  const ctxHi = ctx === 'fasting' ? 'खाली पेट ' : ctx === 'post_meal' ? 'खाने के बाद की ' : '';
  const ownTarget = hasCondition(profile, /diabet|sugar|madhumeh|मधुमेह/i)
    ? [{ en: 'Your doctor may have set a different target for you.', hi: 'आपके डॉक्टर ने आपके लिए अलग लक्ष्य तय किया हो सकता है।' }]
    : [];
  switch (sugarCategory(value, ctx)) {
    case 'very_low': {
      const severity = urgentIfFresh(v.logged_at, now);
      return {
        id: 'sugar_very_low', severity, reading,
        title: { en: 'Very low blood sugar', hi: 'शुगर बहुत कम' },
        message: join(
          { en: `Your blood sugar of ${value} is very low. Take something sweet now, like glucose, juice or sugar in water, and check again in 15 minutes. If you feel confused or drowsy, call 112.`, hi: `आपकी शुगर ${value} बहुत कम है। अभी कुछ मीठा लें, जैसे ग्लूकोज़, जूस या पानी में चीनी, और 15 मिनट बाद दोबारा जांचें। उलझन या बहुत नींद लगे तो 112 पर कॉल करें।` },
          ...(severity === 'caution' ? [RECHECK] : []),
        ),
      };
    }
    case 'low':
      return {
        id: 'sugar_low', severity: 'caution', reading,
        title: { en: 'Low blood sugar', hi: 'शुगर कम' },
        message: join(
          { en: `Your blood sugar of ${value} is below 70. Have something sweet and check again in 15 minutes.`, hi: `आपकी शुगर ${value} है, 70 से कम। कुछ मीठा लें और 15 मिनट बाद दोबारा जांचें।` },
          DOCTOR,
        ),
      };
    case 'very_high': {
      const severity = urgentIfFresh(v.logged_at, now);
      return {
        id: 'sugar_very_high', severity, reading,
        title: { en: 'Very high blood sugar', hi: 'शुगर बहुत ज़्यादा' },
        message: join(
          { en: `Your blood sugar of ${value} is very high. Please contact your doctor today, and drink water. If you are vomiting, very drowsy or breathing fast, call 112.`, hi: `आपकी शुगर ${value} बहुत ज़्यादा है। आज ही डॉक्टर से संपर्क करें और पानी पीते रहें। उल्टी, बहुत नींद या तेज़ सांस हो तो 112 पर कॉल करें।` },
          ...(severity === 'caution' ? [RECHECK] : []),
        ),
      };
    }
    case 'high':
      return {
        id: 'sugar_high', severity: 'caution', reading,
        title: { en: 'High blood sugar', hi: 'शुगर ज़्यादा' },
        message: join(
          { en: `Your ${ctxEn}blood sugar of ${value} is high.`, hi: `आपकी ${ctxHi}शुगर ${value} ज़्यादा है।` },
          ...ownTarget,
          DOCTOR,
        ),
      };
    case 'above_normal':
      return {
        id: 'sugar_above_normal', severity: ctx === 'fasting' ? 'caution' : 'info', reading,
        title: { en: 'Blood sugar above normal', hi: 'शुगर सामान्य से ऊपर' },
        message: join(
          ctx === 'fasting'
            ? { en: `Your fasting blood sugar of ${value} is above the normal range of 70 to 99.`, hi: `आपकी खाली पेट शुगर ${value} सामान्य सीमा 70 से 99 से ऊपर है।` }
            : { en: `Your ${ctxEn}blood sugar of ${value} is a little above the usual range.`, hi: `आपकी ${ctxHi}शुगर ${value} सामान्य से थोड़ी ऊपर है।` },
          ...ownTarget,
          DOCTOR,
        ),
      };
    case 'normal':
      return {
        id: 'sugar_normal', severity: 'info', reading,
        title: { en: 'Blood sugar in range', hi: 'शुगर सामान्य' },
        message: { en: `Your ${ctxEn}blood sugar of ${value} is in the normal range.`, hi: `आपकी ${ctxHi}शुगर ${value} सामान्य है।` },
      };
  }
}

function temperatureRule(v: VitalsReading, now: Date): Recommendation | undefined {
  const f = toFahrenheit(v.temperature!, v.temperature_unit);
  if (f < 100.4) return undefined;
  const unit = v.temperature_unit ?? (v.temperature! < 50 ? 'C' : 'F');
  const shown = `${v.temperature} °${unit}`;
  const reading: RecommendationReading = { type: 'temperature', logged_at: v.logged_at, value: v.temperature!, unit };
  if (v.id) reading.id = v.id;
  if (f >= 103) {
    const severity = urgentIfFresh(v.logged_at, now);
    return {
      id: 'fever_high', severity, reading,
      title: { en: 'High fever', hi: 'तेज़ बुखार' },
      message: join(
        { en: `Your temperature of ${shown} is a high fever. Please see a doctor today; drink fluids and rest.`, hi: `आपका तापमान ${shown} है, यह तेज़ बुखार है। आज ही डॉक्टर को दिखाएं; पानी पिएं और आराम करें।` },
        EMERGENCY_SIGNS,
        ...(severity === 'caution' ? [RECHECK] : []),
      ),
    };
  }
  return {
    id: 'fever', severity: 'caution', reading,
    title: { en: 'Fever', hi: 'बुखार' },
    message: join(
      { en: `Your temperature of ${shown} means fever. Rest, drink plenty of fluids and check again in a few hours.`, hi: `आपका तापमान ${shown} है, यानी बुखार। आराम करें, खूब पानी पिएं और कुछ घंटे बाद फिर जांचें।` },
      DOCTOR,
    ),
  };
}

function heartRateRule(v: VitalsReading): Recommendation | undefined {
  const hr = v.heart_rate!;
  if (hr >= 50 && hr <= 100) return undefined;
  const reading: RecommendationReading = { type: 'heart_rate', logged_at: v.logged_at, value: hr, unit: 'bpm' };
  if (v.id) reading.id = v.id;
  const low = hr < 50;
  return {
    id: low ? 'heart_rate_low' : 'heart_rate_high', severity: 'caution', reading,
    title: low ? { en: 'Slow pulse', hi: 'धीमी नब्ज़' } : { en: 'Fast pulse', hi: 'तेज़ नब्ज़' },
    message: join(
      low
        ? { en: `Your resting pulse of ${hr} is below 50.`, hi: `आराम की हालत में आपकी नब्ज़ ${hr} है, 50 से कम।` }
        : { en: `Your resting pulse of ${hr} is above 100. Sit quietly for a few minutes and check again.`, hi: `आराम की हालत में आपकी नब्ज़ ${hr} है, 100 से ज़्यादा। कुछ मिनट शांत बैठकर दोबारा जांचें।` },
      EMERGENCY_SIGNS,
      DOCTOR,
    ),
  };
}

function spo2Rule(v: VitalsReading, now: Date): Recommendation | undefined {
  const s = v.spo2!;
  if (s >= 94) return undefined;
  const reading: RecommendationReading = { type: 'spo2', logged_at: v.logged_at, value: s, unit: '%' };
  if (v.id) reading.id = v.id;
  if (s < 90) {
    const severity = urgentIfFresh(v.logged_at, now);
    return {
      id: 'spo2_very_low', severity, reading,
      title: { en: 'Very low oxygen', hi: 'ऑक्सीजन बहुत कम' },
      message: join(
        { en: `Your oxygen level of ${s}% is very low. Please seek medical care now, or call 112 if you are breathless.`, hi: `आपका ऑक्सीजन स्तर ${s}% बहुत कम है। कृपया अभी डॉक्टर से संपर्क करें, सांस फूले तो 112 पर कॉल करें।` },
        ...(severity === 'caution' ? [RECHECK] : []),
      ),
    };
  }
  return {
    id: 'spo2_low', severity: 'caution', reading,
    title: { en: 'Oxygen a little low', hi: 'ऑक्सीजन थोड़ा कम' },
    message: join(
      { en: `Your oxygen level of ${s}% is below 94%. Sit upright, rest, and measure again with warm hands.`, hi: `आपका ऑक्सीजन स्तर ${s}% है, 94% से कम। सीधे बैठें, आराम करें और हाथ गर्म करके दोबारा नापें।` },
      DOCTOR,
    ),
  };
}

const FLUID_RESTRICTED = /kidney|renal|dialysis|heart failure|cardiac failure|ckd|किडनी|गुर्दे/i;

/** Local midnight of `now`'s day in the zone, as an epoch instant (DST days included). */
function localDayStart(now: Date, timeZone: string): number {
  return zonedTimeToUtc(localDate(now.getTime(), timeZone), '00:00', timeZone);
}

/** Water so far today against the target pro-rated over waking hours (07:00–21:00). */
function waterRule(input: RecommendationInput): Recommendation | undefined {
  if (hasCondition(input.profile, FLUID_RESTRICTED)) return undefined; // fluid advice belongs to their doctor
  const target = input.profile?.water_target_ml ?? DEFAULT_WATER_TARGET_ML;
  const from = localDayStart(input.now, input.timeZone);
  let total = 0;
  let last: WaterLog | undefined;
  for (const w of input.water ?? []) {
    const t = Date.parse(w.logged_at);
    if (t >= from && t <= input.now.getTime()) {
      total += w.amount_ml;
      if (!last || t > Date.parse(last.logged_at)) last = w;
    }
  }
  const hour = Number(localTime(input.now.getTime(), input.timeZone).slice(0, 2));
  const expected = Math.round((target * Math.min(1, Math.max(0, (hour - 7) / 14))) / 50) * 50;
  if (expected < 500 || total >= expected) return undefined;
  const reading: RecommendationReading = { type: 'water', logged_at: last?.logged_at ?? input.now.toISOString(), total_ml: total, target_ml: target };
  if (last?.id) reading.id = last.id;
  const glasses = Math.max(1, Math.round((expected - total) / 250));
  return {
    id: 'water_low', severity: 'info', reading,
    title: { en: 'Drink some water', hi: 'थोड़ा पानी पिएं' },
    message: {
      en: `You have had ${total} ml of water today. Try ${glasses} more ${glasses === 1 ? 'glass' : 'glasses'} to stay on track for ${target} ml.`,
      hi: `आज आपने ${total} ml पानी पिया है। ${target} ml के लक्ष्य के लिए ${glasses} गिलास और पिएं।`,
    },
  };
}

function sleepRule(input: RecommendationInput): Recommendation | undefined {
  let best: SleepLog | undefined;
  for (const s of input.sleep ?? []) {
    const end = Date.parse(s.sleep_end);
    if (!Number.isFinite(end) || end > input.now.getTime() + 60_000 || input.now.getTime() - end > 36 * 3_600_000) continue;
    if (!best || end > Date.parse(best.sleep_end)) best = s;
  }
  if (!best) return undefined;
  const hours = Math.round(((Date.parse(best.sleep_end) - Date.parse(best.sleep_start)) / 3_600_000) * 10) / 10;
  if (!(hours > 0) || hours >= 6) return undefined;
  const reading: RecommendationReading = { type: 'sleep', logged_at: best.sleep_end, hours };
  if (best.id) reading.id = best.id;
  return {
    id: 'sleep_short', severity: 'caution', reading,
    title: { en: 'Short sleep', hi: 'कम नींद' },
    message: join(
      { en: `You slept about ${hours} hours. Most adults need 7 or more. A fixed bedtime and less tea or coffee after evening can help.`, hi: `आप लगभग ${hours} घंटे सोए। ज़्यादातर लोगों को 7 घंटे या ज़्यादा नींद चाहिए। सोने का तय समय और शाम के बाद कम चाय-कॉफी मदद कर सकते हैं।` },
      ...(hours < 4 ? [DOCTOR] : []),
    ),
  };
}

function adherenceRule(input: RecommendationInput): Recommendation | undefined {
  const a = input.adherence;
  if (!a || !(a.expected > 0)) return undefined;
  const percent = Math.round((Math.min(a.taken, a.expected) / a.expected) * 100);
  if (percent >= 80) return undefined;
  return {
    id: 'adherence_low', severity: 'caution',
    reading: { type: 'adherence', logged_at: a.to ?? input.now.toISOString(), taken: a.taken, expected: a.expected, percent },
    title: { en: 'Missed medicines', hi: 'दवाइयां छूट रही हैं' },
    message: join(
      { en: `You took ${a.taken} of ${a.expected} scheduled doses (${percent}%). Reminders can help you stay on track.`, hi: `आपने ${a.expected} में से ${a.taken} खुराक ली हैं (${percent}%)। रिमाइंडर लगाने से मदद मिलेगी।` },
      { en: 'Do not stop or change a medicine without your doctor.', hi: 'डॉक्टर से पूछे बिना कोई दवा बंद या बदलें नहीं।' },
    ),
  };
}

const SEVERITY_RANK: Record<Severity, number> = { urgent: 0, caution: 1, info: 2 };

/** All recommendations for the latest reading of each kind, most severe first. */
export function recommend(input: RecommendationInput): Recommendation[] {
  const out: Recommendation[] = [];
  const vitals = input.vitals ?? [];
  const now = input.now;
  const bp = latest(vitals, (v) => v.blood_pressure_systolic !== undefined && v.blood_pressure_diastolic !== undefined, now);
  if (bp) push(out, bpRule(bp, now));
  const sugar = latest(vitals, (v) => v.blood_sugar !== undefined, now);
  if (sugar) push(out, sugarRule(sugar, input.profile, now));
  const temp = latest(vitals, (v) => v.temperature !== undefined, now);
  if (temp) push(out, temperatureRule(temp, now));
  const hr = latest(vitals, (v) => v.heart_rate !== undefined, now);
  if (hr) push(out, heartRateRule(hr));
  const spo2 = latest(vitals, (v) => v.spo2 !== undefined, now);
  if (spo2) push(out, spo2Rule(spo2, now));
  push(out, waterRule(input));
  push(out, sleepRule(input));
  push(out, adherenceRule(input));
  return out.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || Date.parse(b.reading.logged_at) - Date.parse(a.reading.logged_at));
}

function push(out: Recommendation[], r: Recommendation | undefined): void {
  if (r) out.push(r);
}

export interface LocalizedRecommendation {
  id: string;
  severity: Severity;
  title: string;
  message: string;
  reading: RecommendationReading;
}

export function localize(r: Recommendation, lang: Lang): LocalizedRecommendation {
  return { id: r.id, severity: r.severity, title: r.title[lang], message: r.message[lang], reading: r.reading };
}
