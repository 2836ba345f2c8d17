/** Water, sleep, exercise and mood entries from canonical tokens. */
import { isNumeral } from './numbers.js';
import { check } from './ranges.js';
import { parseDuration, parseSleep, type TimeContext } from './time.js';
import type { ExerciseEntry, ExerciseType, InvalidSlot, Mood, MoodEntry, Normalized, SleepEntry, WaterEntry } from './types.js';

export const ML_PER_GLASS = 250;
const ML_PER: Record<string, number> = { glass: ML_PER_GLASS, ml: 1, litre: 1000, cup: 150, bottle: 1000 };

export interface EntryParse<E> {
  entry?: E;
  invalid: InvalidSlot[];
  missing: string[];
}

// ---------------------------------------------------------------- water

export function parseWater(tokens: readonly string[]): EntryParse<WaterEntry> {
  const invalid: InvalidSlot[] = [];
  if (!tokens.includes('water')) return { invalid, missing: [] };
  const e: WaterEntry = { kind: 'water' };
  for (let i = 0; i < tokens.length; i++) {
    const per = ML_PER[tokens[i]!];
    if (per === undefined) continue;
    const prev = tokens[i - 1];
    const n = prev !== undefined && isNumeral(prev) ? Number(prev) : prev === 'a' || prev === 'an' || prev === 'one' ? 1 : undefined;
    const qty = n ?? (tokens[i] === 'glass' || tokens[i] === 'bottle' ? 1 : undefined);
    if (qty === undefined) continue;
    const ml = Math.round(qty * per);
    if (tokens[i] === 'glass') e.glasses = (e.glasses ?? 0) + qty;
    if (check('amount_ml', 'amount_ml', (e.amount_ml ?? 0) + ml, invalid)) e.amount_ml = (e.amount_ml ?? 0) + ml;
  }
  if (e.amount_ml === undefined && invalid.length === 0) {
    // "water 500" / "3 water": small counts are glasses, large ones millilitres.
    const w = tokens.indexOf('water');
    const cand = [tokens[w + 1], tokens[w - 1]].find((t) => t !== undefined && isNumeral(t));
    if (cand !== undefined) {
      const v = Number(cand);
      const ml = v <= 15 ? v * ML_PER_GLASS : v;
      if (v <= 15) e.glasses = v;
      if (check('amount_ml', 'amount_ml', ml, invalid)) e.amount_ml = ml;
    }
  }
  return { entry: e, invalid, missing: e.amount_ml === undefined ? ['amount_ml'] : [] };
}

// ---------------------------------------------------------------- sleep

const SLEEP_WORDS = new Set(['slept', 'sleep', 'woke']);

export function mentionsSleep(tokens: readonly string[]): boolean {
  for (const t of tokens) if (SLEEP_WORDS.has(t)) return true;
  return false;
}

export function parseSleepEntry(n: Normalized, ctx: TimeContext): EntryParse<SleepEntry> {
  const invalid: InvalidSlot[] = [];
  const s = parseSleep(n, ctx);
  const e: SleepEntry = { kind: 'sleep' };
  if (s.sleep_start) e.sleep_start = s.sleep_start;
  if (s.sleep_end) e.sleep_end = s.sleep_end;
  if (s.hours !== undefined && check('sleep_hours', 'hours', s.hours, invalid)) e.hours = s.hours;
  const q = sleepQuality(n.tokens);
  if (q !== undefined) e.quality = q;
  const missing = e.hours === undefined && !(e.sleep_start && e.sleep_end) ? ['hours'] : [];
  return { entry: e, invalid, missing };
}

function sleepQuality(tokens: readonly string[]): number | undefined {
  const q = tokens.indexOf('quality');
  if (q >= 0) {
    const v = [tokens[q + 1], tokens[q + 2], tokens[q - 1]].find((t) => t !== undefined && isNumeral(t));
    if (v !== undefined && Number(v) >= 1 && Number(v) <= 10) return Number(v);
  }
  const negated = tokens.includes('not');
  if (tokens.includes('bad') || (negated && tokens.includes('good'))) return 3;
  if (tokens.includes('good')) return tokens.includes('very') ? 9 : 8;
  return undefined;
}

// ---------------------------------------------------------------- exercise

const EXERCISE: Record<string, ExerciseType> = {
  walk: 'walking', running: 'running', cycling: 'cycling', swimming: 'swimming', yoga: 'yoga', pranayama: 'pranayama',
  stretching: 'stretching', dancing: 'dancing', exercise: 'exercise',
};
export const EXERCISE_WORDS: ReadonlySet<string> = new Set(Object.keys(EXERCISE));

export function exerciseType(tokens: readonly string[]): ExerciseType | undefined {
  for (const t of tokens) {
    const x = EXERCISE[t];
    if (x && x !== 'exercise') return x;
  }
  return tokens.includes('exercise') ? 'exercise' : undefined;
}

export function parseExercise(n: Normalized): EntryParse<ExerciseEntry> {
  const invalid: InvalidSlot[] = [];
  const type = exerciseType(n.tokens);
  if (!type) return { invalid, missing: [] };
  const e: ExerciseEntry = { kind: 'exercise', exercise_type: type };
  let minutes = parseDuration(n);
  if (minutes === undefined) {
    // "went for a walk for an hour" is covered; "walked 2 km" is not a duration.
    const i = n.tokens.findIndex((t) => t === 'hour');
    if (i >= 0 && (n.tokens[i - 1] === 'an' || n.tokens[i - 1] === 'a')) minutes = 60;
  }
  if (minutes !== undefined && check('duration_minutes', 'duration_minutes', minutes, invalid)) e.duration_minutes = minutes;
  return { entry: e, invalid, missing: e.duration_minutes === undefined ? ['duration_minutes'] : [] };
}

// ---------------------------------------------------------------- mood

const MOOD: Record<string, Mood> = {
  happy: 'happy', good: 'good', calm: 'calm', low: 'low', sad: 'sad', anxious: 'anxious', stressed: 'stressed', tired: 'tired',
  angry: 'angry', lonely: 'lonely', bad: 'low',
};
const NEGATED: Partial<Record<Mood, Mood>> = { good: 'low', happy: 'sad', calm: 'anxious' };
export const MOOD_WORDS: ReadonlySet<string> = new Set(Object.keys(MOOD));

export function parseMood(tokens: readonly string[]): EntryParse<MoodEntry> {
  const invalid: InvalidSlot[] = [];
  let mood: Mood | undefined;
  let energy: number | undefined;
  const en = tokens.indexOf('energy');
  for (let i = 0; i < tokens.length; i++) {
    const m = MOOD[tokens[i]!];
    if (!m) continue;
    // "low on energy" / "high energy" describe energy, not mood.
    if (en >= 0 && en - i <= 2 && en > i && (m === 'low' || m === 'tired')) {
      energy = 3;
      continue;
    }
    if (mood) continue;
    const negated = tokens[i - 1] === 'not' || tokens[i + 1] === 'not' || tokens[i - 2] === 'not';
    mood = negated ? NEGATED[m] ?? m : m;
  }
  if (en >= 0 && energy === undefined) {
    const v = [tokens[en + 1], tokens[en + 2], tokens[en - 1]].find((t) => t !== undefined && isNumeral(t));
    if (v !== undefined) {
      if (check('energy_level', 'energy_level', Number(v), invalid)) energy = Number(v);
    } else if (tokens[en + 1] === 'high' || tokens.includes('very')) energy = 8;
  }
  if (!mood && energy !== undefined) mood = energy <= 4 ? 'tired' : 'good';
  if (!mood) return { invalid, missing: [] };
  const e: MoodEntry = { kind: 'mood', mood };
  if (energy !== undefined) e.energy_level = energy;
  return { entry: e, invalid, missing: [] };
}
