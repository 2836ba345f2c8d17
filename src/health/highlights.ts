/**
 * Short, plain sentences about a day and its week that a person or their caregiver can read at a
 * glance: the daily summary and the care circle's overview share them.
 */
import type { Insights } from '../locusgraph/insights.js';

const round1 = (n: number | null | undefined) => (n === null || n === undefined ? null : Math.round(n * 10) / 10);

export function highlights(day: Insights, week: Insights): string[] {
  const out: string[] = [];
  const cal = day.nutrition.per_day.reduce((s, d) => s + d.calories, 0);
  if (day.nutrition.per_day.length) out.push(`Ate about ${Math.round(cal)} kcal in ${day.nutrition.per_day.reduce((s, d) => s + d.meals, 0)} meals.`);
  if (day.water.total_ml) out.push(`Drank ${day.water.total_ml} ml of water.`);
  const sys = day.vitals.blood_pressure_systolic;
  const dia = day.vitals.blood_pressure_diastolic;
  if (sys && dia) out.push(`Blood pressure averaged ${Math.round(sys.avg)}/${Math.round(dia.avg)} over ${sys.count} reading(s).`);
  const sugar = day.vitals.blood_sugar;
  if (sugar) out.push(`Blood sugar averaged ${Math.round(sugar.avg)} mg/dL over ${sugar.count} reading(s).`);
  if (day.sleep.nights) out.push(`Slept ${round1(day.sleep.avg_hours)} hours.`);
  if (day.exercise.total_minutes) out.push(`Exercised for ${Math.round(day.exercise.total_minutes)} minutes.`);
  if (day.medication.scheduled) out.push(`Took ${day.medication.taken} of ${day.medication.scheduled} scheduled doses.`);
  const weekSys = week.vitals.blood_pressure_systolic;
  if (weekSys && weekSys.trend !== 'insufficient_data' && weekSys.trend !== 'stable') out.push(`Systolic blood pressure is ${weekSys.trend} over the week.`);
  if (!out.length) out.push('Nothing was logged on this day.');
  return out;
}
