import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import type { LogEntry, NluResultFor } from '../../nlu/types.js';
import type { AssistantStateType, AssistantUpdate } from '../../state.js';
import type { HealthTools, Prepared, ToolResult } from '../../tools.js';
import { ask, outcome, toolsFor } from './common.js';

function prepare(tools: HealthTools, e: LogEntry): Prepared | ToolResult {
  switch (e.kind) {
    case 'vitals':
      return tools.prepareVital({
        systolic: e.systolic, diastolic: e.diastolic, heart_rate: e.heart_rate, blood_sugar: e.blood_sugar,
        sugar_context: e.sugar_context, temperature: e.temperature, temperature_unit: e.temperature_unit, weight_kg: e.weight_kg, spo2: e.spo2,
      });
    case 'water':
      return tools.prepareTracking({ kind: 'water', amount_ml: e.amount_ml ?? 0 });
    case 'sleep':
      return tools.prepareTracking({ kind: 'sleep', sleep_start: e.sleep_start, sleep_end: e.sleep_end, hours: e.hours, quality: e.quality });
    case 'exercise':
      return tools.prepareTracking({ kind: 'exercise', exercise_type: e.exercise_type, duration_minutes: e.duration_minutes ?? 0 });
    case 'mood':
      return tools.prepareTracking({ kind: 'mood', mood: e.mood, energy_level: e.energy_level });
  }
}

/**
 * Vitals and tracking. An impossible number ("BP 900 over 5") or a missing one gets a question
 * back; every entry is validated before any is written, so a turn never half-logs.
 */
export async function logAgent(state: AssistantStateType, config: LangGraphRunnableConfig): Promise<AssistantUpdate> {
  const nlu = state.nlu as NluResultFor<'log'>;
  if (nlu.invalid.length) return ask(state, nlu, [...new Set([...nlu.invalid.map((i) => i.slot), ...nlu.missing])], [{ key: 'clarify.invalid' }]);
  if (nlu.missing.length || !nlu.slots.entries.length) return ask(state, nlu, nlu.missing.length ? nlu.missing : ['systolic']);
  const tools = toolsFor(state, config);
  const prepared: Prepared[] = [];
  for (const e of nlu.slots.entries) {
    const p = prepare(tools, e);
    if ('ok' in p) return outcome(state, nlu, p);
    prepared.push(p);
  }
  return outcome(state, nlu, await tools.commitAll(prepared));
}
