/**
 * Offline language understanding for the assistant graph: pure, synchronous, deterministic.
 * normalize → route (with slots) → fillSlots for follow-up answers; parsers are exported for nodes
 * and tests.
 */
export { normalize, MAX_INPUT_CHARS } from './normalize.js';
export { route, understand, safeContext, type RouteOptions } from './router.js';
export { fillSlots } from './fill.js';
export { numberize, parseNumberAt } from './numbers.js';
export { parseNumbers } from './parse-numbers.js';
export {
  parseTime, parseDate, parseDuration, parseSleep, findRecurrence, DEFAULT_TIME_ZONE,
  type TimeParse, type SleepParse, type TimeContext, type HourPolicy,
} from './time.js';
export { parseVitals } from './vitals.js';
export { parseWater, parseExercise, parseMood, parseSleepEntry, ML_PER_GLASS } from './tracking.js';
export { findMedication } from './medication.js';
export { parseAlarm, parseAppointment } from './reminder.js';
export { parseHealthQuery, periodRange, findTopic } from './query.js';
export { detectCallAsk, detectEmergency, isAllClear } from './emergency.js';
export { RANGES, inRange } from './ranges.js';
export {
  buildFoodIndex, findFoods, parseFoodSlots, computeNutrition, mealFromHour,
  type FoodIndex, type NutritionTable, type NutritionFood, type NutritionSummary, type CountedItem, type Nutrients,
} from './food.js';
export { defaultFoodIndex, nutritionTable } from './nutrition.js';
export type * from './types.js';
export { ROUTES } from './types.js';
