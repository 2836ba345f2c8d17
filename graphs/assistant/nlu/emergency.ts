/**
 * Emergency detection, run before anything else. It errs on the side of alarm: a false positive
 * costs one "call 112" sentence, a miss can cost a life. Patterns look at canonical tokens within
 * a small window so word order (English vs Hindi) does not matter.
 */
import type { Symptom } from './types.js';

const WINDOW = 4;

function near(tokens: readonly string[], a: ReadonlySet<string>, b: ReadonlySet<string>, window = WINDOW): boolean {
  for (let i = 0; i < tokens.length; i++) {
    if (!a.has(tokens[i]!)) continue;
    for (let j = Math.max(0, i - window); j <= Math.min(tokens.length - 1, i + window); j++) {
      if (j !== i && b.has(tokens[j]!)) return true;
    }
  }
  return false;
}

const set = (s: string): ReadonlySet<string> => new Set(s.split(' '));
const CHEST = set('chest heart');
const PAIN = set('pain pressure');
const BREATHE = set('breathe');
const CANT = set('not trouble difficulty hard problem unable struggling pain stopped stop stopping ruk रुक chadh चढ dikkat mushkil pareshani takleef दिक्कत मुश्किल परेशानी');
const FACE = set('face muh munh chehra चेहरा मुंह');
const DROOP = set('drooping droop droops drooped crooked tedha टेढ़ा टेढा lopsided numb');
const SPEECH = set('speech speak talk bol bolna बोल zuban जुबान words awaaz awaz आवाज');
const SLUR = set('slurred slurring not unable ladkhada ladkhadi लडखडा लडखडाना लडखडा');
const SIDE = set('side arm arms leg legs hand haath हाथ pair पैर taraf तरफ body sharir शरीर');
const NUMB = set('numb numbness sunn सुन्न jhunjhuni झुनझुनी');
const WEAK = set('tired numb numbness sunn सुन्न weak weakness');
const ONE = set('one 1 ek एक left right taraf तरफ baayan baayi daayan daayi बायां बाईं दायां दाईं');
const FELL = set('fell');
const GETUP = set('getup');
const VITAL = set('bp pressure sugar pulse weight temperature fever spo2');
const SELF_HARM_PHRASES = [
  // Canonical forms: "nahi"/"नहीं" have already become "not".
  'kill myself', 'want to die', 'end my life', 'suicide', 'marna chahta', 'marna chahti', 'mar jana chahta', 'mar jana chahti',
  'jeena not chahta', 'jeena not chahti', 'not want to live', 'khudkushi', 'आत्महत्या', 'मरना चाहता', 'मरना चाहती', 'जीना not चाहता', 'जीना not चाहती',
];
const OVERDOSE = set('overdose zeher zahar poison poisoning ज़हर जहर');
const GENERAL = set('accident एक्सीडेंट snake saap saanp सांप bitten unconscious');
const MOVE = set('move hila hilaa हिला');

/** Symptoms found, most specific first; empty when the turn is not an emergency. */
export function detectEmergency(tokens: readonly string[], text: string): Symptom[] {
  const out: Symptom[] = [];
  const has = (t: string): boolean => tokens.includes(t);
  if (has('heartattack') || near(tokens, CHEST, PAIN)) out.push('chest_pain');
  if (has('breathless') || near(tokens, BREATHE, CANT) || (has('breathe') && (has('faster') || has('fast') || has('tez')))) out.push('breathing');
  if (has('faint')) out.push('fainting');
  if (has('stroke') || (near(tokens, SIDE, MOVE, 3) && has('not')) || near(tokens, FACE, DROOP) || near(tokens, SPEECH, SLUR, 2) || has('slurred') || near(tokens, SIDE, NUMB, 5) || (near(tokens, SIDE, WEAK, 5) && tokens.some((t) => ONE.has(t)))) out.push('stroke');
  if (has('seizure')) out.push('seizure');
  if (has('bleeding') || (has('blood') && (has('vomit') || has('vomiting') || has('ulti') || has('cough') || has('coughing')))) out.push('bleeding');
  if (has('dizzy')) out.push('dizziness');
  if (near(tokens, FELL, GETUP, 6) || (has('fell') && !tokens.some((t) => VITAL.has(t)))) out.push('fall');
  for (const p of SELF_HARM_PHRASES) {
    if (text.includes(p)) {
      out.push('self_harm');
      break;
    }
  }
  if (tokens.some((t) => OVERDOSE.has(t)) || (has('too') && has('many') && (has('medicine') || has('took')))) out.push('overdose');
  if ((has('emergency') || tokens.some((t) => GENERAL.has(t))) && !out.length) out.push('general');
  return out;
}
