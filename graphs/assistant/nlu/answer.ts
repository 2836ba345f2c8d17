/**
 * Short answers to a reminder just spoken: "yes", "haan le li", "हाँ ले ली", "I skipped it", "no",
 * "nahi". They name no medicine and use only a handful of words, so they are recognised by a closed
 * vocabulary: any other content word means the sentence is about something else.
 */
import type { MedicationSlots, Normalized } from './types.js';

const YES = new Set(['yes', 'yeah', 'yep', 'yup', 'haan', 'han', 'haa', 'haanji', 'hanji', 'ji', 'हां', 'हा', 'जी', 'हांजी']);
const NO = new Set(['no', 'nope', 'not', 'nahin', 'na', 'ना']);
/** "took" covers le li / ले ली / taken; "ate" covers kha li (a tablet is "eaten" in Hindi). */
const TOOK = new Set(['took', 'ate', 'take']);
const SKIPPED = new Set(['skipped', 'forgot']);
const FILLER = new Set(['i', 'it', 'is', 'was', 'have', 'has', 'had', 'did', 'do', 'already', 'just', 'now', 'yet', 'please', 'sir', 'madam', 'that', 'one']);
const MAX_TOKENS = 7;

export function reminderAnswer(n: Normalized): MedicationSlots | undefined {
  const tokens = n.tokens;
  if (!tokens.length || tokens.length > MAX_TOKENS) return undefined;
  let yes = false;
  let no = false;
  let took = false;
  let skipped = false;
  for (const t of tokens) {
    if (YES.has(t)) yes = true;
    else if (NO.has(t)) no = true;
    else if (TOOK.has(t)) took = true;
    else if (SKIPPED.has(t)) skipped = true;
    else if (!FILLER.has(t)) return undefined;
  }
  // "nahi li", "I didn't take it": said about the dose, so it is a skipped dose, not a bare no.
  if (took || skipped) return { intent: 'log_dose', status: skipped || no ? 'skipped' : 'taken' };
  if (no) return { intent: 'confirm', answer: 'no' };
  if (yes) return { intent: 'confirm', answer: 'yes' };
  return undefined;
}
