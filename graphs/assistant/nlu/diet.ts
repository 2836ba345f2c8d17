/**
 * Diet questions told from meal reports: "is rice good for diabetes", "can I eat mangoes",
 * "kya main chawal kha sakta hoon", "क्या मैं आम खा सकता हूँ" ask; "I ate rice", "maine chawal
 * khaya", "मैंने आम खाया" report. A question names a food (or asks what to eat) and asks whether
 * it may be eaten (can, should, sakta, chahiye), judges it (good, theek, safe) in question form,
 * or asks about avoiding it; a report says it was eaten (past tense), and is never a question here.
 * The foods and conditions come from the diet table (src/health/diet.json) and the nutrition index.
 */
import { DIET, DIET_CONDITIONS, DIET_FOODS, dietFoodOf, type DietCondition, type DietFood } from '../../../src/health/diet.js';
import { findFoods, type FoodIndex } from './food.js';
import { fold, tokenize } from './fold.js';
import { normalize } from './normalize.js';
import { EXERCISE_WORDS, mentionsSleep } from './tracking.js';
import type { DietSlots, Normalized } from './types.js';

const set = (words: string): ReadonlySet<string> => new Set(words.split(/\s+/).filter(Boolean).map(fold));

/** "what should I eat": khaun, khayein, खाएं, पियें (asking what or whether to eat or drink). */
const SHALL_EAT = set('khaun khaoon khaaun khaayen khayen khayein khaein khaen khaoo peeun piyun piyen piyein खाऊं खाऊँ खाएं खाएँ खायें पिऊं पिऊँ पियें पिएं');
/** "can I", "should I", "kha sakta hoon", "khana chahiye" (chahiye is `should` by then). */
const MODAL = new Set([...set('can could may should allowed sakta sakti sakte sakun sakoon skta skti skte saktaa सकता सकती सकते सकूं सकूँ'), ...SHALL_EAT]);
/** Judging a food: "is rice good", "chawal theek hai" (theek is `good`), "nuksan karta hai", "does it raise sugar". */
const JUDGE = set(
  'good bad safe unsafe healthy unhealthy normal harmful dangerous improve best worse worst allowed beneficial ' +
  'nuksan nuksaan nuksandeh नुकसान नुकसानदेह fayda faida faydemand फायदा फ़ायदा फायदेमंद ' +
  'raise raises spike spikes badhta badhti badhte badhata badhati बढ़ता बढ़ती बढ़ते बढ़ाता बढ़ाती',
);
const AVOID = set('avoid parhez parhej परहेज stop quit band बंद skipped');
const AUX = set('is are was can could should do does will am may');
const WH = set('what which how how_much kya');
/** Eaten, said as done: a report (or, with "kya", a question about the log), never a diet question. */
const PAST_EAT = set('ate eaten drank khaya khayi khaye khaaya khaayi khaai khai khaaye khayee piya piye pia kiya kiye खाया खाई खाए खाये खायी पिया पिए पिये किया किए');
const EAT_STEM = set('kha khaa खा pi pee पी');
const DONE = set('liya li lia liye लिया ली लिए');
/** Eating words, after normalize: "eat", "khana" (meal), "drink", "diet", a meal's name. */
const EATING = new Set(['ate', 'drank', 'meal', 'diet', 'breakfast', 'lunch', 'dinner', 'snack', ...SHALL_EAT]);

/** "sugar" is the reading, the condition (diabetes) or the food (cheeni); its neighbours tell. */
const SUGAR_FOOD_BEFORE = new Set(['ate', 'drank', 'avoid', 'take', 'add', 'no', 'less', 'without', 'extra', 'much', 'how_much', 'more', 'little', 'some']);
const SUGAR_FOOD_AFTER = new Set(['ate', 'drank', 'meal']);
const SUGAR_CONDITION_BEFORE = new Set(['for', 'in']);
const PATIENT = new Set(['patient', 'patients', 'mareez', 'marij', 'mariz', fold('मरीज'), fold('मरीज़'), 'wale', 'walon', fold('वाले')]);
const LOW = new Set(['low', 'lower']);

interface PhraseTable<T> {
  byPhrase: ReadonlyMap<string, T>;
  max: number;
}

function phraseTable<T>(entries: ReadonlyArray<readonly [string, T]>, skip: ReadonlySet<string> = new Set()): PhraseTable<T> {
  const byPhrase = new Map<string, T>();
  let max = 1;
  for (const [alias, value] of entries) {
    const tokens = normalize(alias).tokens;
    const key = tokens.join(' ');
    if (!tokens.length || skip.has(key) || byPhrase.has(key)) continue;
    byPhrase.set(key, value);
    max = Math.max(max, tokens.length);
  }
  return { byPhrase, max };
}

interface Vocabulary {
  foods: PhraseTable<DietFood>;
  conditions: PhraseTable<DietCondition>;
  /** The words that name diabetes outright ("diabetes", "मधुमेह"), which normalize makes `sugar`. */
  diabetes: ReadonlySet<string>;
}

let vocabulary: Vocabulary | undefined;

/** Built on first use: normalizing the table's words is cheap but not free. */
function vocab(): Vocabulary {
  vocabulary ??= {
    foods: phraseTable(DIET_FOODS.flatMap((f) => DIET.foods[f].words.map((w) => [w, f] as const))),
    conditions: phraseTable(DIET_CONDITIONS.flatMap((c) => DIET.conditions[c].words.map((w) => [w, c] as const)), new Set(['sugar'])),
    diabetes: new Set(DIET.conditions.diabetes.words.flatMap((w) => tokenize(fold(w)))),
  };
  return vocabulary;
}

/** Longest phrases first, over tokens not yet used; marks what it takes. */
function matchPhrases<T>(tokens: readonly string[], used: Uint8Array, table: PhraseTable<T>): Array<{ value: T; at: number }> {
  const out: Array<{ value: T; at: number }> = [];
  for (let i = 0; i < tokens.length; ) {
    let taken = 0;
    for (let n = Math.min(table.max, tokens.length - i); n >= 1 && !taken; n--) {
      if (used.subarray(i, i + n).some((u) => u === 1)) continue;
      const value = table.byPhrase.get(tokens.slice(i, i + n).join(' '));
      if (value === undefined) continue;
      out.push({ value, at: i });
      used.fill(1, i, i + n);
      taken = n;
    }
    i += taken || 1;
  }
  return out;
}

/** "I ate rice", "kha liya", "I had two rotis" (but not "I have had diabetes for years, can I eat rice"). */
function saidAsDone(raw: readonly string[], index: FoodIndex): boolean {
  return raw.some((w, i) =>
    PAST_EAT.has(w) ||
    (EAT_STEM.has(w) && DONE.has(raw[i + 1] ?? '')) ||
    (w === 'had' && raw.slice(i + 1, i + 5).some((x) => index.firstTokens.has(x))));
}

/**
 * The diet question in a turn, or undefined when it is not one (a meal report, a question about
 * the user's own log, or anything else).
 */
export function parseDietQuestion(n: Normalized, index: FoodIndex): DietSlots | undefined {
  const t = n.tokens;
  const has = (w: string): boolean => t.includes(w);
  if (!t.length || has('did') || has('log') || has('remind')) return undefined;
  const raw = tokenize(fold(n.raw));
  if (saidAsDone(raw, index)) return undefined;

  // "can you log…" asks Podd to do something; "can I…" asks what is allowed.
  const modal = t.some((w, i) => MODAL.has(w) && t[i + 1] !== 'you');
  const asking = n.question || AUX.has(t[0] ?? '') || t.some((w) => WH.has(w)) || has('tell') || has('advice');
  const judged = t.some((w) => JUDGE.has(w));
  const avoiding = t.some((w) => AVOID.has(w));
  if (!modal && !(asking && (judged || avoiding)) && !(has('diet') && asking)) return undefined;

  // Foods: dishes of the nutrition table first, then the diet table's own words ("salt", "fried").
  const used = new Uint8Array(t.length);
  const foods: DietFood[] = [];
  const other: string[] = [];
  for (const m of findFoods(t, index)) {
    used.fill(1, m.start, m.end);
    const group = dietFoodOf(m.item.food);
    if (group) foods.push(group);
    else other.push(m.item.food);
  }
  const v = vocab();
  for (const m of matchPhrases(t, used, v.foods)) foods.push(m.value);
  const conditions: DietCondition[] = [];
  for (const m of matchPhrases(t, used, v.conditions)) {
    const next = t[m.at + 1];
    const lowBp = m.value === 'hypertension' && (LOW.has(t[m.at - 1] ?? '') || LOW.has(next ?? ''));
    if (!lowBp) conditions.push(m.value);
  }

  // "sugar": a food after "eat"/"avoid", the condition after "for" or before "mein"; otherwise
  // decided by what else was said.
  const sugars = t.flatMap((w, i) => (w === 'sugar' && !used[i] ? [i] : []));
  const unclear: number[] = [];
  let diabetesSaid = false;
  for (const i of sugars) {
    const prev = t[i - 1] ?? '';
    const next = t[i + 1] ?? '';
    // "if my sugar is low", "sugar kam ho to": the reading, low (the sweets rule says what to do then).
    if (LOW.has(prev) || LOW.has(next) || LOW.has(t[i + 2] ?? '')) continue;
    if (SUGAR_FOOD_BEFORE.has(prev) || SUGAR_FOOD_AFTER.has(next)) foods.push('sweets');
    else if (SUGAR_CONDITION_BEFORE.has(prev) || next === 'in' || PATIENT.has(next) || (next === 'of' && PATIENT.has(t[i + 2] ?? ''))) diabetesSaid = true;
    else unclear.push(i);
  }
  const namedOutright = raw.some((w) => v.diabetes.has(w));
  for (const _ of unclear) {
    if (diabetesSaid || conditions.length || (avoiding && !foods.length && !other.length)) foods.push('sweets');
    else if (foods.length || other.length || namedOutright) diabetesSaid = true;
  }
  if (diabetesSaid) conditions.unshift('diabetes');

  // What is asked about: a food, or what to eat ("what should I eat for my BP", "diet plan batao").
  // Eating around water, a walk or sleep ("should I drink more water", "can I walk after I eat") is theirs.
  const eating = t.some((w) => EATING.has(w)) && !has('water') && !mentionsSleep(t) && !t.some((w) => EXERCISE_WORDS.has(w));
  const subject = foods.length > 0 || other.length > 0 || has('diet') || (eating && (conditions.length > 0 || t.some((w) => WH.has(w)) || modal));
  if (!subject) return undefined;
  const slots: DietSlots = { foods: [...new Set(foods)], conditions: [...new Set(conditions)] };
  if (other.length) slots.other = [...new Set(other)];
  return slots;
}
