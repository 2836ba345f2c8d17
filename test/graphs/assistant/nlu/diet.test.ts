/** Diet questions are answered, meal reports logged: the router tells them apart in all three forms. */
import { describe, expect, it } from 'vitest';
import { understand, type NluContext, type NluResult } from '../../../../graphs/assistant/nlu/index.js';

const ctx: NluContext = {
  now: new Date('2025-03-10T13:15:00+05:30'),
  timeZone: 'Asia/Kolkata',
  medications: ['Metformin', 'Amlodipine'],
};
const r = (s: string) => understand(s, ctx);
const diet = (res: NluResult) => (res.route === 'recommendation' ? res.slots.diet : undefined);

describe('a diet question goes to the diet rules', () => {
  it.each<[string, string[], string[]]>([
    ['is rice good for diabetes', ['rice'], ['diabetes']],
    ['Is rice good for diabetes?', ['rice'], ['diabetes']],
    ['can I eat mangoes', ['sweet_fruit'], []],
    ['should I avoid sugar', ['sweets'], []],
    ['what should I eat for my BP', [], ['hypertension']],
    ['kya main chawal kha sakta hoon', ['rice'], []],
    ['kya aam khana theek hai sugar mein', ['sweet_fruit'], ['diabetes']],
    ['क्या मैं आम खा सकता हूँ', ['sweet_fruit'], []],
    ['चावल डायबिटीज़ में ठीक है क्या', ['rice'], ['diabetes']],
    ['can I have pickle with high bp', ['salty'], ['hypertension']],
    ['is tea okay for kidney patients', ['tea'], ['kidney']],
    ['which fruits are good for diabetes', ['fruit'], ['diabetes']],
    ['is sugar bad for diabetes', ['sweets'], ['diabetes']],
    ['kya papad kha sakte hain bp mein', ['salty'], ['hypertension']],
    ['sugar ke mareez kya kha sakte hain', [], ['diabetes']],
    ['diabetes mein kya khana chahiye', [], ['diabetes']],
    ['क्या किडनी के मरीज़ दाल खा सकते हैं', ['dal'], ['kidney']],
    ['तला हुआ खाना दिल के लिए ठीक है क्या', ['fried'], ['heart']],
    ['ब्लड प्रेशर के लिए क्या खाना चाहिए', [], ['hypertension']],
    ['चाय पी सकते हैं क्या', ['tea'], []],
    ['roti ya chawal kya better hai', ['whole_grains', 'rice'], []],
    ['what should I eat for dinner', [], []],
    ['I have had diabetes for 10 years, can I eat rice', ['rice'], ['diabetes']],
    ['mango khane se sugar badhti hai kya', ['sweet_fruit'], ['diabetes']],
    ['शुगर में क्या खाएं', [], ['diabetes']],
  ])('%s', (text, foods, conditions) => {
    const res = r(text);
    expect(res.route).toBe('recommendation');
    expect(diet(res)).toEqual({ foods, conditions });
    expect(res.missing).toEqual([]);
  });

  it('keeps a food it has no rule for, so the answer can say so', () => {
    expect(diet(r('can I eat chicken'))).toEqual({ foods: [], conditions: [], other: ['chicken_curry'] });
  });

  it('does not take low BP or low sugar for the condition', () => {
    expect(diet(r('is salt bad for low bp'))).toEqual({ foods: ['salty'], conditions: [] });
    expect(diet(r('can I have sweets if my sugar is low'))).toEqual({ foods: ['sweets'], conditions: [] });
  });
});

describe('a meal report is still logged', () => {
  it.each([
    ['I ate rice', 'rice'],
    ['maine chawal khaya', 'rice'],
    ['मैंने आम खाया', 'mango'],
    ['I had rice, is that okay?', 'rice'],
    ['I had two rotis, was that too much?', 'roti'],
    ['rice is good', 'rice'],
    ['aaj lunch mein chawal aur dal', 'rice'],
    ['can you log 2 rotis', 'roti'],
  ])('%s', (text, food) => {
    const res = r(text);
    expect(res.route).toBe('food');
    expect(res.route === 'food' && res.slots.items[0]!.food).toBe(food);
  });
});

describe('what is not a diet question stays where it was', () => {
  it.each<[string, string]>([
    ['kya maine aaj chawal khaya', 'health_query'],
    ['what did I eat yesterday', 'health_query'],
    ['should I take my Metformin before food', 'medication'],
    ['Is 140 over 90 high?', 'recommendation'],
  ])('%s → %s', (text, route) => {
    const res = r(text);
    expect(res.route).toBe(route);
    expect(diet(res)).toBeUndefined();
  });

  it.each(['should I drink more water', 'how can I lower my sugar', 'sugar theek hai kya', 'what should I do to lower my sugar'])('%s: advice, not diet', (text) => {
    const res = r(text);
    expect(res.route).toBe('recommendation');
    expect(diet(res)).toBeUndefined();
  });
});
