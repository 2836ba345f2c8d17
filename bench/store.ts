/**
 * `npm run bench -- store`: the embedded health store at scale.
 *
 * Subject: one user with 100,000 mixed events (batched inserts, list pages, searches, 30-day
 * insights, size on disk). Baselines in the same run: unbatched inserts, and a crowded store
 * (one user's 1,000 events measured alone, then again after 99 other users × 1,000 events are
 * added) to show list and search cost does not grow with other users' data.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { EmbeddedLocusGraph } from '../src/locusgraph/embedded.js';
import { createHealthStore, graphIdForUser } from '../src/locusgraph/health.js';
import type { EventInput } from '../src/locusgraph/port.js';
import { EVENT_TYPES, type EventType } from '../src/locusgraph/schemas.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-03-01T00:00:00Z');

// A seeded generator so every run writes the same data.
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DISHES = [
  'rice and dal', 'poha', 'idli sambar', 'masala dosa', 'chapati with sabzi', 'rajma chawal', 'curd rice', 'upma',
  'aloo paratha', 'vegetable pulao', 'chole bhature', 'khichdi', 'fruit salad', 'oats porridge', 'paneer tikka',
  'lemon rice', 'ragi mudde', 'dhokla', 'moong dal chilla', 'egg curry with rice', 'fish curry', 'banana', 'tea and biscuits',
];
const EXERCISES = ['walking', 'yoga', 'swimming', 'cycling', 'stretching', 'gardening'];
const MOODS = ['happy', 'calm', 'tired', 'anxious', 'sad', 'energetic'];
const NOTES = ['felt dizzy in the morning', 'mild headache', 'knee pain after walk', 'slept well', 'forgot breakfast', 'visited temple'];
const CHAT = [
  ['what was my blood pressure yesterday', 'Your blood pressure was 128 over 82.'],
  ['did I take metformin', 'Yes, you logged metformin at 8 in the morning.'],
  ['remind me to drink water', 'I will remind you every two hours.'],
  ['I ate poha for breakfast', 'Logged poha for breakfast.'],
];

type Gen = { type: EventType; payload: Record<string, unknown> };

function makeEvent(r: () => number, t: number): Gen {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const at = new Date(t).toISOString();
  const x = r();
  if (x < 0.2) {
    const sys = 105 + Math.floor(r() * 50);
    const p: Record<string, unknown> = { blood_pressure_systolic: sys, blood_pressure_diastolic: 65 + Math.floor(r() * 25), heart_rate: 60 + Math.floor(r() * 30), logged_at: at };
    if (r() < 0.4) p.blood_sugar = 80 + Math.floor(r() * 120);
    if (r() < 0.1) p.notes = pick(NOTES);
    return { type: 'vitals', payload: p };
  }
  if (x < 0.45) {
    return {
      type: 'food',
      payload: { description: pick(DISHES), calories: 100 + Math.floor(r() * 600), protein_g: Math.floor(r() * 30), carbs_g: Math.floor(r() * 90), fat_g: Math.floor(r() * 25), meal_type: pick(['breakfast', 'lunch', 'dinner', 'snack']), logged_at: at },
    };
  }
  if (x < 0.65) return { type: 'water', payload: { amount_ml: 100 + Math.floor(r() * 400), logged_at: at } };
  if (x < 0.75) return { type: 'medication_log', payload: { medication_id: 'medication:metformin', status: r() < 0.9 ? 'taken' : 'skipped', taken_at: at } };
  if (x < 0.83) return { type: 'mood', payload: { mood: pick(MOODS), energy_level: 1 + Math.floor(r() * 10), logged_at: at } };
  if (x < 0.9) return { type: 'exercise', payload: { exercise_type: pick(EXERCISES), duration_minutes: 10 + Math.floor(r() * 50), intensity: pick(['low', 'moderate', 'high']), logged_at: at } };
  if (x < 0.95) return { type: 'sleep', payload: { sleep_start: at, sleep_end: new Date(t + (5 + r() * 4) * 3_600_000).toISOString(), quality: 1 + Math.floor(r() * 10) } };
  const [q, a] = pick(CHAT);
  return { type: 'chat', payload: { user_message: q, ai_response: a, timestamp: at } };
}

function eventsFor(userId: string, n: number, seed: number, spanDays: number): EventInput[] {
  const r = rng(seed);
  const graph_id = graphIdForUser(userId);
  const out: EventInput[] = [];
  for (let i = 0; i < n; i++) {
    const t = NOW - Math.floor(r() * spanDays * DAY);
    const { type, payload } = makeEvent(r, t);
    const spec = EVENT_TYPES[type];
    const tf = spec.timeField;
    out.push({
      graph_id,
      event_kind: spec.eventKind,
      context_id: `${type}:${randomUUID()}`,
      payload,
      timestamp: tf ? new Date(Date.parse(payload[tf] as string)).toISOString() : undefined,
    });
  }
  return out;
}

async function insertBatched(lg: EmbeddedLocusGraph, events: EventInput[]): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < events.length; i += 1000) await lg.storeBatch(events.slice(i, i + 1000));
  return events.length / ((performance.now() - t0) / 1000);
}

function pct(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 1000) / 1000;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

const LIST_TYPES: EventType[] = ['vitals', 'food', 'water', 'medication_log', 'mood', 'exercise', 'sleep', 'chat'];
const QUERIES = ['rice', 'poha', 'walking', 'metformin', 'headache', 'blood pressure', 'happy', 'swimming', 'dal rice', 'knee pain', 'paneer', 'temple'];

async function measureListSearch(lg: EmbeddedLocusGraph, userId: string, rounds: number) {
  const graph = graphIdForUser(userId);
  // Warm the statement cache and the page cache: steady state is what a running server sees.
  for (let i = 0; i < 50; i++) {
    await lg.listContextType(graph, LIST_TYPES[i % LIST_TYPES.length]!, { limit: 20 });
    await lg.searchMemories({ graph_id: graph, query: QUERIES[i % QUERIES.length]!, limit: 10 });
  }
  const r = rng(7);
  const list: number[] = [];
  const deep: number[] = [];
  const ranged: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const type = LIST_TYPES[i % LIST_TYPES.length]!;
    let cursor: string | undefined;
    list.push(await time(async () => (cursor = (await lg.listContextType(graph, type, { limit: 20 })).next_cursor ?? undefined)));
    if (cursor) deep.push(await time(() => lg.listContextType(graph, type, { limit: 20, cursor })));
    const from = new Date(NOW - Math.floor(r() * 300) * DAY).toISOString();
    ranged.push(await time(() => lg.listContextType(graph, type, { limit: 20, from, to: new Date(Date.parse(from) + 30 * DAY).toISOString() })));
  }
  const search: number[] = [];
  const perQuery: Record<string, number> = {};
  for (let i = 0; i < rounds; i++) {
    const q = QUERIES[i % QUERIES.length]!;
    const ms = await time(() => lg.searchMemories({ graph_id: graph, query: q, limit: 10 }));
    search.push(ms);
    perQuery[q] = Math.max(perQuery[q] ?? 0, ms);
  }
  const filtered: number[] = [];
  for (let i = 0; i < rounds / 2; i++) {
    filtered.push(await time(() => lg.searchMemories({ graph_id: graph, query: QUERIES[i % QUERIES.length]!, context_types: { food: [], vitals: [] }, limit: 10 })));
  }
  return {
    list_page_p50_ms: pct(list, 50),
    list_page_p99_ms: pct(list, 99),
    list_next_page_p99_ms: pct(deep, 99),
    list_30d_range_p99_ms: pct(ranged, 99),
    search_p50_ms: pct(search, 50),
    search_p99_ms: pct(search, 99),
    search_with_type_filter_p99_ms: pct(filtered, 99),
    search_worst_ms_by_query: Object.fromEntries(Object.entries(perQuery).map(([k, v]) => [k, Math.round(v * 100) / 100])),
  };
}

/** Share of time runnable tasks waited for a CPU (Linux PSI): p99s on a busy host measure the scheduler. */
function cpuPressure(): number | null {
  try {
    const m = /some avg10=([\d.]+)/.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

function diskMb(path: string): number {
  let bytes = 0;
  for (const f of [path, `${path}-wal`]) {
    try {
      bytes += statSync(f).size;
    } catch {
      /* no WAL yet */
    }
  }
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

export default async function storeBench(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'podd-bench-store-'));
  const key = randomBytes(32);
  const pressureBefore = cpuPressure();
  try {
    // Subject: one user, 100k events over a year.
    mkdirSync(join(dir, 'big'));
    const big = new EmbeddedLocusGraph({ dataDir: join(dir, 'big'), key, now: () => NOW });
    const events = eventsFor('bench-user', 100_000, 1, 365);
    const insertPerS = await insertBatched(big, events);

    const singles = eventsFor('bench-single', 2_000, 2, 30);
    const t0 = performance.now();
    for (const e of singles) await big.storeEvent(e);
    const singlePerS = singles.length / ((performance.now() - t0) / 1000);

    const one = await measureListSearch(big, 'bench-user', 1000);
    const health = createHealthStore(big, { now: () => NOW }).forUser('bench-user');
    const insightRuns: number[] = [];
    for (let i = 0; i < 5; i++) {
      insightRuns.push(await time(() => health.generateInsights({ from: new Date(NOW - 30 * DAY).toISOString(), to: new Date(NOW).toISOString(), timezone: 'Asia/Kolkata' })));
    }
    const walMb = diskMb(big.path);
    // Closing checkpoints the WAL into the database file, leaving the store's settled size.
    await big.close();
    const dbMb = diskMb(big.path);

    // Baseline: one user's 1,000 events alone, then among 99 other users' 99,000.
    mkdirSync(join(dir, 'crowd'));
    const crowd = new EmbeddedLocusGraph({ dataDir: join(dir, 'crowd'), key, now: () => NOW });
    await insertBatched(crowd, eventsFor('crowd-user-0', 1000, 100, 90));
    const alone = await measureListSearch(crowd, 'crowd-user-0', 600);
    const others: EventInput[] = [];
    for (let u = 1; u < 100; u++) others.push(...eventsFor(`crowd-user-${u}`, 1000, 100 + u, 90));
    await insertBatched(crowd, others);
    const among = await measureListSearch(crowd, 'crowd-user-0', 600);
    await crowd.close();

    return {
      insert_per_s: Math.round(insertPerS),
      list_page_p99_ms: one.list_page_p99_ms,
      search_p99_ms: one.search_p99_ms,
      insights_30d_ms: Math.round(pct(insightRuns, 50) * 10) / 10,
      db_mb: dbMb,
      detail: {
        events: 100_000,
        cpu_pressure_pct_before_after: [pressureBefore, cpuPressure()],
        db_plus_wal_mb_before_close: walMb,
        insert_unbatched_per_s: Math.round(singlePerS),
        one_user_100k: one,
        insights_30d_runs_ms: insightRuns.map((x) => Math.round(x * 10) / 10),
        crowd_100_users_x_1000: {
          user_alone: pick(alone),
          user_among_99_others: pick(among),
        },
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function pick(m: Awaited<ReturnType<typeof measureListSearch>>) {
  return { list_page_p99_ms: m.list_page_p99_ms, list_next_page_p99_ms: m.list_next_page_p99_ms, search_p50_ms: m.search_p50_ms, search_p99_ms: m.search_p99_ms };
}
