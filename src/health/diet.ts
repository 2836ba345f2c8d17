/**
 * Rule-based answers to diet questions ("is rice good for diabetes", "kya main aam kha sakta
 * hoon"): a small table (diet.json) of what suits a condition, per food group, and the words
 * (prompts/advice/{en,hi}.json, `diet.<condition>.<food>`) that say it. A condition's row holds only
 * the foods where its advice differs from the general row. Safe, not prescriptive: portions and
 * restrictions stay the person's doctor's. Pure: no I/O; the assistant's recommendation agent
 * uses it, and REST could.
 */
import { ADVICE, advice, type AdviceKey } from '../../prompts/advice.js';
import table from './diet.json' with { type: 'json' };
import type { LocalizedText } from './recommendations.js';

export type DietCondition = 'diabetes' | 'hypertension' | 'heart' | 'kidney';
export type DietFood =
  | 'rice' | 'potato' | 'sweet_fruit' | 'fruit' | 'sweets' | 'juice' | 'salty' | 'fried' | 'whole_grains' | 'dal' | 'vegetables' | 'tea' | 'milk' | 'ghee';
export type DietVerdict = 'good' | 'portion' | 'limit' | 'avoid' | 'ask_doctor';

interface ConditionEntry {
  /** Word starts that name the condition in a profile's medical_conditions ("Type 2 diabetes"). */
  profile: string[];
  /** A profile entry with one of these is not this condition ("low BP"). */
  not?: string[];
  /** How a question names it ("for diabetes", "BP mein"), matched on the NLU's tokens. */
  words: string[];
}
interface FoodEntry {
  /** Ids in graphs/assistant/data/nutrition.json that belong to the group. */
  nutrition: string[];
  /** Further words for the group that are not dishes to log ("salt", "achar", "fried"). */
  words: string[];
}
interface DietTable {
  source: string;
  verdicts: Record<DietVerdict, string>;
  conditions: Record<DietCondition, ConditionEntry>;
  foods: Record<DietFood, FoodEntry>;
  rules: { general: Record<DietFood, DietVerdict> } & Record<DietCondition, Partial<Record<DietFood, DietVerdict>>>;
}

export const DIET = table as DietTable;
export const DIET_CONDITIONS = Object.keys(DIET.conditions) as DietCondition[];
export const DIET_FOODS = Object.keys(DIET.foods) as DietFood[];

const key = (row: DietCondition | 'general', part: DietFood | 'overview'): AdviceKey => `diet.${row}.${part}` as AdviceKey;

// Every rule has its words in every language, checked once at load: a missing sentence fails at
// start-up, not in the middle of a conversation.
for (const row of ['general', ...DIET_CONDITIONS] as const) {
  for (const food of [...Object.keys(DIET.rules[row]), 'overview'] as Array<DietFood | 'overview'>) {
    ADVICE.text('en', key(row, food));
    ADVICE.text('hi', key(row, food));
  }
}

const NUTRITION_GROUP: ReadonlyMap<string, DietFood> = new Map(DIET_FOODS.flatMap((f) => DIET.foods[f].nutrition.map((id) => [id, f] as const)));

/** The diet group of a nutrition table id ("mango" → sweet_fruit), if it has one. */
export function dietFoodOf(nutritionId: string): DietFood | undefined {
  return NUTRITION_GROUP.get(nutritionId);
}

const foldCase = (s: string): string => s.normalize('NFC').toLowerCase().replace(/\u093C/g, '');
const LATIN = /^[a-z]/;

/** Whether `alias` starts a word of `text` (a short Latin alias, like "bp", must be the whole word). */
function namesWord(text: string, alias: string): boolean {
  const a = foldCase(alias);
  if (!LATIN.test(a)) return text.includes(a);
  const end = a.length <= 3 ? '(?![a-z])' : '';
  return new RegExp(`(?<![a-z])${a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${end}`).test(text);
}

/** The table's conditions among a profile's medical_conditions, in the table's order. */
export function dietConditionsOf(medicalConditions: readonly string[]): DietCondition[] {
  const texts = medicalConditions.map(foldCase);
  return DIET_CONDITIONS.filter((c) => {
    const { profile, not = [] } = DIET.conditions[c];
    return texts.some((t) => profile.some((a) => namesWord(t, a)) && !not.some((a) => namesWord(t, a)));
  });
}

export interface DietQuestion {
  /** Food groups asked about, in the order said (none: "what should I eat for my BP"). */
  foods: readonly DietFood[];
  /** Conditions to answer for, most relevant first: those named in the question, then the profile's. */
  conditions: readonly DietCondition[];
  /** Foods were named but none has a group ("can I eat chicken"). */
  unknownFood?: boolean;
}

export interface DietAdviceItem {
  /** Absent for an overview ("what should I eat"). */
  food?: DietFood;
  /** `general` when no condition's own rule applied. */
  condition: DietCondition | 'general';
  verdict?: DietVerdict;
  message: LocalizedText;
}

export interface DietAnswer {
  items: DietAdviceItem[];
  /** "That food is not in my table", when it is not. */
  unknownFood?: LocalizedText;
  /**
   * Ask the doctor: for the person's portion, or whether a condition changes the answer. Absent
   * when every piece of advice already says to ask them.
   */
  closing?: LocalizedText;
}

/** At most this many pieces of advice per answer: it is spoken. */
export const MAX_DIET_ITEMS = 2;

/**
 * The answer to a diet question: per food, each condition's own rule (general when none has one);
 * without a food, each condition's overview (or the general one).
 */
export function dietAnswer(q: DietQuestion): DietAnswer {
  const conditions = [...new Set(q.conditions)];
  const items: DietAdviceItem[] = [];
  for (const food of [...new Set(q.foods)]) {
    const own = conditions.filter((c) => DIET.rules[c][food] !== undefined);
    if (!own.length) items.push({ food, condition: 'general', verdict: DIET.rules.general[food], message: advice(key('general', food)) });
    for (const c of own) items.push({ food, condition: c, verdict: DIET.rules[c][food], message: advice(key(c, food)) });
  }
  if (!q.foods.length) {
    const rows = conditions.length ? conditions : (['general'] as const);
    for (const c of rows) items.push({ condition: c, message: advice(key(c, 'overview')) });
  }
  const said = items.slice(0, MAX_DIET_ITEMS);
  return {
    items: said,
    ...(q.unknownFood && !q.foods.length ? { unknownFood: advice('diet.unknown_food') } : {}),
    ...(said.every((i) => i.verdict === 'ask_doctor') ? {} : { closing: advice(conditions.length ? 'diet.closing.known' : 'diet.closing.unknown') }),
  };
}
