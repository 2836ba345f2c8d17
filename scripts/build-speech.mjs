#!/usr/bin/env node
// Builds the local speech-recognition assets into build/speech/ (git-ignored):
//   podd-stt        streaming pocketsphinx decoder (src/voice/providers/stt/native/podd-stt.c)
//   domain.lm       trigram ARPA model of what people say to Podd (from the domain corpus)
//   domain.dict     pronunciations of the domain words only (fast to load)
//   podd.dict       cmudict plus the domain pronunciations, for the domain+general model
//   manifest.json   input hash, so a second run with unchanged inputs does nothing
// Without gcc or the pocketsphinx development files it explains what is missing and exits 0:
// the service still runs, the local STT provider reports itself unavailable.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'build', 'speech');
const domainDir = join(root, 'src', 'voice', 'providers', 'stt', 'domain');
const cSource = join(root, 'src', 'voice', 'providers', 'stt', 'native', 'podd-stt.c');
export const MODEL_DIR = process.env.POCKETSPHINX_MODEL_DIR ?? '/usr/share/pocketsphinx/model/en-us';
const CMUDICT = join(MODEL_DIR, 'cmudict-en-us.dict');
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

function buildDictionaries(vocab, cmu, extra) {
  const missing = vocab.filter((w) => !cmu.has(w) && !extra.has(w));
  if (missing.length) throw new Error(`no pronunciation for: ${missing.join(' ')} (add them to pronunciations.dict)`);
  const domain = vocab.flatMap((w) => extra.get(w) ?? cmu.get(w));
  const merged = new Map(cmu);
  for (const [w, lines] of extra) merged.set(w, lines);
  return {
    domain: domain.join('\n') + '\n',
    merged: [...merged.values()].flat().join('\n') + '\n',
  };
}

// ---------- build ----------

function have(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

export function build({ force = false } = {}) {
  const pkg = have('pkg-config', ['--cflags', '--libs', 'pocketsphinx']);
  if (!have('gcc', ['--version']) || pkg === null || !existsSync(CMUDICT)) {
    log('skipped: needs gcc, pkg-config, libpocketsphinx-dev, libsphinxbase-dev and pocketsphinx-en-us');
    log('(the local STT provider stays unavailable until this succeeds; run npm run setup as root)');
    return false;
  }
  const inputs = [cSource, join(domainDir, 'corpus.txt'), join(domainDir, 'pronunciations.dict'), fileURLToPath(import.meta.url)];
  const hash = createHash('sha256');
  for (const f of inputs) hash.update(readFileSync(f));
  hash.update(pkg);
  const digest = hash.digest('hex');
  const manifestPath = join(outDir, 'manifest.json');
  if (!force && existsSync(manifestPath)) {
    const m = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (m.inputs === digest && existsSync(join(outDir, 'podd-stt'))) {
      log('up to date');
      return true;
    }
  }
  mkdirSync(outDir, { recursive: true });

  const cc = spawnSync('sh', ['-c', `gcc -O2 -Wall -o "${join(outDir, 'podd-stt')}" "${cSource}" ${pkg}`], { stdio: 'inherit' });
  if (cc.status !== 0) throw new Error('compiling podd-stt failed');

  const sentences = expandCorpus(parseCorpus(readFileSync(join(domainDir, 'corpus.txt'), 'utf8')));
  const { arpa, vocab } = buildArpa(sentences);
  const cmu = readDict(readFileSync(CMUDICT, 'utf8'));
  const extra = readDict(readFileSync(join(domainDir, 'pronunciations.dict'), 'utf8'));
  const dicts = buildDictionaries(vocab, cmu, extra);
  writeFileSync(join(outDir, 'domain.sentences.txt'), sentences.join('\n') + '\n');
  writeFileSync(join(outDir, 'domain.lm'), arpa);
  writeFileSync(join(outDir, 'domain.dict'), dicts.domain);
  writeFileSync(join(outDir, 'podd.dict'), dicts.merged);
  writeFileSync(
    manifestPath,
    JSON.stringify({ inputs: digest, sentences: sentences.length, vocabulary: vocab.length, modelDir: MODEL_DIR }, null, 2) + '\n',
  );
  log(`built podd-stt and a ${vocab.length}-word domain model from ${sentences.length} sentences into build/speech/`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    build({ force: process.argv.includes('--force') });
  } catch (err) {
    log(`failed: ${err.message}`);
    process.exit(1);
  }
}
