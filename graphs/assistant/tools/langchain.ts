/**
 * The tools as @langchain/core tools with zod schemas, for LLM tool calling: the same functions
 * the offline agents call, so both modes write through one code path.
 */
import { tool, type StructuredToolInterface } from '@langchain/core/tools';
import { z } from 'zod';
import type { HealthTools } from '../tools.js';
import type { ToolResult } from './core.js';
import { logFoodInput, logTrackingInput, logVitalInput } from './logging.js';
import { logDoseInput } from './medication.js';
import { getInsightsInput, getRecentInput, searchMemoriesInput } from './query.js';
import { createAlarmInput, createAppointmentInput } from './reminders.js';

/** Which tools write (their confirmations are spoken from templates, not LLM text). */
export const WRITE_TOOLS: ReadonlySet<string> = new Set(['log_food', 'log_vital', 'log_tracking', 'log_dose', 'create_alarm', 'create_appointment']);

/** Result of the latest LangChain tool call per tool run, keyed by call id, for the agent to read back. */
export type ToolLedger = Map<string, ToolResult>;

/**
 * A tool returns JSON for the model and records its full result in `ledger` so the agent can
 * speak the confirmation and report the actions.
 */
export function asLangChainTools(t: HealthTools, ledger: ToolLedger): StructuredToolInterface[] {
  const wrap = <S extends z.ZodType>(name: string, description: string, schema: S, run: (input: z.output<S>) => Promise<ToolResult>) =>
    tool(
      async (input: z.output<S>, config?: { toolCall?: { id?: string } }) => {
        const r = await run(input);
        ledger.set(config?.toolCall?.id ?? `${name}:${ledger.size}`, r);
        return JSON.stringify(r.ok ? { ok: true, data: r.data ?? null, actions: r.actions } : { ok: false, error: r.error, slots: r.slots ?? [] });
      },
      { name, description, schema },
    ) as unknown as StructuredToolInterface;
  return [
    wrap('log_food', 'Log a meal. items use ids from the nutrition list; nutrition is computed by the tool.', logFoodInput, (i) => t.logFood(i)),
    wrap('log_vital', 'Log vitals: BP (systolic and diastolic together), pulse, sugar (mg/dL with context), temperature, weight in kg, SpO2.', logVitalInput, (i) => t.logVital(i)),
    wrap('log_tracking', 'Log water (ml), sleep (start/end or hours), exercise (type, minutes) or mood.', logTrackingInput, (i) => t.logTracking(i)),
    wrap('log_dose', 'Log a medicine dose as taken or skipped. Without a name, the doses due now are logged.', logDoseInput, (i) => t.logDose(i)),
    wrap('create_alarm', 'Create a reminder alarm at a local time, repeating on weekdays or once on a date.', createAlarmInput, (i) => t.createAlarm(i)),
    wrap('create_appointment', 'Create a doctor appointment at a future date and time.', createAppointmentInput, (i) => t.createAppointment(i)),
    wrap('get_profile', "The user's profile, medicines with their times, and primary emergency contact name.", z.object({}), () => t.getProfile()),
    wrap('get_recent', "The user's recent records of one type, newest first, optionally within [from, to).", getRecentInput, (i) => t.getRecent(i)),
    wrap('search_memories', "Search the user's own records by text.", searchMemoriesInput, (i) => t.searchMemories(i)),
    wrap('get_insights', "Aggregates over the user's last N days (vitals, food, water, sleep, exercise, mood, medication).", getInsightsInput, (i) => t.getInsights(i)),
  ];
}
