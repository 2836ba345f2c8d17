/**
 * Splits text for Sarvam TTS, which refuses requests over its character limit: whole sentences are
 * packed into chunks under the limit; a sentence longer than the limit is cut at a clause or word
 * boundary, and only a run with no spaces at all is cut mid-word.
 */

/**
 * A boundary is whitespace after a sentence end in Latin or Indic script (। danda, ॥ double danda),
 * optionally behind closing quotes or brackets, or a line break. "3.5 mg" is not a boundary.
 */
const BOUNDARY = /(?<=[.!?।॥]["'”’)\]]*)\s+|\s*\n+\s*/u;

export function sentencesOf(text: string): string[] {
  return text
    .split(BOUNDARY)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function cutLong(sentence: string, max: number): string[] {
  const out: string[] = [];
  let rest = sentence;
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    // Prefer a clause break, then any space, within the window.
    let at = Math.max(window.lastIndexOf(', '), window.lastIndexOf('; '), window.lastIndexOf(': '));
    at = at > 0 ? at + 1 : window.lastIndexOf(' ');
    if (at <= 0) at = max;
    out.push(rest.slice(0, at).trim());
    rest = rest.slice(at).trim();
  }
  if (rest) out.push(rest);
  return out;
}

/** Chunks of at most `max` characters, each ending on a sentence boundary where one exists. */
export function splitTextForTts(text: string, max: number): string[] {
  if (!Number.isInteger(max) || max < 1) throw new RangeError('max must be a positive integer');
  const chunks: string[] = [];
  let current = '';
  for (const sentence of sentencesOf(text)) {
    for (const piece of sentence.length > max ? cutLong(sentence, max) : [sentence]) {
      const joined = current ? `${current} ${piece}` : piece;
      if (joined.length <= max) {
        current = joined;
      } else {
        chunks.push(current);
        current = piece;
      }
    }
  }
  if (current) chunks.push(current);
  return chunks;
}
