/**
 * Medication names: matched against the user's own list first (including a Devanagari spelling
 * from STT, compared by consonant skeleton), else a known drug word, else a capitalized guess.
 */
import { COMMON_WORDS, isCanonicalKnown } from './lexicon.js';
import type { Normalized } from './types.js';

const KNOWN_DRUGS = new Set(
  ('metformin glycomet amlodipine amlong telmisartan telma losartan olmesartan atorvastatin rosuvastatin aspirin ecosprin clopidogrel ' +
    'insulin glimepiride gliclazide sitagliptin vildagliptin januvia galvus thyroxine levothyroxine thyronorm eltroxin paracetamol ' +
    'crocin dolo calpol pantoprazole pantop pan omeprazole rabeprazole metoprolol atenolol bisoprolol ramipril enalapril furosemide ' +
    'lasix spironolactone warfarin digoxin montelukast cetirizine levocetirizine salbutamol asthalin budesonide shelcal calcium ' +
    'ibuprofen diclofenac combiflam amoxicillin azithromycin prednisolone allopurinol febuxostat donepezil levodopa gabapentin ' +
    'pregabalin tamsulosin finasteride nitroglycerin sorbitrate isosorbide').split(' '),
);

const DEVANAGARI_CONSONANT: Record<string, string> = {
  क: 'k', ख: 'k', ग: 'g', घ: 'g', ङ: 'n', च: 'c', छ: 'c', ज: 'j', झ: 'j', ञ: 'n', ट: 't', ठ: 't', ड: 'd', ढ: 'd', ण: 'n',
  त: 't', थ: 't', द: 'd', ध: 'd', न: 'n', प: 'p', फ: 'f', ब: 'b', भ: 'b', म: 'm', य: 'y', र: 'r', ल: 'l', व: 'v', श: 's',
  ष: 's', स: 's', ह: 'h', 'ं': 'n',
};

/** A spelling-independent key: consonants only, with digraphs and sound-alikes folded. */
export function skeleton(word: string): string {
  let s = '';
  if (/[\u0900-\u097F]/.test(word)) {
    for (const ch of word) s += DEVANAGARI_CONSONANT[ch] ?? '';
    s = s.replace(/h/g, '');
  } else {
    s = word
      .toLowerCase()
      .replace(/ph/g, 'f')
      .replace(/ch/g, 'c')
      .replace(/([kgtdbsj])h/g, '$1')
      .replace(/c(?=[eiy])/g, 's')
      .replace(/c/g, 'k')
      .replace(/q/g, 'k')
      .replace(/x/g, 'ks')
      .replace(/z/g, 'j')
      .replace(/w/g, 'v')
      .replace(/[^a-z]/g, '')
      .replace(/[aeiouh]/g, '');
  }
  return s.replace(/(.)\1+/g, '$1');
}

function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

function capitalize(w: string): string {
  return w.charAt(0).toUpperCase() + w.slice(1);
}

interface MedKey {
  first: string;
  skel: string;
  maxEdits: number;
}
const medKeys = new Map<string, MedKey | null>();

/** Per-name match keys, computed once per distinct medication name. */
function medKey(med: string): MedKey | null {
  let k = medKeys.get(med);
  if (k === undefined) {
    const first = med.toLowerCase().split(/\s+/).find(Boolean);
    k = first ? { first, skel: skeleton(first), maxEdits: first.length >= 8 ? 2 : first.length >= 5 ? 1 : 0 } : null;
    if (medKeys.size > 2048) medKeys.clear();
    medKeys.set(med, k);
  }
  return k;
}

const LATIN_WORD = /^[a-z]+$/;
const DEVANAGARI = /[\u0900-\u097F]/;

/** The medication named in the turn, spelled as in the user's list when it matches one. */
export function findMedication(n: Normalized, userMeds: readonly string[] = [], guess = true): string | undefined {
  const tokens = n.tokens;
  for (const med of userMeds) {
    const key = medKey(med);
    if (!key) continue;
    const { first, skel: firstSkel, maxEdits } = key;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t === first) return med;
      // STT misspellings keep the first letter; checking it first skips almost all distance work.
      if (maxEdits > 0 && t[0] === first[0] && LATIN_WORD.test(t) && editDistance(t, first, maxEdits) <= maxEdits) return med;
      if (firstSkel.length >= 3 && DEVANAGARI.test(t)) {
        const ts = skeleton(t);
        if (ts === firstSkel || (firstSkel.length >= 4 && editDistance(ts, firstSkel, 1) <= 1)) return med;
      }
    }
  }
  for (const t of tokens) if (KNOWN_DRUGS.has(t)) return capitalize(t);
  if (!guess) return undefined;
  // "took my Zyrtec": a capitalized word that is not sentence-initial and not ordinary vocabulary.
  const m = n.raw.match(/(?<=\S\s+)[A-Z][a-zA-Z]{3,}\b/g);
  if (m) {
    for (const w of m) {
      const lw = w.toLowerCase();
      if (!COMMON_WORDS.has(lw) && !isCanonicalKnown(lw)) return w;
    }
  }
  return undefined;
}

const EXTRA_WORDS = new Set(['extra', 'एक्स्ट्रा', 'another', 'additional']);
/** Normalized pairs: "one more", "ek aur" / "एक और" (→ "1 and"), "aur ek", "second dose". */
const EXTRA_PAIRS: ReadonlyArray<readonly [string, string]> = [['1', 'more'], ['1', 'and'], ['and', '1'], ['second', 'dose']];

/** "I took an extra Metformin", "one more", "ek aur dawai li": a dose beyond the schedule, never a repeat of one. */
export function mentionsExtraDose(n: Normalized): boolean {
  const t = n.tokens;
  if (t.some((w) => EXTRA_WORDS.has(w))) return true;
  return t.some((w, i) => EXTRA_PAIRS.some(([a, b]) => w === a && t[i + 1] === b));
}
