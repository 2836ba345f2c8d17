/**
 * Which readings need someone to act: the recommendation rules' own ranges (recommendations.ts),
 * applied to one reading as it is written. REST writes, the assistant's replies (chat, voice,
 * phone) and the family's alerts all ask here, so they always agree with GET
 * /api/health/recommendations. A reading more than a day old is a warning (measure again), never
 * urgent; one in the future is not assessed.
 */
import type { Lang } from '../../prompts/lang.js';
import type { PayloadOf } from '../locusgraph/schemas.js';
import { recommend, type HealthProfile, type LocalizedText, type ReadingType } from './recommendations.js';

export type VitalKind = 'blood_pressure' | 'blood_sugar' | 'heart_rate' | 'temperature' | 'spo2';
export type AlertSeverity = 'urgent' | 'warning';

export interface VitalAlert {
  /** The rule that fired: `bp_crisis`, `sugar_very_low`, `spo2_low`, … */
  code: string;
  kind: VitalKind;
  severity: AlertSeverity;
  title: LocalizedText;
  /** What to do now, from the rule. */
  message: LocalizedText;
  /** An emergency on its own (very low sugar, oxygen far below 90): the family is told at once, by text and call. */
  emergency: boolean;
}

/** Oxygen below this is an emergency on its own, not only an urgent reading (below 90). */
export const SPO2_EMERGENCY_BELOW = 85;

const isEmergency = (code: string, severity: AlertSeverity, v: Vitals): boolean =>
  severity === 'urgent' && (code === 'sugar_very_low' || (code === 'spo2_very_low' && v.spo2 !== undefined && v.spo2 < SPO2_EMERGENCY_BELOW));

const KIND: Partial<Record<ReadingType, VitalKind>> = {
  bp: 'blood_pressure',
  sugar: 'blood_sugar',
  heart_rate: 'heart_rate',
  temperature: 'temperature',
  spo2: 'spo2',
};

/** A vitals payload as written (its id, when stored). */
type Vitals = PayloadOf<'vitals'> & { id?: string };

/** The urgent and warning findings for one reading, most severe first; empty when it is fine. */
export function assessVitals(v: Vitals, nowMs: number, profile?: HealthProfile): VitalAlert[] {
  const loggedAt = v.logged_at ?? new Date(nowMs).toISOString();
  const recs = recommend({ vitals: [{ ...v, logged_at: loggedAt }], now: new Date(nowMs), timeZone: 'UTC', profile });
  const out: VitalAlert[] = [];
  for (const r of recs) {
    const kind = KIND[r.reading.type];
    if (!kind || r.severity === 'info') continue;
    const severity: AlertSeverity = r.severity === 'urgent' ? 'urgent' : 'warning';
    out.push({ code: r.id, kind, severity, title: r.title, message: r.message, emergency: isEmergency(r.id, severity, v) });
  }
  return out;
}

/** The REST shape: `{code, severity, message}` in the person's language. */
export const alertsForApi = (alerts: readonly VitalAlert[], lang: Lang) =>
  alerts.map((a) => ({ code: a.code, severity: a.severity, message: a.message[lang] }));
