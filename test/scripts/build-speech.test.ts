/**
 * The general model's vocabulary pruning (scripts/build-speech.mjs), on a hand-written ARPA
 * model: which words stay, which n-grams go with the dropped ones, and that the result is an
 * ARPA file pocketsphinx's own tools read back with the counts its header declares.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

interface Unigram {
  word: string;
  logProb: number;
}
interface BuildSpeech {
  pickVocabulary(unigrams: Unigram[], o: { size: number; speakable: (w: string) => boolean; always?: string[] }): Set<string>;
  pruneArpa(open: () => AsyncIterable<string>, choose: (u: Unigram[]) => Set<string>, write: (s: string) => void): Promise<{ keep: Set<string>; counts: number[] }>;
}
// A plain-JavaScript build script: imported by a computed path so the type checker leaves it be.
const script = '../../scripts/build-speech.mjs';
const { pickVocabulary, pruneArpa } = (await import(script)) as BuildSpeech;

const MODEL = `Some tool's banner line
\\data\\
ngram 1=7
ngram 2=6
ngram 3=3

\\1-grams:
-1.0\t</s>
-99\t<s>\t-0.5
-1.2\tthe\t-0.3
-1.5\tcat\t-0.2
-2.0\tsat\t-0.1
-2.5\tzyzzyva\t-0.1
-3.0\txqj

\\2-grams:
-0.5\t<s> the\t-0.1
-0.7\tthe cat\t-0.2
-0.9\tcat sat
-0.4\tsat </s>
-0.8\tthe zyzzyva\t-0.1
-0.6\tzyzzyva sat

\\3-grams:
-0.3\t<s> the cat
-0.2\tthe cat sat
-0.1\tthe zyzzyva sat

\\end\\
`;

async function* lines(text: string) {
  for (const line of text.split('\n')) yield line;
}

async function prune(size: number, speakable: (w: string) => boolean, always: string[] = []) {
  let out = '';
  const r = await pruneArpa(() => lines(MODEL), (u) => pickVocabulary(u, { size, speakable, always }), (s) => (out += s));
  return { ...r, out };
}

const section = (arpa: string, n: number) => arpa.split(`\\${n}-grams:\n`)[1]!.split('\n\n')[0]!.split('\n').filter(Boolean);

describe('general model pruning', () => {
  it('keeps the most likely speakable words, the sentence markers and the domain words the model has', async () => {
    const speakable = (w: string) => w !== 'cat';
    const { keep } = await prune(2, speakable, ['xqj', 'rotis']);
    // "cat" has no pronunciation, so the two most likely speakable words are "the" and "sat";
    // "rotis" is not in the model, so there is nothing to keep.
    expect([...keep].sort()).toEqual(['</s>', '<s>', 'sat', 'the', 'xqj']);
  });

  it('drops every n-gram with a dropped word, keeps the rest unchanged, and counts what it keeps', async () => {
    const { out, counts } = await prune(3, () => true);
    expect(counts).toEqual([5, 4, 2]);
    expect(out).toMatch(/^\\data\\\nngram 1=5\nngram 2=4\nngram 3=2\n/);
    expect(section(out, 1)).toEqual(['-1.0\t</s>', '-99\t<s>\t-0.5', '-1.2\tthe\t-0.3', '-1.5\tcat\t-0.2', '-2.0\tsat\t-0.1']);
    expect(section(out, 2)).toEqual(['-0.5\t<s> the\t-0.1', '-0.7\tthe cat\t-0.2', '-0.9\tcat sat', '-0.4\tsat </s>']);
    expect(section(out, 3)).toEqual(['-0.3\t<s> the cat', '-0.2\tthe cat sat']);
    expect(out.trimEnd().endsWith('\\end\\')).toBe(true);
  });

  it('writes an order\'s section even when none of its n-grams survive', async () => {
    const { out, counts } = await prune(1, (w) => w === 'sat');
    expect(counts).toEqual([3, 1, 0]);
    expect(out).toContain('ngram 3=0');
    expect(out).toContain('\\3-grams:\n');
  });

  it.skipIf(spawnSync('sh', ['-c', 'command -v sphinx_lm_convert']).status !== 0)('gives a file sphinx_lm_convert reads and writes back as binary', async () => {
    const { out } = await prune(3, () => true);
    const dir = mkdtempSync(join(tmpdir(), 'podd-prune-'));
    try {
      writeFileSync(join(dir, 'p.arpa'), out);
      const r = spawnSync('sphinx_lm_convert', ['-i', join(dir, 'p.arpa'), '-ifmt', 'arpa', '-o', join(dir, 'p.lm.bin'), '-ofmt', 'bin'], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(/ERROR/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
