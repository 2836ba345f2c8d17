/**
 * Plausibility ranges for what a person can say about themselves. Outside them the reading is
 * almost surely mis-heard ("BP 900 over 5"): the agent asks again and stores nothing.
 */
import type { InvalidSlot } from './types.js';

export const RANGES = {
  systolic: [60, 260],
  diastolic: [30, 160],
  heart_rate: [25, 250],
  blood_sugar: [20, 700],
  temperature_f: [90, 110],
  temperature_c: [32, 43.5],
  weight_kg: [10, 300],
  spo2: [50, 100],
  amount_ml: [10, 5000],
  sleep_hours: [0.25, 18],
  duration_minutes: [1, 600],
  energy_level: [1, 10],
  quality: [1, 10],
} as const satisfies Record<string, readonly [number, number]>;

export type RangeName = keyof typeof RANGES;

export function inRange(name: RangeName, value: number): boolean {
  const [lo, hi] = RANGES[name];
  return Number.isFinite(value) && value >= lo && value <= hi;
}

/** Record `value` as invalid under `slot` unless it is in range; true when it is valid. */
export function check(name: RangeName, slot: string, value: number, invalid: InvalidSlot[]): boolean {
  if (inRange(name, value)) return true;
  invalid.push({ slot, value, reason: 'out_of_range' });
  return false;
}
