/**
 * Spelling folds applied to every input and every table key, so that variant spellings that
 * speech-to-text produces (nukta or not, chandrabindu or anusvara, Devanagari digits) compare equal.
 */
const NUKTA = /\u093C/g;
const CHANDRABINDU = /\u0901/g;
const DEVANAGARI_DIGIT = /[\u0966-\u096F]/g;
const SMART_QUOTE = /[\u2018\u2019\u02BC]/g;

export function fold(s: string): string {
  return s
    .normalize('NFC')
    .toLowerCase()
    .replace(NUKTA, '')
    .replace(CHANDRABINDU, '\u0902')
    .replace(DEVANAGARI_DIGIT, (d) => String(d.charCodeAt(0) - 0x0966))
    .replace(SMART_QUOTE, "'");
}

/**
 * Word tokens: numbers (with decimals, clock times and ordinal suffixes), Latin words (with an
 * inner apostrophe), Devanagari words (without dandas), and the symbols that carry meaning here.
 */
export const TOKEN = /spo2|\d+(?:[.:]\d+)?(?:st|nd|rd|th)?|[a-z]+(?:'[a-z]+)?|[\u0900-\u0963\u0971-\u097F]+|[/%°?]/g;

export function tokenize(folded: string): string[] {
  return folded.match(TOKEN) ?? [];
}
