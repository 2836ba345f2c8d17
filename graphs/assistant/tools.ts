/**
 * The assistant's tools over the health domain. `createHealthTools` binds them to one user's
 * `UserHealth`, so no tool takes a user id and none can reach another user's graph. The offline
 * agents call these functions directly and LLM mode calls the same functions through the
 * @langchain/core wrappers (`asLangChainTools`): one code path for every write, and every write
 * goes through UserHealth so REST, voice and chat apply the same rules (stock, alarm sync…).
 *
 * By area, under tools/: logging (meals, vitals, water, sleep, exercise, mood), medication
 * (doses), reminders (alarms, appointments), query (reads for the LLM), langchain (the wrappers);
 * core holds what they share.
 */
import { loggingTools } from './tools/logging.js';
import { medicationTools } from './tools/medication.js';
import { queryTools } from './tools/query.js';
import { reminderTools } from './tools/reminders.js';
import type { ToolEnv } from './tools/core.js';

export type { Action, MedicationInfo, Prepared, ToolEnv, ToolResult } from './tools/core.js';
export { foodName, logFoodInput, logTrackingInput, logVitalInput, sleepHours, type LogFoodInput, type LogTrackingInput, type LogVitalInput } from './tools/logging.js';
export { logDoseInput, POD_HOURS, type LogDoseInput } from './tools/medication.js';
export { createAlarmInput, createAppointmentInput, type CreateAlarmInput, type CreateAppointmentInput } from './tools/reminders.js';
export { getInsightsInput, getRecentInput, searchMemoriesInput } from './tools/query.js';
export { asLangChainTools, WRITE_TOOLS, type ToolLedger } from './tools/langchain.js';

export function createHealthTools(env: ToolEnv) {
  return { env, ...loggingTools(env), ...medicationTools(env), ...reminderTools(env), ...queryTools(env) };
}

export type HealthTools = ReturnType<typeof createHealthTools>;
