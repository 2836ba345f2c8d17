/**
 * Splits reply text into sentences for TTS, so the first sentence can be spoken while the rest
 * is still being synthesised. Handles English and Devanagari full stops (। and ॥), and keeps
 * abbreviations and decimals ("Dr. Sharma", "98.6") inside their sentence: a boundary needs
 * whitespace or the end after it.
 */
const ABBREVIATIONS = /\b(dr|mr|mrs|ms|st|no|vs|approx|e\.g|i\.e)\.$/i;

export function splitSentences(text: string, maxChars = 400): string[] {
  const out: string[] = [];
  let current = '';
  const push = () => {
    const s = current.trim();
    if (s) out.push(...chunk(s, maxChars));
    current = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    current += ch;
    const next = text[i + 1];
    const boundary =
      ch === '।' || ch === '॥' || ch === '?' || ch === '!' ||
      (ch === '.' && !ABBREVIATIONS.test(current));
    if (boundary && (next === undefined || /\s/.test(next))) push();
  }
  push();
  return out;
}

/** A sentence longer than the provider accepts is cut at the last space before the limit. */
function chunk(s: string, max: number): string[] {
  const parts: string[] = [];
  let rest = s;
  while (rest.length > max) {
    const cut = rest.lastIndexOf(' ', max);
    const at = cut > max / 2 ? cut : max;
    parts.push(rest.slice(0, at).trim());
    rest = rest.slice(at).trim();
  }
  if (rest) parts.push(rest);
  return parts;
}
