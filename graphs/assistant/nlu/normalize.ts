/**
 * Text → canonical tokens. Everything downstream (router, slot parsers, the food matcher) reads
 * only these tokens, so each spelling variant is handled once, here.
 */
import { fold, tokenize } from './fold.js';
import { HINGLISH_MARKERS, LEXICON, LEXICON_PHRASE_MAX } from './lexicon.js';
import { numberize } from './numbers.js';
import type { InputFlag, TextLang, Normalized } from './types.js';

/** Longer turns are not something a person says to a health assistant in one breath. */
export const MAX_INPUT_CHARS = 1000;

const LATIN = /[a-z]/gi;
const DEVANAGARI_LETTER = /[\u0900-\u0963\u0971-\u097F]/g;
const DIGIT = /[0-9\u0966-\u096F]/g;
const ANY_LETTER = /\p{L}/gu;

const PRE: Array<[RegExp, string]> = [
  [/(\d),(\d{3})\b/g, '$1$2'],
  [/\bb\s?\.\s?p\b\.?/g, ' bp '],
  [/\ba\.m\b\.?/g, ' am '],
  [/\bp\.m\b\.?/g, ' pm '],
  [/\bmg\s*\/\s*dl\b/g, ' mgdl '],
  [/\bmmol\s*\/\s*l\b/g, ' mmol '],
  [/\bdr\./g, 'dr '],
  // Glued units ("2rotis", "98.6f", "4pm"), keeping ordinals ("5th") intact.
  [/(\d)(?!(?:st|nd|rd|th)\b)([a-z\u0900-\u097F°%])/g, '$1 $2'],
  [/([a-z])-([a-z])/g, '$1 $2'],
];

const PAST = new Set(
  'was ate drank took slept woke forgot skipped fell kiya kiye kari hua hui huyi hue gaya gayi gaye gye aaya aayi aai aaye aya ayi diya di lagi laga किया हुआ हुई गया गई गए गये आया आई आए दिया लगा लगी did had'.split(' ').map(fold),
);
const FUTURE_STRONG = new Set(['remind', 'alarm', 'appointment', 'wakeup', 'checkup']);
const FUTURE = new Set('will go hoga hogi hoge होगा होगी होंगे going shall'.split(' ').map(fold));
const FUTURE_SUFFIX = /(?:unga|ungi|enge|oge|ega|egi|ogi|ंगा|ंगी|ेंगे|ेगा|ेगी)$/;
const KAL = new Set(['kal', 'kall', fold('कल')]);
const PARSON = new Set(['parson', 'parso', 'parsoon', fold('परसों'), fold('परसो')]);

function count(s: string, re: RegExp): number {
  re.lastIndex = 0;
  let n = 0;
  while (re.exec(s) !== null) n++;
  return n;
}

function emptyResult(raw: string, flags: InputFlag[], lang: TextLang = 'en'): Normalized {
  return { raw, tokens: [], text: '', lang, flags, question: false };
}

export function normalize(input: string): Normalized {
  const raw = typeof input === 'string' ? input : '';
  const flags: InputFlag[] = [];
  if (raw.trim() === '') return emptyResult(raw, ['empty']);
  if (raw.length > MAX_INPUT_CHARS) flags.push('too_long');
  const work = raw.length > MAX_INPUT_CHARS ? raw.slice(0, MAX_INPUT_CHARS) : raw;

  const latin = count(work, LATIN);
  const deva = count(work, DEVANAGARI_LETTER);
  const digits = count(work, DIGIT);
  const other = count(work, ANY_LETTER) - latin - deva;
  if (latin + deva + digits === 0) {
    flags.push(other > 0 ? 'unsupported_script' : 'emoji_only');
    return emptyResult(raw, flags);
  }
  if (other > 0) {
    if (other >= latin + deva) {
      flags.push('unsupported_script');
      return emptyResult(raw, flags);
    }
    flags.push('mixed_script');
  }

  let folded = fold(work);
  for (const [re, rep] of PRE) folded = folded.replace(re, rep);
  const rawTokens = tokenize(folded);
  const question = rawTokens.includes('?');

  let lang: TextLang = 'en';
  if (deva > 0 && deva >= latin) lang = 'hi';
  else if (rawTokens.some((t) => HINGLISH_MARKERS.has(t))) lang = 'hinglish';

  const numbered = numberize(rawTokens.filter((t) => t !== '?'));
  const tokens = mapVocabulary(numbered);
  resolveRelativeDays(tokens);
  return { raw, tokens, text: tokens.join(' '), lang, flags, question };
}

function mapVocabulary(tokens: readonly string[]): string[] {
  const out: string[] = [];
  const keys: string[] = new Array(LEXICON_PHRASE_MAX);
  for (let i = 0; i < tokens.length; ) {
    const max = Math.min(LEXICON_PHRASE_MAX, tokens.length - i);
    let key = tokens[i]!;
    keys[0] = key;
    for (let n = 1; n < max; n++) {
      key += ' ' + tokens[i + n]!;
      keys[n] = key;
    }
    let matched = 0;
    for (let n = max; n >= 1; n--) {
      const mapped = LEXICON.get(keys[n - 1]!);
      if (mapped !== undefined) {
        for (const m of mapped) out.push(m);
        matched = n;
        break;
      }
    }
    if (matched === 0) {
      out.push(tokens[i]!);
      matched = 1;
    }
    i += matched;
  }
  return out;
}

/** Hindi "kal" is both yesterday and tomorrow (and "parson" both -2 and +2 days): decide by tense. */
function resolveRelativeDays(tokens: string[]): void {
  let hasKal = false;
  for (const t of tokens) if (KAL.has(t) || PARSON.has(t)) hasKal = true;
  if (!hasKal) return;
  let past = false;
  let future = false;
  let strongFuture = false;
  for (const t of tokens) {
    if (FUTURE_STRONG.has(t)) strongFuture = true;
    else if (PAST.has(t)) past = true;
    else if (FUTURE.has(t) || FUTURE_SUFFIX.test(t)) future = true;
  }
  const forward = strongFuture || (future && !past);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (KAL.has(t)) tokens[i] = forward ? 'tomorrow' : 'yesterday';
    else if (PARSON.has(t)) tokens[i] = forward ? 'day_after_tomorrow' : 'day_before_yesterday';
  }
}
