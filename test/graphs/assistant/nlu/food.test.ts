import { describe, expect, it } from 'vitest';
import {
  buildFoodIndex, computeNutrition, defaultFoodIndex, findFoods, mealFromHour, normalize, nutritionTable, parseFoodSlots,
  type NutritionTable,
} from '../../../../graphs/assistant/nlu/index.js';

const index = defaultFoodIndex();
const items = (s: string) => findFoods(normalize(s).tokens, index).map((m) => m.item);

describe('nutrition table', () => {
  const table = nutritionTable();
  it('has at least 80 foods, each with aliases in Latin and Devanagari and sane figures', () => {
    expect(table.foods.length).toBeGreaterThanOrEqual(80);
    const ids = new Set<string>();
    for (const f of table.foods) {
      expect(ids.has(f.id), f.id).toBe(false);
      ids.add(f.id);
      expect(f.aliases.some((a) => /[a-z]/.test(a)), f.id).toBe(true);
      expect(f.serving.grams).toBeGreaterThan(0);
      expect(f.calories).toBeGreaterThanOrEqual(0);
      // Energy from macros should be within reach of the stated calories (4/4/9 kcal per gram).
      const fromMacros = f.protein_g * 4 + f.carbs_g * 4 + f.fat_g * 9;
      expect(Math.abs(fromMacros - f.calories), `${f.id}: ${fromMacros} vs ${f.calories}`).toBeLessThanOrEqual(Math.max(25, f.calories * 0.2));
    }
    expect(table.foods.filter((f) => f.aliases.some((a) => /[\u0900-\u097F]/.test(a))).length).toBeGreaterThanOrEqual(80);
  });
  it('names where its figures come from', () => {
    expect(table.source).toMatch(/IFCT 2017/);
    expect(table.source).toMatch(/USDA FoodData Central/);
    expect(table.source).toMatch(/approximat/i);
  });
  it('gives no alias to two foods', () => {
    const seen = new Map<string, string>();
    for (const f of table.foods) {
      for (const a of f.aliases) {
        const key = normalize(a).text;
        expect(seen.get(key) ?? f.id, `alias "${a}"`).toBe(f.id);
        seen.set(key, f.id);
      }
    }
  });
});

describe('findFoods', () => {
  it.each([
    ['2 rotis', [{ food: 'roti', quantity: 2 }]],
    ['ek katori dal', [{ food: 'dal', quantity: 1, unit: 'katori' }]],
    ['a bowl of rice', [{ food: 'rice', quantity: 1, unit: 'katori' }]],
    ['aadha plate poha', [{ food: 'poha', quantity: 0.5, unit: 'plate' }]],
    ['half a plate of poha', [{ food: 'poha', quantity: 0.5, unit: 'plate' }]],
    ['do roti aur dal', [{ food: 'roti', quantity: 2 }, { food: 'dal', quantity: 1 }]],
    ['दो रोटी और दाल', [{ food: 'roti', quantity: 2 }, { food: 'dal', quantity: 1 }]],
    ['rajma chawal', [{ food: 'rajma', quantity: 1 }, { food: 'rice', quantity: 1 }]],
    ['3 idlis and sambar', [{ food: 'idli', quantity: 3 }, { food: 'sambar', quantity: 1 }]],
    ['2 aloo parathas', [{ food: 'aloo_paratha', quantity: 2 }]],
    ['a masala dosa', [{ food: 'masala_dosa', quantity: 1 }]],
    ['200 g paneer', [{ food: 'paneer', quantity: 200, unit: 'g' }]],
    ['ek glass doodh', [{ food: 'milk', quantity: 1, unit: 'glass' }]],
    ['2 cups of chai', [{ food: 'tea', quantity: 2, unit: 'cup' }]],
    ['nariyal paani', [{ food: 'coconut_water', quantity: 1 }]],
    ['dahi chawal', [{ food: 'curd_rice', quantity: 1 }]],
    ['4 pieces of dhokla', [{ food: 'dhokla', quantity: 4, unit: 'piece' }]],
    ['तीन इडली', [{ food: 'idli', quantity: 3 }]],
  ])('%s', (input, expected) => {
    expect(items(input)).toMatchObject(expected);
    expect(items(input)).toHaveLength(expected.length);
  });
});

describe('parseFoodSlots', () => {
  it('takes the meal from words, else from the local hour', () => {
    expect(parseFoodSlots(normalize('lunch mein dal chawal').tokens, index, 9)).toMatchObject({ meal_type: 'lunch', meal_type_source: 'said' });
    expect(parseFoodSlots(normalize('raat ko khichdi').tokens, index, 9)).toMatchObject({ meal_type: 'dinner', meal_type_source: 'said' });
    expect(parseFoodSlots(normalize('2 roti').tokens, index, 20)).toMatchObject({ meal_type: 'dinner', meal_type_source: 'time' });
    expect([5, 11, 16, 19, 2].map(mealFromHour)).toEqual(['breakfast', 'lunch', 'snack', 'dinner', 'snack']);
  });
  it('reports food words it could not match', () => {
    const s = parseFoodSlots(normalize('I ate quinoa salad and 2 rotis').tokens, index);
    expect(s.items.map((i) => i.food)).toEqual(['salad', 'roti']);
    expect(s.unmatched).toEqual(['quinoa']);
  });
});

describe('computeNutrition', () => {
  it('multiplies servings, converts units through grams, and totals', () => {
    const r = computeNutrition(
      [{ food: 'roti', name: 'Roti', quantity: 2 }, { food: 'rice', name: 'Rice', quantity: 1, unit: 'plate' }, { food: 'paneer', name: 'Paneer', quantity: 100, unit: 'g' }],
      index,
    );
    const roti = index.byId.get('roti')!;
    const rice = index.byId.get('rice')!;
    const paneer = index.byId.get('paneer')!;
    expect(r.items[0]).toMatchObject({ servings: 2, calories: roti.calories * 2 });
    // a plate (250 g) of rice whose serving is a 150 g katori
    expect(r.items[1]!.calories).toBe(Math.round((250 / 150) * rice.calories));
    expect(r.items[2]!.calories).toBe(Math.round((100 / paneer.serving.grams) * paneer.calories));
    expect(r.totals.calories).toBe(r.items.reduce((s, i) => s + i.calories, 0));
    expect(r.unmatched).toEqual([]);
  });
  it('says which items it could not count', () => {
    const r = computeNutrition([{ food: 'unicorn_steak', name: 'Unicorn', quantity: 1 }], index, ['quinoa']);
    expect(r.items).toEqual([]);
    expect(r.totals.calories).toBe(0);
    expect(r.unmatched).toEqual(['quinoa', 'unicorn_steak']);
  });
  it('works with a caller-supplied table', () => {
    const table: NutritionTable = {
      source: 'test',
      foods: [{ id: 'laddu', name: 'Laddu', aliases: ['laddu', 'लड्डू'], serving: { unit: 'piece', grams: 40 }, calories: 180, protein_g: 3, carbs_g: 20, fat_g: 10 }],
    };
    const small = buildFoodIndex(table);
    const found = findFoods(normalize('तीन लड्डू').tokens, small).map((m) => m.item);
    expect(computeNutrition(found, small).totals.calories).toBe(540);
  });
});
