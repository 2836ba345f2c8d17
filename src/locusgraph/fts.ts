/**
 * Full-text indexing for the embedded store, scoped to one graph by construction.
 *
 * Every indexed token is written as `<graph number>_<word>`, so a graph's words live in their own
 * FTS5 doclists: a search reads only that graph's postings, its cost does not grow with other
 * users' data, and a query can never match another graph's rows even before the join filter.
 * We tokenize in JS (FTS5 custom tokenizers are not reachable from better-sqlite3) and let FTS5's
 * unicode61 tokenizer, told that `_` and combining marks are word characters, keep our tokens
 * whole; porter then stems the English tail of each token ("walking" finds "walk").
 */
import type { JsonObject } from './port.js';

export const FTS_TOKENIZER = `porter unicode61 tokenchars '_' categories 'L* N* Co M*'`;

// Latin diacritics fold away ("café" finds "cafe"); marks in other scripts carry meaning
// (Devanagari vowel signs) and stay.
const LATIN_MARKS = /(\p{Script=Latin})\p{M}+/gu;
const NON_WORD = /[^\p{L}\p{N}\p{M}]+/u;
const MAX_TOKEN = 64;

const STOPWORDS = new Set(
  'a an and are as at be by did do does for from had has have how i in is it me my of on or so that the this to was were what when where which who why with you your'.split(
    ' ',
  ),
);

const ASCII = /^[\x00-\x7f]*$/;
const NON_WORD_ASCII = /[^a-z0-9]+/;
// Ids and references (`medication:<id>`) and machine values are not text anyone searches for.
const NOT_TEXT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|[a-z][a-z0-9_]*:[A-Za-z0-9][A-Za-z0-9._-]*$|https?:\/\/)/;

export function words(text: string): string[] {
  // Most payload text is ASCII: skip Unicode normalisation, the costly part, when it cannot matter.
  const parts = ASCII.test(text)
    ? text.toLowerCase().split(NON_WORD_ASCII)
    : text.normalize('NFKD').replace(LATIN_MARKS, '$1').normalize('NFC').toLowerCase().split(NON_WORD);
  return parts.filter((w) => w.length > 0 && w.length <= MAX_TOKEN);
}

function collect(value: unknown, out: string[], depth: number): void {
  if (depth > 8) return;
  if (typeof value === 'string') {
    if (!NOT_TEXT.test(value)) for (const w of words(value)) out.push(w);
  } else if (Array.isArray(value)) {
    for (const v of value) collect(v, out, depth + 1);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) collect(v, out, depth + 1);
  }
}

/**
 * The FTS5 document for one event: the words of its payload's string values. Keys, numbers and
 * type names stay out: they would put every vitals event under "blood" and "pressure", making
 * the commonest searches the slowest while telling nothing a type filter does not.
 */
export function ftsBody(graphNo: number, payload: JsonObject): string {
  const toks: string[] = [];
  collect(payload, toks, 0);
  const prefix = `${graphNo}_`;
  return toks.length === 0 ? '' : prefix + toks.join(` ${prefix}`);
}

/**
 * An FTS5 MATCH expression requiring every meaningful query word (implicit AND), scoped to the
 * graph. Returns null when nothing searchable is left (only stopwords or punctuation).
 */
export function ftsQuery(graphNo: number, query: string): string | null {
  const all = words(query);
  const kept = all.filter((w) => !STOPWORDS.has(w));
  const terms = [...new Set(kept.length > 0 ? kept : all)].slice(0, 16);
  if (terms.length === 0) return null;
  // Our words contain only letters, digits and marks, so quoting cannot be broken out of.
  return terms.map((t) => `"${graphNo}_${t}"`).join(' ');
}

/** A short readable rendering of a payload for MemoryItem.text. */
export function payloadText(contextType: string, payload: JsonObject): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(payload)) {
    if (v === null || v === undefined) continue;
    parts.push(`${k.replace(/_/g, ' ')}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  }
  return `${contextType.replace(/_/g, ' ')} — ${parts.join('; ')}`;
}
