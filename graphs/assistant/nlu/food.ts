/**
 * Food items, quantities and units from canonical tokens, matched against the nutrition table's
 * aliases (normalized the same way as the input, so "chawal", "चावल" and "rice" meet), and
 * per-item nutrition totals.
 */
import { normalize } from './normalize.js';
import { isNumeral } from './numbers.js';
import { COMMON_WORDS, HINGLISH_MARKERS, isCanonicalKnown } from './lexicon.js';
import type { FoodItem, FoodSlots, MealType } from './types.js';

export interface NutritionFood {
  id: string;
  name: string;
  category?: string;
  aliases: string[];
  serving: { unit: string; grams: number };
  calories: number;
  protein_g: number;
  carbs_g: number;
  fat_g: number;
}
export interface NutritionTable {
  source: string;
  foods: NutritionFood[];
}

export interface FoodIndex {
  readonly byAlias: ReadonlyMap<string, NutritionFood>;
  readonly byId: ReadonlyMap<string, NutritionFood>;
  readonly maxAliasTokens: number;
  /** First token of every alias, for a cheap "is any food here" check. */
  readonly firstTokens: ReadonlySet<string>;
}

export function buildFoodIndex(table: NutritionTable): FoodIndex {
  const byAlias = new Map<string, NutritionFood>();
  const byId = new Map<string, NutritionFood>();
  const firstTokens = new Set<string>();
  let maxAliasTokens = 1;
  for (const food of table.foods) {
    byId.set(food.id, food);
    // Display names are not aliases: "Sugar" the food must not capture "sugar" the reading.
    for (const alias of food.aliases) {
      const tokens = normalize(alias).tokens.filter((t) => t !== 'of' || alias.includes(' '));
      if (!tokens.length) continue;
      const key = tokens.join(' ');
      if (!byAlias.has(key)) byAlias.set(key, food);
      firstTokens.add(tokens[0]!);
      maxAliasTokens = Math.max(maxAliasTokens, tokens.length);
    }
  }
  return { byAlias, byId, maxAliasTokens, firstTokens };
}

const UNITS = new Set(['katori', 'plate', 'glass', 'cup', 'piece', 'slice', 'spoon', 'tsp', 'g', 'ml', 'bottle']);
/** Grams (or ml) per spoken unit, used when it differs from the food's own serving unit. */
const UNIT_GRAMS: Record<string, number> = { katori: 150, plate: 250, glass: 250, cup: 150, slice: 30, spoon: 15, tsp: 5, g: 1, ml: 1, bottle: 500 };
const FILLER_BEFORE_FOOD = new Set(['of', 'small', 'big', 'large', 'medium', 'full', 'hot', 'plain', 'fresh', 'some', 'little', 'bit', 'very', 'extra', 'chhoti', 'badi', 'bada', 'garam']);
const ONE = new Set(['a', 'an', 'one', 'some']);
const GENERIC_DISH = new Set(['sabzi']);
const MEAL_WORDS: Record<string, MealType> = { breakfast: 'breakfast', lunch: 'lunch', dinner: 'dinner', snack: 'snack' };
const POD_MEAL: Record<string, MealType> = { morning: 'breakfast', afternoon: 'lunch', evening: 'snack', night: 'dinner' };

export interface MatchedFood {
  item: FoodItem;
  start: number;
  end: number;
}

function lookup(index: FoodIndex, tokens: readonly string[], i: number): { food: NutritionFood; length: number } | undefined {
  if (!index.firstTokens.has(tokens[i]!) && !index.firstTokens.has(singular(tokens[i]!))) return undefined;
  for (let n = Math.min(index.maxAliasTokens, tokens.length - i); n >= 1; n--) {
    const parts = tokens.slice(i, i + n);
    let food = index.byAlias.get(parts.join(' '));
    if (!food) {
      parts[n - 1] = singular(parts[n - 1]!);
      food = index.byAlias.get(parts.join(' '));
    }
    if (food) return { food, length: n };
  }
  return undefined;
}

function singular(t: string): string {
  if (t.length > 4 && t.endsWith('es')) return t.slice(0, -2);
  if (t.length > 3 && t.endsWith('s')) return t.slice(0, -1);
  return t;
}

/** Every food mentioned, with the quantity and unit said just before it ("2 rotis", "ek katori dal"). */
export function findFoods(tokens: readonly string[], index: FoodIndex): MatchedFood[] {
  const out: MatchedFood[] = [];
  for (let i = 0; i < tokens.length; ) {
    const hit = lookup(index, tokens, i);
    if (!hit) {
      i++;
      continue;
    }
    // Walk back over fillers ("small", "of"), a unit and a count: [count] [unit] [of] [fillers] food.
    let start = i;
    let k = i - 1;
    let skipped = 0;
    while (k >= 0 && FILLER_BEFORE_FOOD.has(tokens[k]!) && skipped < 3) {
      k--;
      skipped++;
    }
    let unit: string | undefined;
    if (k >= 0 && UNITS.has(tokens[k]!)) {
      unit = tokens[k];
      k--;
    }
    let quantity = 1;
    const prevEnd = out.length ? out[out.length - 1]!.end : 0;
    if (k >= prevEnd && k >= 0 && isNumeral(tokens[k]!)) {
      quantity = Number(tokens[k]);
      start = k;
    } else if (k >= prevEnd && k >= 0 && ONE.has(tokens[k]!)) {
      start = k;
    } else if (unit) {
      start = k + 1;
    }
    const item: FoodItem = { food: hit.food.id, name: hit.food.name, quantity };
    if (unit) item.unit = unit;
    let end = i + hit.length;
    // "bhindi ki sabzi", "aloo ki sabzi": the dish is the vegetable, not a second item.
    if (tokens[end] === 'of') {
      const tail = lookup(index, tokens, end + 1);
      if (tail && GENERIC_DISH.has(tail.food.id)) end += 1 + tail.length;
    }
    out.push({ item, start, end });
    i = end;
  }
  return out;
}

const NOT_FOOD = new Set([
  'ate', 'drank', 'took', 'had', 'have', 'meal', 'breakfast', 'lunch', 'dinner', 'snack', 'morning', 'afternoon', 'evening', 'night',
  'today', 'yesterday', 'log', 'with', 'and', 'for', 'in', 'of', 'ko', 'is', 'was', 'my', 'i', 'just', 'also', 'only',
]);

/** Words in a food turn that look like food but matched nothing (so the agent can say so). */
export function unmatchedFoodWords(tokens: readonly string[], matches: readonly MatchedFood[]): string[] {
  const used = new Uint8Array(tokens.length);
  for (const m of matches) for (let i = m.start; i < m.end; i++) used[i] = 1;
  const spans: string[] = [];
  let cur: string[] = [];
  const flush = (): void => {
    if (cur.length) spans.push(cur.join(' '));
    cur = [];
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const known =
      used[i] === 1 || isNumeral(t) || NOT_FOOD.has(t) || UNITS.has(t) || FILLER_BEFORE_FOOD.has(t) || COMMON_WORDS.has(t) ||
      HINGLISH_MARKERS.has(t) || isCanonicalKnown(t);
    if (known) flush();
    else cur.push(t);
  }
  flush();
  return spans;
}

export function mealFromWords(tokens: readonly string[]): MealType | undefined {
  for (const t of tokens) {
    const m = MEAL_WORDS[t];
    if (m) return m;
  }
  for (const t of tokens) {
    const m = POD_MEAL[t];
    if (m) return m;
  }
  return undefined;
}

/** Meal by local hour when none was said. */
export function mealFromHour(hour: number): MealType {
  if (hour >= 5 && hour < 11) return 'breakfast';
  if (hour >= 11 && hour < 16) return 'lunch';
  if (hour >= 19 && hour < 24) return 'dinner';
  return 'snack';
}

export function parseFoodSlots(tokens: readonly string[], index: FoodIndex, localHour?: number): FoodSlots {
  const matches = findFoods(tokens, index);
  const slots: FoodSlots = { items: matches.map((m) => m.item), unmatched: unmatchedFoodWords(tokens, matches) };
  const said = mealFromWords(tokens);
  if (said) {
    slots.meal_type = said;
    slots.meal_type_source = 'said';
  } else if (localHour !== undefined) {
    slots.meal_type = mealFromHour(localHour);
    slots.meal_type_source = 'time';
  }
  return slots;
}

// ---------------------------------------------------------------- nutrition totals

export interface Nutrients {
  calories: number;
  protein_g: number;
  carbs_g: number;
  fat_g: number;
}
export interface CountedItem extends FoodItem, Nutrients {
  servings: number;
  grams: number;
}
export interface NutritionSummary {
  items: CountedItem[];
  totals: Nutrients;
  /** Item ids the table does not know (e.g. from an LLM) plus the parser's unmatched words. */
  unmatched: string[];
}

export function servingsFor(item: FoodItem, food: NutritionFood): number {
  const unit = item.unit;
  if (!unit || unit === food.serving.unit || (unit === 'piece' && food.serving.unit !== 'g')) return item.quantity;
  const grams = unit === 'g' || unit === 'ml' ? item.quantity : item.quantity * (UNIT_GRAMS[unit] ?? food.serving.grams);
  return grams / food.serving.grams;
}

const round1 = (v: number): number => Math.round(v * 10) / 10;

export function computeNutrition(items: readonly FoodItem[], index: FoodIndex, unmatchedWords: readonly string[] = []): NutritionSummary {
  const counted: CountedItem[] = [];
  const unmatched = [...unmatchedWords];
  const totals: Nutrients = { calories: 0, protein_g: 0, carbs_g: 0, fat_g: 0 };
  for (const item of items) {
    const food = index.byId.get(item.food);
    if (!food) {
      unmatched.push(item.food);
      continue;
    }
    const servings = servingsFor(item, food);
    const c: CountedItem = {
      ...item,
      servings: round1(servings),
      grams: Math.round(servings * food.serving.grams),
      calories: Math.round(servings * food.calories),
      protein_g: round1(servings * food.protein_g),
      carbs_g: round1(servings * food.carbs_g),
      fat_g: round1(servings * food.fat_g),
    };
    counted.push(c);
    totals.calories += c.calories;
    totals.protein_g += c.protein_g;
    totals.carbs_g += c.carbs_g;
    totals.fat_g += c.fat_g;
  }
  totals.protein_g = round1(totals.protein_g);
  totals.carbs_g = round1(totals.carbs_g);
  totals.fat_g = round1(totals.fat_g);
  return { items: counted, totals, unmatched };
}
