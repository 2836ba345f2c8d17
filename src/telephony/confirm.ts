/**
 * A reminder call asks "have you taken it?". The answer is handled here, before the assistant:
 * the graph cannot know which dose "yes, I took it" refers to, but the call does. Anything that is
 * not an answer to the question goes to the assistant unchanged.
 */
import type { HealthService } from '../health/service.js';
import { turnHandle, type AssistantPort, type AssistantReply, type AssistantTurn, type Heard, type TurnHandle, type TurnOptions } from '../../graphs/assistant/port.js';
import { phrase } from '../../prompts/phone.js';
import { langOf, LOCALE } from '../../prompts/lang.js';

export interface PendingDose {
  notificationId: string;
  /** `med_schedule:<id>` from the reminder, when it was a scheduled dose. */
  scheduleId?: string;
  medicationName?: string;
}

const YES = /\b(yes|yeah|yep|yup|haan|han|ha|ji|done|took|taken|have taken|already)\b|हाँ|हां|ले ली|ले लिया|लिया/i;
const NO = /\b(no|not|nope|didn't|did not|haven't|have not|nahi|nahin|later)\b|नहीं|नही/i;

export function answerOf(text: string): 'yes' | 'no' | null {
  const t = text.trim();
  if (!t) return null;
  if (NO.test(t)) return 'no';
  return YES.test(t) ? 'yes' : null;
}

export class ReminderAnswers implements AssistantPort {
  constructor(
    private readonly inner: AssistantPort,
    private readonly health: HealthService,
    private pending: PendingDose[],
    private readonly now: () => number = Date.now,
  ) {}

  get awaiting(): number {
    return this.pending.length;
  }

  /** The assistant runs ahead only when no question is open: an answer to it needs the words first. */
  startHeard(turn: Omit<AssistantTurn, 'text'>, heard: Promise<Heard>, opts?: TurnOptions): TurnHandle {
    if (!this.pending.length && this.inner.startHeard) return this.inner.startHeard(turn, heard, opts);
    return turnHandle(async (decide) => {
      const words = await heard;
      const answered = this.start({ ...turn, text: words.text, language: words.language }, opts);
      // Its reply is this turn's reply; a failure reaches the caller through `done`.
      answered.reply.then(decide, () => undefined);
      return answered.done;
    });
  }

  start(turn: AssistantTurn, opts?: TurnOptions): TurnHandle {
    const answer = this.pending.length ? answerOf(turn.text) : null;
    if (!answer) return this.inner.start(turn, opts);
    return turnHandle(() => this.confirm(answer, turn));
  }

  /** Answers the open question: on a yes the doses are logged as taken; either way it says so. */
  private async confirm(answer: 'yes' | 'no', turn: AssistantTurn): Promise<AssistantReply> {
    const lang = langOf(turn.language);
    const doses = this.pending;
    this.pending = [];
    const language = LOCALE[lang];
    if (answer === 'no') return { reply: phrase(lang, 'dose_declined'), route: 'medication', language, actions: [] };
    const user = this.health.forUser(turn.userId);
    const takenAt = new Date(this.now()).toISOString();
    const actions: AssistantReply['actions'] = [];
    for (const d of doses) {
      if (d.scheduleId) {
        const log = await user.create('medication_log', { schedule_id: d.scheduleId, status: 'taken', taken_at: takenAt, notes: 'Confirmed on a reminder call' });
        actions.push({ type: 'medication_log', id: log.id });
      }
      await user.store.patch('notification', d.notificationId, { read: true, read_at: takenAt });
    }
    const names = doses.map((d) => d.medicationName).filter((n): n is string => !!n);
    return { reply: phrase(lang, 'dose_logged', { name: names.length ? names.join(', ') : phrase(lang, 'your_medicine') }), route: 'medication', language, actions };
  }
}
