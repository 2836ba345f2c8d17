/**
 * JIT warm-up at start-up. A fresh process runs the assistant's code (NLU parsers, LangGraph's
 * loop, the store) in V8's interpreter and baseline tiers until enough calls have been seen to
 * optimise it: measured, the first ~100 turns of a new process take 2.5–6.6 ms at the median
 * (first turn 60 ms) against ~2 ms once warm. A voice user right after a deploy should not pay
 * for that, so before the server listens we run offline turns of every route in English,
 * Hinglish and Devanagari for a synthetic user on a throwaway embedded store (random key, a
 * temporary directory removed afterwards). No user's graph is read or written, and the LLM is
 * never called.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { HealthService } from '../../src/health/service.js';
import { EmbeddedLocusGraph } from '../../src/locusgraph/embedded.js';
import { createHealthStore } from '../../src/locusgraph/index.js';
import { createAssistant } from './index.js';

/** Every route in all three language forms; pairs on one line share a thread (slot filling). */
const WARMUP_TURNS: string[][] = [
  ['I had two idlis and sambar for breakfast'], ['ek katori rajma chawal khaya'], ['मैंने एक कटोरी दाल खाई'],
  ['BP 135 by 85'], ['my sugar is 110 after food'], ['aaj 6 glass paani piya'], ['slept from 10 to 5'], ['feeling happy today'],
  ['मेरा शुगर 120 है'], ['what was my sugar yesterday'], ['kal ka BP kya tha'], ['पिछले हफ्ते कितना चला'],
  ['any advice for my BP'], ['did I take my medicine'], ['dawai kha li'], ['मैंने दवाई ले ली'],
  ['remind me to walk every day at 6 am'], ['checkup on 12th January at 11 am'], ['kal subah 8 baje yaad dilana'],
  ['I cannot breathe'], ['chakkar aa raha hai'], ['thank you'], ['tum kya kar sakte ho'], ['sugar 2000'],
  ['my sugar is', '140'], ['remind me to take my tablet', 'at 8 pm'],
];

export interface WarmupResult {
  turns: number;
  ms: number;
  /** Turns per route taken: the warm-up is only worth its second if it runs every agent. */
  routes: Record<string, number>;
}

export async function warmUpAssistant(opts: { turns: number; defaultTimezone: string }): Promise<WarmupResult> {
  if (opts.turns <= 0) return { turns: 0, ms: 0, routes: {} };
  const t0 = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'podd-warmup-'));
  const lg = new EmbeddedLocusGraph({ dataDir: dir, key: randomBytes(32), groupCommit: true });
  let turns = 0;
  const routes: Record<string, number> = {};
  try {
    const health = new HealthService(createHealthStore(lg, {}), opts.defaultTimezone);
    const userId = 'warmup';
    const user = health.forUser(userId);
    const med = await user.create('medication', { name: 'Metformin', quantity: 100_000 });
    await user.create('med_schedule', { medication_id: med.id, time_of_day: '09:00', days_of_week: ['1', '2', '3', '4', '5', '6', '7'] });
    await user.create('emergency_contact', { name: 'Warm Up', phone: '+91-9000000000' });
    const assistant = createAssistant({ health, llm: null, settings: { maxThreads: WARMUP_TURNS.length } });
    for (let conv = 0; turns < opts.turns; conv++) {
      for (const text of WARMUP_TURNS[conv % WARMUP_TURNS.length]!) {
        const { route } = await assistant.start({ userId, threadId: `warmup-${conv}`, text, language: 'auto', channel: 'voice' }).done;
        routes[route] = (routes[route] ?? 0) + 1;
        turns++;
      }
    }
  } finally {
    await lg.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { turns, ms: Math.round(performance.now() - t0), routes };
}
