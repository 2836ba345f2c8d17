/** The diet rules: the table, its words in both languages, the profile's conditions and the answer. */
import { describe, expect, it } from 'vitest';
import { nutritionTable } from '../../graphs/assistant/nlu/nutrition.js';
import { ADVICE } from '../../prompts/advice.js';
import { DIET, DIET_CONDITIONS, DIET_FOODS, dietAnswer, dietConditionsOf, dietFoodOf, MAX_DIET_ITEMS } from '../../src/health/diet.js';

describe('the diet table', () => {
  it('has a general rule for every food group and rules for diabetes, high BP, heart and kidney disease', () => {
    expect(DIET_CONDITIONS).toEqual(['diabetes', 'hypertension', 'heart', 'kidney']);
    expect(Object.keys(DIET.rules.general).sort()).toEqual([...DIET_FOODS].sort());
    for (const c of DIET_CONDITIONS) expect(Object.keys(DIET.rules[c]).length, c).toBeGreaterThanOrEqual(5);
    for (const f of ['rice', 'sweet_fruit', 'sweets', 'salty', 'fried', 'whole_grains', 'dal', 'vegetables', 'tea']) expect(DIET_FOODS).toContain(f);
    const verdicts = Object.keys(DIET.verdicts);
    for (const row of Object.values(DIET.rules)) for (const v of Object.values(row)) expect(verdicts).toContain(v);
  });

  it('has the words of every rule, and no words without a rule, in English and Hindi', () => {
    const fromRules = ['general', ...DIET_CONDITIONS].flatMap((row) =>
      [...Object.keys(DIET.rules[row as keyof typeof DIET.rules]), 'overview'].map((f) => `diet.${row}.${f}`));
    const sentences = ADVICE.keys('en').filter((k) => k.startsWith('diet.') && !k.startsWith('diet.closing.') && k !== 'diet.unknown_food');
    expect(sentences.sort()).toEqual(fromRules.sort());
    for (const lang of ['en', 'hi'] as const) {
      for (const k of ADVICE.keys(lang).filter((k) => k.startsWith('diet.'))) {
        const text = ADVICE.text(lang, k as never);
        expect(text.length, `${lang}:${k}`).toBeLessThanOrEqual(200);
        expect(ADVICE.placeholders(lang, k as never), k).toEqual([]);
      }
    }
  });

  it('names only dishes of the nutrition table, each in one group at most', () => {
    const ids = new Set(nutritionTable().foods.map((f) => f.id));
    const seen = new Set<string>();
    for (const f of DIET_FOODS) {
      for (const id of DIET.foods[f].nutrition) {
        expect(ids.has(id), `${f}: ${id}`).toBe(true);
        expect(seen.has(id), `${id} twice`).toBe(false);
        seen.add(id);
      }
    }
    expect([dietFoodOf('mango'), dietFoodOf('rice'), dietFoodOf('roti'), dietFoodOf('namkeen'), dietFoodOf('chicken_curry')]).toEqual(['sweet_fruit', 'rice', 'whole_grains', 'salty', undefined]);
  });
});

describe('conditions from the profile', () => {
  it.each<[string[], string[]]>([
    [['Type 2 diabetes'], ['diabetes']],
    [['diabetic', 'High BP'], ['diabetes', 'hypertension']],
    [['hypertension'], ['hypertension']],
    [['low BP'], []],
    [['hypotension'], []],
    [['BPH'], []],
    [['CKD stage 3'], ['kidney']],
    [['coronary artery disease'], ['heart']],
    [['high cholesterol', 'chronic kidney disease'], ['heart', 'kidney']],
    [['मधुमेह', 'हाई बीपी'], ['diabetes', 'hypertension']],
    [['asthma'], []],
    [[], []],
  ])('%j → %j', (profile, conditions) => {
    expect(dietConditionsOf(profile)).toEqual(conditions);
  });
});

describe('the answer', () => {
  const said = (a: ReturnType<typeof dietAnswer>) => a.items.map((i) => [i.food, i.condition, i.verdict]);

  it('gives a condition its own rule: rice in diabetes is a small portion, word for word in both languages', () => {
    const a = dietAnswer({ foods: ['rice'], conditions: ['diabetes'] });
    expect(said(a)).toEqual([['rice', 'diabetes', 'portion']]);
    expect(a.items[0]!.message).toEqual({
      en: 'With diabetes, rice raises sugar quickly: keep it to a small katori, with dal and vegetables, and have roti or millets more often.',
      hi: 'डायबिटीज़ में चावल शुगर जल्दी बढ़ाता है: एक छोटी कटोरी तक, दाल और सब्ज़ी के साथ लें, और ज़्यादातर रोटी या मोटा अनाज खाएं।',
    });
    expect(a.closing?.en).toBe('Your doctor or dietitian can tell you the right amount for you.');
    expect(a.unknownFood).toBeUndefined();
  });

  it('differs by condition', () => {
    expect(said(dietAnswer({ foods: ['sweets'], conditions: ['diabetes'] }))).toEqual([['sweets', 'diabetes', 'avoid']]);
    expect(said(dietAnswer({ foods: ['salty'], conditions: ['hypertension'] }))).toEqual([['salty', 'hypertension', 'avoid']]);
    expect(said(dietAnswer({ foods: ['fried'], conditions: ['heart'] }))).toEqual([['fried', 'heart', 'avoid']]);
    expect(said(dietAnswer({ foods: ['sweet_fruit'], conditions: ['kidney'] }))).toEqual([['sweet_fruit', 'kidney', 'ask_doctor']]);
    // Sweets for diabetes never without what to do when sugar is low.
    expect(dietAnswer({ foods: ['sweets'], conditions: ['diabetes'] }).items[0]!.message.en).toMatch(/below 70, take something sweet/);
  });

  it('says every condition that has its own rule, and the general rule when none has', () => {
    expect(said(dietAnswer({ foods: ['sweet_fruit'], conditions: ['diabetes', 'kidney'] }))).toEqual([['sweet_fruit', 'diabetes', 'portion'], ['sweet_fruit', 'kidney', 'ask_doctor']]);
    expect(said(dietAnswer({ foods: ['rice'], conditions: ['kidney'] }))).toEqual([['rice', 'general', 'portion']]);
  });

  it('without a known condition: the general rule, then "ask your doctor" what suits them', () => {
    const a = dietAnswer({ foods: ['rice'], conditions: [] });
    expect(said(a)).toEqual([['rice', 'general', 'portion']]);
    expect(a.closing?.en).toBe('If you have diabetes, high BP, heart or kidney disease, ask your doctor what suits you.');
    expect(a.closing?.hi).toMatch(/डॉक्टर/);
  });

  it('without a food: the overview of each condition, or the general one', () => {
    expect(dietAnswer({ foods: [], conditions: ['hypertension'] }).items.map((i) => i.message.en)).toEqual([
      'With high BP: less salt, pickle and papad, more vegetables, fruit and dal, and fewer fried and packaged foods.',
    ]);
    expect(dietAnswer({ foods: [], conditions: [] }).items.map((i) => i.condition)).toEqual(['general']);
    const unknown = dietAnswer({ foods: [], conditions: ['diabetes'], unknownFood: true });
    expect(unknown.unknownFood?.en).toBe("I don't have advice on that food yet.");
    expect(unknown.items.map((i) => i.condition)).toEqual(['diabetes']);
  });

  it('is short enough to speak: at most two pieces, each food and condition once', () => {
    const a = dietAnswer({ foods: ['milk', 'sweet_fruit', 'potato', 'milk'], conditions: ['hypertension', 'diabetes', 'hypertension'] });
    expect(MAX_DIET_ITEMS).toBe(2);
    expect(said(a)).toEqual([['milk', 'hypertension', 'good'], ['milk', 'diabetes', 'good']]);
  });

  it('does not add "ask your doctor" to advice that already says it', () => {
    const kidney = dietAnswer({ foods: ['dal'], conditions: ['kidney'] });
    expect(said(kidney)).toEqual([['dal', 'kidney', 'ask_doctor']]);
    expect(kidney.items[0]!.message.en).toMatch(/ask your doctor or dietitian/);
    expect(kidney.closing).toBeUndefined();
    expect(dietAnswer({ foods: ['dal'], conditions: ['kidney', 'diabetes'] }).closing).toBeUndefined();
    expect(dietAnswer({ foods: ['salty'], conditions: ['kidney'] }).closing).toBeDefined();
  });
});
