import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { runtimeOf } from '../../configuration.js';
import { addDays, isoWeekday, localParts } from '../../nlu/clock.js';
import type { NluResultFor, PartOfDay } from '../../nlu/types.js';
import { say, speakTime, type Bilingual, type Say } from '../../speech.js';
import type { AssistantStateType, AssistantUpdate } from '../../state.js';
import { POD_HOURS, type HealthTools } from '../../tools.js';
import { outcome, reminderToolsFor, toolsFor } from './common.js';

interface Slot {
  name: string;
  time: string;
  days: string[];
}

async function activeSchedule(tools: HealthTools): Promise<Slot[]> {
  const out: Slot[] = [];
  for (const s of await tools.env.health.all('med_schedule')) {
    if (s.active === false) continue;
    const med = tools.env.medications.find((m) => s.medication_id === `medication:${m.id}`);
    if (med) out.push({ name: med.name, time: String(s.time_of_day), days: (s.days_of_week as string[]).map((d) => (d === '0' ? '7' : d)) });
  }
  return out.sort((a, b) => a.time.localeCompare(b.time));
}

const atTime = (name: string, time: string): Bilingual => ({ en: `${name} at ${speakTime(time, 'en')}`, hi: `${speakTime(time, 'hi')} बजे ${name}` });

/** The next scheduled dose from now, looking up to a week ahead. */
function nextDose(slots: readonly Slot[], now: Date, timeZone: string): Slot | undefined {
  const local = localParts(now, timeZone);
  const minutes = local.hour * 60 + local.minute;
  for (let d = 0; d < 8; d++) {
    const weekday = String(isoWeekday(addDays(local, d)));
    const hit = slots.find((s) => s.days.includes(weekday) && (d > 0 || toMinutes(s.time) >= minutes));
    if (hit) return hit;
  }
  return undefined;
}

const toMinutes = (t: string): number => {
  const [h, m] = t.split(':').map(Number) as [number, number];
  return h * 60 + m;
};

function inPart(time: string, pod: PartOfDay): boolean {
  const [lo, hi] = POD_HOURS[pod];
  const h = toMinutes(time) / 60;
  return (h >= lo && h < hi) || h + 24 < hi;
}

/** Logs doses (by name, or the ones due now), says what is due next, or lists the schedule. */
export async function medicationAgent(state: AssistantStateType, config: LangGraphRunnableConfig): Promise<AssistantUpdate> {
  const nlu = state.nlu as NluResultFor<'medication'>;
  const tools = toolsFor(state, config);
  const { intent, medication, status, part_of_day, extra } = nlu.slots;
  // "yes", "haan le li", "I skipped it" right after a medication reminder answer that reminder
  // ("one more" is a dose beyond it, not its answer).
  if (intent === 'confirm' || (intent === 'log_dose' && !part_of_day && !extra)) {
    const reminders = reminderToolsFor(tools);
    const spoken = await reminders.spokenReminder('dose', state.input.lastReminderId);
    const named = medication ? tools.medicationByName(medication) : undefined;
    if (spoken && (!medication || (named && (await reminders.isFor(spoken, named.id))))) {
      if (intent === 'confirm' && nlu.slots.answer === 'no') return { say: (await reminders.declineDose(spoken)).say, pending: null };
      return outcome(state, nlu, await reminders.answerDose(spoken, status ?? 'taken'));
    }
    // A bare yes or no with no reminder to answer: nothing to log, and it was not about medicine.
    if (intent === 'confirm') return { say: [say('chat.nothing_to_confirm')], route: 'chat', pending: null };
  }
  if (intent === 'log_dose') {
    const r = await tools.logDose({ status: status ?? 'taken', ...(medication ? { medication } : {}), ...(part_of_day ? { part_of_day } : {}), ...(extra ? { extra } : {}) });
    return outcome(state, nlu, r);
  }
  const schedule = await activeSchedule(tools);
  let reply: Say[];
  if (!schedule.length) {
    reply = tools.env.medications.length
      ? [say('medication.schedule', { list: { list: tools.env.medications.map((m) => m.name) } })]
      : [say('medication.no_schedule')];
  } else if (intent === 'list_schedule') {
    // "when do I take Amlodipine": that medicine's times when it has any, else the whole list.
    const named = medication ? tools.medicationByName(medication) : undefined;
    const own = named ? schedule.filter((s) => s.name === named.name) : [];
    reply = [say('medication.schedule', { list: { list: (own.length ? own : schedule).map((s) => atTime(s.name, s.time)) } })];
  } else if (part_of_day) {
    const today = String(isoWeekday(localParts(runtimeOf(config).now(), state.context!.timeZone)));
    const inPod = schedule.filter((s) => s.days.includes(today) && inPart(s.time, part_of_day));
    reply = inPod.length ? [say('medication.schedule', { list: { list: inPod.map((s) => atTime(s.name, s.time)) } })] : [say('medication.none_due')];
  } else {
    const next = nextDose(schedule, runtimeOf(config).now(), state.context!.timeZone);
    reply = next ? [say('medication.due', { medication: next.name, time: { time: next.time } })] : [say('medication.none_due')];
  }
  return { say: reply, pending: null };
}
