import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import type { NluResultFor } from '../../nlu/types.js';
import type { AssistantStateType, AssistantUpdate } from '../../state.js';
import { DEFAULT_SNOOZE_MINUTES } from '../../reminder-tools.js';
import { ask, outcome, reminderToolsFor, toolsFor } from './common.js';

/** Alarms ("remind me to drink water every day at 4 pm"), snoozes and appointments, in the user's zone. */
export async function reminderAgent(state: AssistantStateType, config: LangGraphRunnableConfig): Promise<AssistantUpdate> {
  const nlu = state.nlu as NluResultFor<'reminder'>;
  const s = nlu.slots;
  const tools = toolsFor(state, config);
  // "remind me in 10 minutes" right after a reminder: that reminder again, later.
  if (s.kind === 'alarm' && s.snooze) {
    const reminders = reminderToolsFor(tools);
    const spoken = await reminders.spokenReminder('snooze', state.input.lastReminderId);
    if (spoken) return outcome(state, nlu, await reminders.snooze(spoken, s.in_minutes ?? DEFAULT_SNOOZE_MINUTES));
  }
  if (nlu.missing.length) return ask(state, nlu);
  if (s.kind === 'alarm') {
    if (!s.time) return ask(state, nlu, ['time']);
    const r = await tools.createAlarm({
      alarm_type: s.alarm_type,
      title: s.title,
      time: s.time,
      ...(s.days_of_week ? { days_of_week: s.days_of_week } : {}),
      ...(s.date ? { date: s.date } : {}),
    });
    return outcome(state, nlu, r);
  }
  if (!s.scheduled_at) return ask(state, nlu, s.date ? ['time'] : ['date']);
  const r = await tools.createAppointment({ title: s.title, scheduled_at: s.scheduled_at, ...(s.doctor ? { doctor: s.doctor } : {}) });
  return outcome(state, nlu, r);
}
