/**
 * The bundled nutrition table and its index, built on first use (not at import) because building
 * it normalizes several hundred aliases.
 */
import table from '../data/nutrition.json' with { type: 'json' };
import { buildFoodIndex, type FoodIndex, type NutritionTable } from './food.js';

let cached: FoodIndex | undefined;

export function nutritionTable(): NutritionTable {
  return table as NutritionTable;
}

export function defaultFoodIndex(): FoodIndex {
  cached ??= buildFoodIndex(nutritionTable());
  return cached;
}
