#!/usr/bin/env node
// Builds the local speech-recognition assets into build/speech/ (git-ignored):
//   podd-stt        streaming pocketsphinx decoder (src/voice/providers/stt/native/podd-stt.c)
//   domain.lm       trigram ARPA model of what people say to Podd (from the domain corpus)
//   domain.dict     pronunciations of the domain words only (fast to load)
//   general.lm.bin  Debian's general English model cut down to its most likely words and the
//                   n-grams among them; the free-speech recogniser interpolates it with domain.lm
//   podd.dict       pronunciations of every word the free-speech recogniser knows (the domain
//                   words, which win, and the general model's kept words)
//   manifest.json   input hash, so a second run with unchanged inputs does nothing
// Without gcc, the pocketsphinx development files or sphinx_lm_convert it explains what is
// missing and exits 0: the service still runs, the local STT provider reports itself unavailable.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'build', 'speech');
const domainDir = join(root, 'src', 'voice', 'providers', 'stt', 'domain');
const nativeDir = join(root, 'src', 'voice', 'providers', 'stt', 'native');
const cSource = join(nativeDir, 'podd-stt.c');
const lmArpaSource = join(nativeDir, 'lm-arpa.c');
export const MODEL_DIR = process.env.POCKETSPHINX_MODEL_DIR ?? '/usr/share/pocketsphinx/model/en-us';
const CMUDICT = join(MODEL_DIR, 'cmudict-en-us.dict');
const GENERAL_LM = join(MODEL_DIR, 'en-us.lm.bin');
/**
 * Words kept from the general model, most likely first. The recogniser's cost grows with its
 * vocabulary (more of the acoustic model stays active); measured on flite/espeak sentences
 * outside the domain: 3k words 35 % WER, 5k 30 %, 10k 31 % at 15 % more CPU (the full 72k-word
 * model beside the domain decoder: 50 %, at three times the CPU).
 */
export const GENERAL_WORDS = 5000;
/** Fewest sentences generated from a corpus line that has slots. */
const MIN_VARIANTS = 8;
/** Absolute discount of the back-off model; 0.5–0.8 is the usual range for tiny corpora. */
const DISCOUNT = 0.7;

const log = (msg) => process.stdout.write(`[build-speech] ${msg}\n`);

// ---------- corpus expansion ----------

export function parseCorpus(text) {
  const slots = new Map();
  const lines = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const slot = /^@(\w+):(.*)$/.exec(line);
    if (slot) slots.set(slot[1], slot[2].split('|').map((s) => s.trim()).filter(Boolean));
    else lines.push(line);
  }
  return { slots, lines };
}

/**
 * Deterministic expansion: a line is expanded once per value of its largest slot (at least
 * MIN_VARIANTS times), slot p taking value (k + 7p) mod its size, so every value of every slot
 * appears in every sentence that uses the slot.
 */
export function expandCorpus({ slots, lines }, minVariants = MIN_VARIANTS) {
  const out = new Set();
  for (const line of lines) {
    const refs = [...line.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    for (const r of refs) if (!slots.has(r)) throw new Error(`corpus: unknown slot {${r}} in "${line}"`);
    const n = refs.length === 0 ? 1 : Math.max(minVariants, ...refs.map((r) => slots.get(r).length));
    for (let k = 0; k < n; k++) {
      let pos = 0;
      const sentence = line.replace(/\{(\w+)\}/g, (_, name) => {
        const values = slots.get(name);
        return values[(k + 7 * pos++) % values.length];
      });
      out.add(sentence.replace(/\s+/g, ' ').trim());
    }
  }
  return [...out];
}

// ---------- back-off trigram ARPA model (absolute discounting) ----------

export function buildArpa(sentences, discount = DISCOUNT) {
  const uni = new Map();
  const bi = new Map(); // "h w" -> count
  const tri = new Map(); // "h1 h2 w" -> count
  const inc = (m, k) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const s of sentences) {
    const w = ['<s>', ...s.split(' '), '</s>'];
    for (let i = 0; i < w.length; i++) {
      if (i > 0) inc(uni, w[i]);
      if (i >= 1) inc(bi, `${w[i - 1]} ${w[i]}`);
      if (i >= 2) inc(tri, `${w[i - 2]} ${w[i - 1]} ${w[i]}`);
    }
  }
  uni.set('<s>', 0);
  const vocab = [...uni.keys()].sort();
  // Unigrams: add-half smoothing so every word keeps some mass.
  const total = [...uni.values()].reduce((a, b) => a + b, 0);
  const p1 = new Map();
  const denom1 = total + 0.5 * (vocab.length - 1);
  for (const w of vocab) p1.set(w, w === '<s>' ? 0 : (uni.get(w) + 0.5) / denom1);

  const groupByHistory = (m) => {
    const g = new Map();
    for (const [k, c] of m) {
      const i = k.lastIndexOf(' ');
      const h = k.slice(0, i);
      const list = g.get(h) ?? [];
      list.push([k.slice(i + 1), c]);
      g.set(h, list);
    }
    return g;
  };

  const p2 = new Map();
  const bow1 = new Map();
  for (const [h, list] of groupByHistory(bi)) {
    const ch = list.reduce((a, [, c]) => a + c, 0);
    let lowerSeen = 0;
    for (const [w, c] of list) {
      p2.set(`${h} ${w}`, (c - discount) / ch + (discount * list.length / ch) * p1.get(w));
      lowerSeen += p1.get(w);
    }
    // Interpolated absolute discounting: the left-over mass goes to the lower order everywhere,
    // so the back-off weight is that mass renormalised over the words not seen after h.
    const left = 1 - list.reduce((a, [w]) => a + p2.get(`${h} ${w}`), 0);
    bow1.set(h, left / Math.max(1e-9, 1 - lowerSeen));
  }
  const p3 = new Map();
  const bow2 = new Map();
  const bigramProb = (h, w) => p2.get(`${h} ${w}`) ?? (bow1.get(h) ?? 1) * p1.get(w);
  for (const [h, list] of groupByHistory(tri)) {
    const ch = list.reduce((a, [, c]) => a + c, 0);
    const h2 = h.split(' ')[1];
    let lowerSeen = 0;
    for (const [w, c] of list) {
      const lower = bigramProb(h2, w);
      p3.set(`${h} ${w}`, (c - discount) / ch + (discount * list.length / ch) * lower);
      lowerSeen += lower;
    }
    const left = 1 - list.reduce((a, [w]) => a + p3.get(`${h} ${w}`), 0);
    bow2.set(h, left / Math.max(1e-9, 1 - lowerSeen));
  }

  const lg = (p) => (p <= 0 ? -99 : Math.log10(p)).toFixed(6);
  const out = ['\\data\\', `ngram 1=${vocab.length}`, `ngram 2=${p2.size}`, `ngram 3=${p3.size}`, '', '\\1-grams:'];
  for (const w of vocab) out.push(`${lg(p1.get(w))}\t${w}\t${lg(bow1.get(w) ?? 1)}`);
  out.push('', '\\2-grams:');
  for (const [k, p] of [...p2].sort()) out.push(`${lg(p)}\t${k}\t${lg(bow2.get(k) ?? 1)}`);
  out.push('', '\\3-grams:');
  for (const [k, p] of [...p3].sort()) out.push(`${lg(p)}\t${k}`);
  out.push('', '\\end\\', '');
  return { arpa: out.join('\n'), vocab: vocab.filter((w) => w !== '<s>' && w !== '</s>') };
}

// ---------- general model: vocabulary pruning ----------

/** Lines of a text file, streamed (the general model's ARPA text is ~100 MB). */
async function* fileLines(path) {
  const input = createReadStream(path);
  const rl = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of rl) yield line;
  } finally {
    rl.close();
    input.destroy();
  }
}

/**
 * Reads an ARPA model's lines: `onSection(order)` at each n-gram section, `onNgram(order, line,
 * words)` for each n-gram line. Stops before order `maxOrder + 1` (the unigram pass needs no more).
 */
async function scanArpa(lines, { onSection = () => {}, onNgram, maxOrder = Infinity }) {
  let order = 0;
  for await (const line of lines) {
    const section = /^\\(\d+)-grams:/.exec(line);
    if (section) {
      order = Number(section[1]);
      if (order > maxOrder) return;
      onSection(order);
      continue;
    }
    if (line.startsWith('\\end\\')) return;
    const text = line.trim();
    if (order === 0 || !text) continue;
    onNgram(order, text, text.split(/\s+/).slice(1, 1 + order));
  }
}

/**
 * The words a pruned model keeps: the sentence markers, the `size` most likely unigrams that
 * `speakable` accepts (i.e. that have a pronunciation), and every `always` word the model has.
 */
export function pickVocabulary(unigrams, { size, speakable, always = [] }) {
  const ranked = unigrams.filter((u) => u.word !== '<s>' && u.word !== '</s>' && speakable(u.word)).sort((a, b) => b.logProb - a.logProb || (a.word < b.word ? -1 : 1));
  const keep = new Set(['<s>', '</s>', ...ranked.slice(0, size).map((u) => u.word)]);
  const known = new Set(unigrams.map((u) => u.word));
  for (const w of always) if (known.has(w) && speakable(w)) keep.add(w);
  return keep;
}

/**
 * Vocabulary pruning of a back-off ARPA model: keeps the words `choose` picks from its unigrams
 * and every n-gram made only of kept words, probabilities and back-off weights unchanged (the
 * mass of dropped words is simply lost, which costs a decoder nothing). Every kept n-gram's
 * history is itself kept, as ARPA requires. `open()` yields the source lines afresh: one pass
 * picks and counts, the next writes, so memory stays at the vocabulary's size.
 */
export async function pruneArpa(open, choose, write) {
  const unigrams = [];
  await scanArpa(open(), { maxOrder: 1, onNgram: (_, line, [word]) => unigrams.push({ word, logProb: Number(line.split(/\s+/)[0]) }) });
  const keep = choose(unigrams);
  const kept = (words) => words.every((w) => keep.has(w));
  const counts = [];
  await scanArpa(open(), {
    onSection: (order) => (counts[order - 1] = 0),
    onNgram: (order, _, words) => kept(words) && counts[order - 1]++,
  });
  write(['\\data\\', ...counts.map((c, i) => `ngram ${i + 1}=${c}`), ''].join('\n'));
  await scanArpa(open(), {
    onSection: (order) => write(`\n\\${order}-grams:\n`),
    onNgram: (_, line, words) => kept(words) && write(`${line}\n`),
  });
  write('\n\\end\\\n');
  return { keep, counts };
}

/** Buffers small writes into large ones on a file descriptor. */
function bufferedWriter(path) {
  const fd = openSync(path, 'w');
  let parts = [];
  let size = 0;
  const flush = () => {
    if (parts.length) writeSync(fd, parts.join(''));
    parts = [];
    size = 0;
  };
  return {
    write: (text) => {
      parts.push(text);
      size += text.length;
      if (size > 1 << 20) flush();
    },
    close: () => {
      flush();
      closeSync(fd);
    },
  };
}

/**
 * general.lm.bin from Debian's en-us.lm.bin: to ARPA text (lm-arpa, see its header for why not
 * sphinx_lm_convert), pruned to GENERAL_WORDS plus the domain's words, back to the binary
 * format (fast to load: every stream starts a decoder process).
 */
async function buildGeneralModel({ pkg, speakable, domainVocab }) {
  const work = mkdtempSync(join(tmpdir(), 'podd-speech-'));
  try {
    const tool = join(work, 'lm-arpa');
    const cc = spawnSync('sh', ['-c', `gcc -O2 -Wall -o "${tool}" "${lmArpaSource}" ${pkg}`], { stdio: 'inherit' });
    if (cc.status !== 0) throw new Error('compiling lm-arpa failed');
    const full = join(work, 'full.arpa');
    const dump = spawnSync(tool, [GENERAL_LM, full], { encoding: 'utf8' });
    if (dump.status !== 0) throw new Error(`converting ${GENERAL_LM} to ARPA failed: ${dump.stderr.trim()}`);
    const pruned = join(work, 'general.arpa');
    const out = bufferedWriter(pruned);
    const { keep, counts } = await pruneArpa(
      () => fileLines(full),
      (unigrams) => pickVocabulary(unigrams, { size: GENERAL_WORDS, speakable, always: domainVocab }),
      out.write,
    );
    out.close();
    const conv = spawnSync('sphinx_lm_convert', ['-i', pruned, '-ifmt', 'arpa', '-o', join(outDir, 'general.lm.bin'), '-ofmt', 'bin'], { encoding: 'utf8' });
    if (conv.status !== 0) throw new Error(`sphinx_lm_convert failed: ${conv.stderr.split('\n').filter((l) => /ERROR/.test(l)).join(' ')}`);
    return { words: [...keep].filter((w) => w !== '<s>' && w !== '</s>'), counts };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// ---------- dictionaries ----------

export function readDict(text) {
  const entries = new Map(); // base word -> list of lines
  for (const line of text.split('\n')) {
    const m = /^(\S+?)(\(\d+\))?\s+(.+)$/.exec(line.trim());
    if (!m) continue;
    const list = entries.get(m[1]) ?? [];
    list.push(`${m[1]}${m[2] ?? ''} ${m[3].replace(/\s+#.*$/, '')}`);
    entries.set(m[1], list);
  }
  return entries;
}

/** The domain's own pronunciations win over cmudict's. */
function pronunciations(words, cmu, extra) {
  const missing = words.filter((w) => !cmu.has(w) && !extra.has(w));
  if (missing.length) throw new Error(`no pronunciation for: ${missing.join(' ')} (add them to pronunciations.dict)`);
  return words.flatMap((w) => extra.get(w) ?? cmu.get(w)).join('\n') + '\n';
}

// ---------- build ----------

function have(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

export async function build({ force = false } = {}) {
  const pkg = have('pkg-config', ['--cflags', '--libs', 'pocketsphinx']);
  const lmConvert = spawnSync('sh', ['-c', 'command -v sphinx_lm_convert'], { stdio: 'ignore' }).status === 0;
  if (!have('gcc', ['--version']) || pkg === null || !lmConvert || !existsSync(CMUDICT) || !existsSync(GENERAL_LM)) {
    log('skipped: needs gcc, pkg-config, libpocketsphinx-dev, libsphinxbase-dev, sphinxbase-utils and pocketsphinx-en-us');
    log('(the local STT provider stays unavailable until this succeeds; run npm run setup as root)');
    return false;
  }
  const inputs = [cSource, lmArpaSource, join(domainDir, 'corpus.txt'), join(domainDir, 'pronunciations.dict'), fileURLToPath(import.meta.url), GENERAL_LM, CMUDICT];
  const hash = createHash('sha256');
  for (const f of inputs) hash.update(readFileSync(f));
  hash.update(pkg);
  const digest = hash.digest('hex');
  const manifestPath = join(outDir, 'manifest.json');
  const outputs = ['podd-stt', 'domain.lm', 'domain.dict', 'general.lm.bin', 'podd.dict'].map((f) => join(outDir, f));
  if (!force && existsSync(manifestPath)) {
    const m = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (m.inputs === digest && outputs.every((f) => existsSync(f))) {
      log('up to date');
      return true;
    }
  }
  mkdirSync(outDir, { recursive: true });

  const cc = spawnSync('sh', ['-c', `gcc -O2 -Wall -o "${join(outDir, 'podd-stt')}" "${cSource}" ${pkg} -lm`], { stdio: 'inherit' });
  if (cc.status !== 0) throw new Error('compiling podd-stt failed');

  const sentences = expandCorpus(parseCorpus(readFileSync(join(domainDir, 'corpus.txt'), 'utf8')));
  const { arpa, vocab } = buildArpa(sentences);
  const cmu = readDict(readFileSync(CMUDICT, 'utf8'));
  const extra = readDict(readFileSync(join(domainDir, 'pronunciations.dict'), 'utf8'));
  const domainDict = pronunciations(vocab, cmu, extra);
  const general = await buildGeneralModel({ pkg, speakable: (w) => cmu.has(w) || extra.has(w), domainVocab: vocab });
  const freeVocab = [...new Set([...vocab, ...general.words])].sort();
  writeFileSync(join(outDir, 'domain.sentences.txt'), sentences.join('\n') + '\n');
  writeFileSync(join(outDir, 'domain.lm'), arpa);
  writeFileSync(join(outDir, 'domain.dict'), domainDict);
  writeFileSync(join(outDir, 'podd.dict'), pronunciations(freeVocab, cmu, extra));
  writeFileSync(
    manifestPath,
    JSON.stringify(
      { inputs: digest, sentences: sentences.length, vocabulary: vocab.length, generalNgrams: general.counts, freeSpeechVocabulary: freeVocab.length, modelDir: MODEL_DIR },
      null,
      2,
    ) + '\n',
  );
  log(`built podd-stt, a ${vocab.length}-word domain model from ${sentences.length} sentences and a ${general.words.length}-word general model into build/speech/`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    await build({ force: process.argv.includes('--force') });
  } catch (err) {
    log(`failed: ${err.message}`);
    process.exit(1);
  }
}
