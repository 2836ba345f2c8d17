#!/usr/bin/env node
// Regenerates fixtures/audio/: short utterances for every assistant route, spoken by several
// local voices at several speeds, as 16 kHz mono 16-bit WAV with 0.5 s of silence before the
// speech and 0.8 s after (so an endpointer can find the end), plus manifest.json.
// Needs espeak-ng, flite and sox. The output is committed; rerun only to change the set.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'fixtures', 'audio');

// spoken: what the voice is given (numbers and letters spelled out); transcript: how the local
// recogniser spells it (its dictionary has "bp", "pm"); keywords: words it must get for the route
// to come out right (checked by the STT tests). Espeak-ng's default formant voices defeat
// pocketsphinx's acoustic model (most words wrong); its Klatt variants and flite's are recognised.
const UTTERANCES = [
  { id: 'food-rotis-dal', text: 'I had two rotis and dal for lunch', route: 'food', keywords: ['rotis', 'dal', 'lunch'], voice: 'flite:slt' },
  { id: 'food-idli-sambar', text: 'I ate three idlis and sambar for breakfast', route: 'food', keywords: ['idlis', 'sambar', 'breakfast'], voice: 'espeak:en-us+klatt', speed: 160 },
  { id: 'food-rice-chapati', text: 'For dinner I had rice and two chapatis', route: 'food', keywords: ['dinner', 'rice', 'chapatis'], voice: 'flite:awb' },
  { id: 'vitals-bp', text: 'My BP is 140 over 90', spoken: 'my b p is one forty over ninety', route: 'vitals', keywords: ['bp', 'forty', 'over', 'ninety'], voice: 'flite:slt' },
  { id: 'vitals-sugar-fasting', text: 'Sugar 160 fasting', spoken: 'sugar one sixty fasting', route: 'vitals', keywords: ['sugar', 'sixty', 'fasting'], voice: 'espeak:en-us+klatt2', speed: 165 },
  { id: 'vitals-weight', text: 'My weight is 72 kilos', spoken: 'my weight is seventy two kilos', route: 'vitals', keywords: ['weight', 'seventy', 'two', 'kilos'], voice: 'flite:rms' },
  { id: 'vitals-pulse', text: 'My pulse is 88', spoken: 'my pulse is eighty eight', route: 'vitals', keywords: ['pulse', 'eighty', 'eight'], voice: 'espeak:en-us+klatt3', speed: 160 },
  { id: 'tracking-water', text: 'I drank three glasses of water', route: 'tracking', keywords: ['drank', 'three', 'glasses', 'water'], voice: 'flite:slt', stretch: 1.15 },
  { id: 'tracking-walk', text: 'I walked for thirty minutes', route: 'tracking', keywords: ['walked', 'thirty', 'minutes'], voice: 'espeak:en-us+klatt4', speed: 150 },
  { id: 'tracking-sleep', text: 'I slept for seven hours last night', route: 'tracking', keywords: ['slept', 'seven', 'hours'], voice: 'flite:kal16' },
  { id: 'health-query-bp', text: 'What was my BP yesterday', spoken: 'what was my b p yesterday', route: 'health_query', keywords: ['what', 'bp', 'yesterday'], voice: 'flite:awb' },
  { id: 'health-query-water', text: 'How much water did I drink today', route: 'health_query', keywords: ['water', 'drink', 'today'], voice: 'espeak:en-us+klatt5', speed: 170 },
  { id: 'recommendation-dinner', text: 'What should I eat for dinner', route: 'recommendation', keywords: ['should', 'eat', 'dinner'], voice: 'flite:slt', stretch: 0.9 },
  { id: 'recommendation-rice', text: 'Is rice good for diabetes', route: 'recommendation', keywords: ['rice', 'good', 'diabetes'], voice: 'espeak:en-us+klatt6', speed: 160 },
  { id: 'medication-metformin', text: 'I took my Metformin', route: 'medication', keywords: ['took', 'metformin'], voice: 'flite:slt' },
  { id: 'medication-did-i-take', text: 'Did I take my Metformin today', route: 'medication', keywords: ['did', 'take', 'metformin', 'today'], voice: 'espeak:en-us+klatt', speed: 175 },
  { id: 'medication-amlodipine', text: 'I took amlodipine after breakfast', route: 'medication', keywords: ['took', 'amlodipine', 'breakfast'], voice: 'flite:rms', stretch: 1.1 },
  { id: 'reminder-water', text: 'Remind me to drink water at four pm', spoken: 'remind me to drink water at four p m', route: 'reminder', keywords: ['remind', 'water', 'four', 'pm'], voice: 'flite:slt' },
  { id: 'reminder-medicine', text: 'Remind me to take my tablet at nine pm', spoken: 'remind me to take my tablet at nine p m', route: 'reminder', keywords: ['remind', 'tablet', 'nine'], voice: 'espeak:en-us+klatt2', speed: 160 },
  { id: 'emergency-chest-pain', text: 'I have chest pain', route: 'emergency', keywords: ['chest', 'pain'], voice: 'flite:awb' },
  { id: 'emergency-cannot-breathe', text: 'Help me, I cannot breathe', route: 'emergency', keywords: ['help', 'breathe'], voice: 'flite:rms', stretch: 0.95 },
  { id: 'chat-what-can-you-do', text: 'What can you do', route: 'chat', keywords: ['what', 'can', 'you', 'do'], voice: 'flite:slt' },
  { id: 'chat-good-morning', text: 'Good morning', route: 'chat', keywords: ['good', 'morning'], voice: 'flite:awb', stretch: 1.05 },
  { id: 'chat-thank-you', text: 'Thank you', route: 'chat', keywords: ['thank', 'you'], voice: 'flite:kal16', stretch: 1.1 },
];

// The care set (fixtures/audio/care/, its own manifest): what must reach people or must not be
// stored, spoken. Kept apart so the route fixtures above (and the voice benchmark over them) stay
// as they are. `node scripts/make-fixtures.mjs care` regenerates only this set.
const CARE = [
  { id: 'care-bp-crisis', text: 'My BP is 190 over 120', spoken: 'my b p is one ninety over one twenty', route: 'vitals', keywords: ['bp', 'ninety', 'over', 'twenty'], voice: 'flite:slt' },
  { id: 'care-call-my-son', text: 'Call my son', route: 'emergency', keywords: ['call', 'son'], voice: 'flite:awb', stretch: 1.1 },
  { id: 'care-question-bp', text: 'Is my BP 140 over 90 normal', spoken: 'is my b p one forty over ninety normal', route: 'recommendation', keywords: ['bp', 'forty', 'ninety', 'normal'], voice: 'flite:slt' },
];

const plain = (t) => t.toLowerCase().replace(/[^a-z' ]/g, '').replace(/\s+/g, ' ').trim();

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
}

function synthesize(u, rawWav) {
  const text = u.spoken ?? u.text;
  const [engine, voice] = u.voice.split(':');
  if (engine === 'flite') {
    const args = ['-voice', voice, '-t', text, '-o', rawWav];
    if (u.stretch) args.push('--setf', `duration_stretch=${u.stretch}`);
    run('flite', args);
  } else {
    run('espeak-ng', ['-v', voice, '-s', String(u.speed ?? 160), '-w', rawWav, text]);
  }
}

const careOnly = process.argv[2] === 'care';
const sets = careOnly ? [[CARE, join(outDir, 'care')]] : [[UTTERANCES, outDir], [CARE, join(outDir, 'care')]];
const tmp = join(tmpdir(), `podd-fixtures-${process.pid}`);
mkdirSync(tmp, { recursive: true });
for (const [utterances, dir] of sets) writeSet(utterances, dir);
rmSync(tmp, { recursive: true, force: true });

function writeSet(utterances, outDir) {
  mkdirSync(outDir, { recursive: true });
  const manifest = [];
  for (const u of utterances) {
    const raw = join(tmp, `${u.id}.raw.wav`);
    synthesize(u, raw);
    const file = `${u.id}.wav`;
    // norm -3: voices differ a lot in level; pad: the silence the VAD and endpointer tests need.
    run('sox', [raw, '-r', '16000', '-c', '1', '-b', '16', '-e', 'signed-integer', join(outDir, file), 'norm', '-3', 'pad', '0.5', '0.8']);
    manifest.push({ file, text: u.text, spoken: u.spoken ?? plain(u.text), transcript: plain(u.spoken ?? u.text).replace(/\bb p\b/g, 'bp').replace(/\bp m\b/g, 'pm'), route: u.route, keywords: u.keywords, voice: u.voice, ...(u.speed ? { speed_wpm: u.speed } : {}), ...(u.stretch ? { duration_stretch: u.stretch } : {}) });
  }
  writeFileSync(join(outDir, 'manifest.json'), JSON.stringify({ sample_rate: 16000, leading_silence_ms: 500, trailing_silence_ms: 800, utterances: manifest }, null, 2) + '\n');
  process.stdout.write(`[make-fixtures] wrote ${manifest.length} utterances to ${outDir}\n`);
}
