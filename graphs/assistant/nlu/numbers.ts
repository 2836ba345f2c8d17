/**
 * Number words → numerals, over folded tokens, before vocabulary mapping. Handles Hindi 1–99 in
 * both scripts (the irregular forms have to be listed), sau/hazaar, the fractional words
 * (aadha, dedh, dhai, sawa, saadhe, paune), and English ("one forty" = 140, "a hundred and twenty").
 */
import { fold } from './fold.js';

const HINDI_1_99 = [
  'ek|एक', 'do|दो', 'teen|tin|तीन', 'chaar|char|चार', 'paanch|panch|पांच', 'chhe|chhah|chah|छह|छः|छे', 'saat|सात', 'aath|आठ', 'nau|नौ', 'das|dus|दस',
  'gyarah|gyara|gyaarah|ग्यारह', 'barah|baarah|bara|बारह', 'terah|tera|तेरह', 'chaudah|chauda|चौदह', 'pandrah|pandra|पंद्रह|पन्द्रह', 'solah|sola|सोलह', 'satrah|satra|सत्रह', 'atharah|athara|attharah|अठारह', 'unnis|unees|उन्नीस', 'bees|बीस',
  'ikkis|ikkees|इक्कीस', 'bais|baees|बाईस', 'teis|teyees|तेईस', 'chaubis|chaubees|चौबीस', 'pachchis|pachees|pachis|पच्चीस', 'chhabbis|chabbees|छब्बीस', 'sattais|sattaees|सत्ताईस', 'atthais|atthaees|अट्ठाईस|अठाईस', 'untis|untees|उनतीस', 'tees|तीस',
  'ikattis|iktees|इकतीस', 'battis|battees|बत्तीस', 'taintis|tetees|तैंतीस', 'chautis|chauntees|चौंतीस', 'paintis|paintees|पैंतीस', 'chhattis|chhattees|छत्तीस', 'saintis|saintees|सैंतीस', 'adtis|artees|अड़तीस', 'untalis|untalees|उनतालीस', 'chalis|chaalees|chalees|chaalis|चालीस',
  'iktalis|iktalees|इकतालीस', 'bayalis|bayalees|बयालीस', 'taintalis|tetalees|तैंतालीस', 'chavalis|chauvalees|चवालीस|चौवालीस', 'paintalis|paintalees|पैंतालीस', 'chhiyalis|chhiyalees|छियालीस', 'saintalis|saintalees|सैंतालीस', 'adtalis|artalees|अड़तालीस', 'unchas|unchaas|उनचास', 'pachas|pachaas|पचास',
  'ikyavan|ikyaavan|इक्यावन', 'bavan|baavan|बावन', 'tirpan|tirepan|तिरपन', 'chauvan|चौवन', 'pachpan|पचपन', 'chhappan|छप्पन', 'sattavan|सत्तावन', 'atthavan|अट्ठावन', 'unsath|उनसठ', 'saath|sath|साठ',
  'iksath|इकसठ', 'basath|बासठ', 'tirsath|तिरसठ', 'chausath|चौंसठ', 'painsath|पैंसठ', 'chhiyasath|छियासठ', 'sadsath|सड़सठ', 'adsath|अड़सठ', 'unhattar|उनहत्तर', 'sattar|सत्तर',
  'ikhattar|इकहत्तर', 'bahattar|बहत्तर', 'tihattar|तिहत्तर', 'chauhattar|चौहत्तर', 'pachhattar|पचहत्तर', 'chhihattar|छिहत्तर', 'sathattar|सतहत्तर', 'athattar|अठहत्तर', 'unasi|unyasi|उन्यासी|उनासी', 'assi|अस्सी',
  'ikyasi|इक्यासी', 'bayasi|बयासी', 'tirasi|तिरासी', 'chaurasi|चौरासी', 'pachasi|पचासी', 'chhiyasi|छियासी', 'sattasi|सत्तासी', 'atthasi|अट्ठासी', 'navasi|नवासी', 'nabbe|nabbay|नब्बे',
  'ikyanave|इक्यानवे', 'banave|बानवे', 'tiranave|तिरानवे', 'chauranave|चौरानवे', 'pachanave|पचानवे', 'chhiyanave|छियानवे', 'sattanave|सत्तानवे', 'atthanave|अट्ठानवे', 'ninyanave|निन्यानवे',
];
const EN_UNITS = 'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen'.split(' ');
const EN_TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

const SMALL = new Map<string, number>(); // 0–99 words, both languages
const EN_WORD = new Set<string>();
HINDI_1_99.forEach((forms, i) => forms.split('|').forEach((f) => SMALL.set(fold(f), i + 1)));
EN_UNITS.forEach((w, i) => { SMALL.set(w, i); EN_WORD.add(w); });
EN_TENS.forEach((w, i) => { if (w) { SMALL.set(w, i * 10); EN_WORD.add(w); } });
SMALL.set('fourty', 40);
EN_WORD.add('fourty');

const MULTIPLIER = new Map<string, number>([
  ['hundred', 100], ['sau', 100], [fold('सौ'), 100], ['thousand', 1000], ['hazaar', 1000], ['hazar', 1000], ['hajar', 1000],
  [fold('हज़ार'), 1000], [fold('हजार'), 1000], ['lakh', 100000], [fold('लाख'), 100000],
]);
const FRACTION = new Map<string, number>([
  ['half', 0.5], ['aadha', 0.5], ['aadhi', 0.5], ['aadhe', 0.5], ['adha', 0.5], ['adhi', 0.5], [fold('आधा'), 0.5], [fold('आधी'), 0.5], [fold('आधे'), 0.5],
  ['quarter', 0.25], ['dedh', 1.5], ['derh', 1.5], ['dhed', 1.5], [fold('डेढ़'), 1.5], ['dhai', 2.5], ['dhaai', 2.5], ['dhaee', 2.5], [fold('ढाई'), 2.5],
]);
const MODIFIER = new Map<string, number>([
  ['sawa', 0.25], ['savva', 0.25], ['sava', 0.25], [fold('सवा'), 0.25], ['saadhe', 0.5], ['sadhe', 0.5], ['saade', 0.5], ['sade', 0.5], [fold('साढ़े'), 0.5],
  ['paune', -0.25], ['pone', -0.25], [fold('पौने'), -0.25],
]);

/** Words after which "do" is the English verb, not the Hindi two. */
const DO_BLOCK_NEXT = new Set(
  "i you we they he she it not this that the a an my your some any something anything so to with for and or me us them what more less well better good exercise exercises yoga walk na please ji karo lo do now today there it's you're".split(' '),
);
const DO_BLOCK_PREV = new Set('what how should can could to i you we they did does will would not must lets please why who where which n\'t'.split(' '));
const DEVANAGARI_DO = fold('दो');
const DEVANAGARI_DO_BLOCK_NEXT = new Set(['ना', 'न', 'जी'].map(fold));
/** "saath" is also "with" (ke saath): a count only next to another number or a unit. */
const SAATH = new Set(['saath', 'sath', fold('साठ')]);

export function isNumeral(t: string): boolean {
  return /^\d+(?:\.\d+)?$/.test(t);
}

function wordValue(tokens: readonly string[], i: number): number | undefined {
  const t = tokens[i];
  if (t === undefined) return undefined;
  if (isNumeral(t)) return Number(t);
  const v = SMALL.get(t);
  if (v === undefined) return undefined;
  if (t === 'do') {
    const next = tokens[i + 1];
    const prev = tokens[i - 1];
    if (next === undefined || DO_BLOCK_NEXT.has(next) || (prev !== undefined && DO_BLOCK_PREV.has(prev))) return undefined;
  } else if (t === DEVANAGARI_DO) {
    const next = tokens[i + 1];
    if (next === undefined || DEVANAGARI_DO_BLOCK_NEXT.has(next)) return undefined;
  } else if (SAATH.has(t) && t !== fold('साठ')) {
    const prev = tokens[i - 1];
    if (!(prev !== undefined && MULTIPLIER.has(prev))) return undefined;
  }
  return v;
}

interface Parsed {
  value: number;
  length: number;
  /** Built with sawa/saadhe/paune/dedh/dhai: before "baje" it is a clock time, not a decimal. */
  fractional?: boolean;
}

/** Parse the number phrase starting at `i`, or undefined. */
export function parseNumberAt(tokens: readonly string[], i: number): Parsed | undefined {
  const t = tokens[i];
  if (t === undefined) return undefined;
  const mod = MODIFIER.get(t);
  if (mod !== undefined) {
    const mult = MULTIPLIER.get(tokens[i + 1] ?? '');
    if (mult !== undefined) return { value: (1 + mod) * mult, length: 2 }; // "sawa sau" = 125
    // After a modifier, "do" can only be two ("sawa do").
    const inner = tokens[i + 1] === 'do' || tokens[i + 1] === DEVANAGARI_DO ? { value: 2, length: 1 } : parseNumberAt(tokens, i + 1);
    if (!inner) return undefined;
    return { value: inner.value + mod, length: inner.length + 1, fractional: true }; // "saadhe teen" = 3.5
  }
  const frac = FRACTION.get(t);
  if (frac !== undefined) {
    const mult = MULTIPLIER.get(tokens[i + 1] ?? '');
    if (mult !== undefined) return { value: frac * mult, length: 2 }; // "dedh sau" = 150
    if (t === 'half' && (tokens[i + 1] === 'a' || tokens[i + 1] === 'an')) return { value: frac, length: 2 };
    return { value: frac, length: 1, fractional: true };
  }
  if ((t === 'a' || t === 'an') && MULTIPLIER.has(tokens[i + 1] ?? '')) {
    return withHalf(tokens, i, continueCompound(tokens, i + 1, 1, 1));
  }
  if (t === 'a' && tokens[i + 1] === 'couple' && tokens[i + 2] === 'of') return { value: 2, length: 3 };
  if (isNumeral(t)) return withHalf(tokens, i, { value: Number(t), length: 1 });
  // A bare "sau" / "hazaar" is one hundred / one thousand ("140 by sau").
  if (MULTIPLIER.has(t) && t !== 'lakh') return withHalf(tokens, i, continueCompound(tokens, i, 1, 0));
  const small = smallAt(tokens, i);
  if (!small) return undefined;
  // "one forty" / "one twenty five": a single English digit word before 10–99 reads as hundreds.
  if (small.length === 1 && EN_WORD.has(t) && small.value >= 1 && small.value <= 9) {
    const next = smallAt(tokens, i + 1);
    if (next && EN_WORD.has(tokens[i + 1]!) && next.value >= 10) {
      return { value: small.value * 100 + next.value, length: 1 + next.length };
    }
  }
  return withHalf(tokens, i, continueCompound(tokens, i + small.length, small.value, small.length));
}

/** A word for 0–99 (not a numeral), joining English "forty five". */
function smallAt(tokens: readonly string[], i: number): Parsed | undefined {
  const t = tokens[i];
  if (t === undefined || isNumeral(t)) return undefined;
  const v = wordValue(tokens, i);
  if (v === undefined) return undefined;
  if (EN_WORD.has(t) && v >= 20 && v % 10 === 0) {
    const u = tokens[i + 1];
    const uv = u !== undefined && EN_WORD.has(u) ? SMALL.get(u) : undefined;
    if (uv !== undefined && uv >= 1 && uv <= 9) return { value: v + uv, length: 2 };
  }
  return { value: v, length: 1 };
}

/** After a leading value: "sau", "hazaar", "hundred and twenty", "sau chalis", "do hazaar paanch sau". */
function continueCompound(tokens: readonly string[], start: number, first: number, consumed: number): Parsed {
  let total = 0;
  let current = first;
  let j = start;
  for (;;) {
    const mult = MULTIPLIER.get(tokens[j] ?? '');
    if (mult === undefined) break;
    current = (current || 1) * mult;
    j++;
    if (mult >= 1000) {
      total += current;
      current = 0;
    }
    let k = j;
    if (tokens[k] === 'and' || tokens[k] === 'aur') k++;
    const small = smallAt(tokens, k);
    if (!small) break;
    if (MULTIPLIER.has(tokens[k + small.length] ?? '')) {
      total += current;
      current = small.value;
    } else {
      current += small.value;
    }
    j = k + small.length;
  }
  return { value: total + current, length: consumed + (j - start) };
}

/** "two and a half", "1 and a half hours". */
function withHalf(tokens: readonly string[], start: number, p: Parsed): Parsed {
  const end = start + p.length;
  if (tokens[end] === 'and' && tokens[end + 1] === 'a' && tokens[end + 2] === 'half') return { value: p.value + 0.5, length: p.length + 3 };
  if (tokens[end] === 'and' && tokens[end + 1] === 'half') return { value: p.value + 0.5, length: p.length + 2 };
  return p;
}

const BAJE = new Set(['baje', 'bajey', 'baj', fold('बजे')]);

function format(p: Parsed, next: string | undefined): string {
  if (p.fractional && next !== undefined && BAJE.has(next) && p.value < 24) {
    // "sawa aath baje" is 08:15, not 8.25 o'clock.
    const h = Math.floor(p.value);
    const m = Math.round((p.value - h) * 60);
    return `${h}:${String(m).padStart(2, '0')}`;
  }
  return String(Math.round(p.value * 1000) / 1000);
}

/** Replace every number phrase in a folded token list with its numeral. */
export function numberize(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; ) {
    const p = parseNumberAt(tokens, i);
    if (p && !(p.length === 1 && isNumeral(tokens[i]!))) {
      out.push(format(p, tokens[i + p.length]));
      i += p.length;
    } else {
      out.push(tokens[i]!);
      i++;
    }
  }
  return out;
}
