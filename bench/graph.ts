/**
 * `npm run bench -- graph`: 1,000 mixed assistant turns, offline mode, on the embedded store.
 *
 * Subject: the compiled LangGraph assistant via createAssistant().runWithState (no checkpointer;
 * a thread's pending question in its bounded ThreadMemory). Baseline in the same run, interleaved
 * turn by turn: the same stage functions called in sequence as plain functions (pending state in
 * a Map), so the difference is LangGraph's own per-turn cost. turns_per_s counts time spent in
 * subject turns only.
 * Turns cycle through every route in English, Hinglish and Devanagari, including two-turn slot
 * filling, over 20 users who each have a medicine, a schedule and a primary contact.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { createAssistant } from '../graphs/assistant/index.js';
import { withDefaults, type TurnRuntime } from '../graphs/assistant/configuration.js';
import { afterRouter } from '../graphs/assistant/graph.js';
import { defaultFoodIndex } from '../graphs/assistant/nlu/nutrition.js';
import { chatAgent } from '../graphs/assistant/nodes/agents/chat.js';
import { emergencyAgent } from '../graphs/assistant/nodes/agents/emergency.js';
import { foodAgent } from '../graphs/assistant/nodes/agents/food.js';
import { healthQueryAgent } from '../graphs/assistant/nodes/agents/health-query.js';
import { logAgent } from '../graphs/assistant/nodes/agents/log.js';
import { medicationAgent } from '../graphs/assistant/nodes/agents/medication.js';
import { recommendationAgent } from '../graphs/assistant/nodes/agents/recommendation.js';
import { reminderAgent } from '../graphs/assistant/nodes/agents/reminder.js';
import { loadContextNode } from '../graphs/assistant/nodes/load-context.js';
import { normalizeNode } from '../graphs/assistant/nodes/normalize.js';
import { respondNode } from '../graphs/assistant/nodes/respond.js';
import { routerNode } from '../graphs/assistant/nodes/router.js';
import { storeChatNode } from '../graphs/assistant/nodes/store-chat.js';
import { turnInput, type AssistantStateType, type PendingAsk } from '../graphs/assistant/state.js';
import { loadConfig } from '../src/config.js';
import { HealthService } from '../src/health/service.js';
import { createHealthStore, createLocusGraph } from '../src/locusgraph/index.js';

const TURNS = 1000;
const WARMUP = 200;
const USERS = 20;

/** Each entry is one conversation; a pair is a question and its answer on the same thread. */
const SCRIPT: string[][] = [
  ['my BP is 140 over 90'], ['sugar 160 fasting'], ['drank 3 glasses of water'], ['walked 30 minutes'], ['slept at 11, woke at 6'],
  ['feeling low today'], ['maine do roti aur dal khayi'], ['a bowl of rice and dal for lunch'], ['aadha plate poha'],
  ['what was my BP yesterday'], ['how much water today'], ['kal kitni neend aayi'], ['did I take my Metformin this morning'],
  ['is my BP okay'], ['took my Metformin'], ['dawai le li'], ['what medicine is due now'],
  ['remind me to drink water every day at 4 pm'], ['doctor appointment on 5th December at 10 am'],
  ['chest pain'], ['seene mein dard'], ['hello'], ['what can you do'], ['BP 900 over 5'],
  ['my bp is', '150 over 95'], ['remind me to take medicine', 'at 9 pm'],
  ['मेरा बीपी 130/85 है'], ['आज कितना पानी पिया'], ['मैंने दो रोटी खाई'], ['सांस नहीं आ रही'], ['asdf qwer zxcv'], ['😀😀😀'],
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

export default async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'podd-bench-graph-'));
  const config = loadConfig({ PODD_DATA_DIR: dataDir, NODE_ENV: 'test' });
  let clock = Date.parse('2025-11-20T10:00:00+05:30');
  const now = (): number => clock;
  const lg = createLocusGraph(config, { now });
  const health = new HealthService(createHealthStore(lg, { now }), config.defaultTimezone, now);
  const users = Array.from({ length: USERS }, (_, i) => `bench-user-${i}`);
  for (const u of users) {
    const h = health.forUser(u);
    const med = await h.create('medication', { name: 'Metformin', quantity: 100_000 });
    await h.create('med_schedule', { medication_id: med.id, time_of_day: '09:00', days_of_week: ['1', '2', '3', '4', '5', '6', '7'] });
    await h.create('emergency_contact', { name: 'Ravi', phone: '+91-9876543210' });
  }

  const assistant = createAssistant({ health, llm: null, now });
  // The same nodes without LangGraph: the baseline.
  const configuration = withDefaults();
  const foodIndex = defaultFoodIndex();
  const pendings = new Map<string, PendingAsk | null>();
  const agents = {
    food_agent: foodAgent, log_agent: logAgent, health_query_agent: healthQueryAgent, recommendation_agent: recommendationAgent,
    medication_agent: medicationAgent, reminder_agent: reminderAgent, emergency_agent: emergencyAgent, chat_agent: chatAgent,
  } as const;
  async function direct(userId: string, threadId: string, text: string): Promise<AssistantStateType> {
    const runtime: TurnRuntime = { health: health.forUser(userId), configuration, now: () => new Date(now()), foodIndex };
    const cfg = { configurable: { runtime } } as LangGraphRunnableConfig;
    const key = `${userId}/${threadId}`;
    let state = { ...turnInput({ text, languageHint: 'auto', channel: 'chat', threadId }), pending: pendings.get(key) ?? null } as AssistantStateType;
    const apply = async (u: unknown): Promise<void> => {
      state = { ...state, ...(await u as object) };
    };
    await apply(normalizeNode(state));
    await apply(loadContextNode(state, cfg));
    await apply(routerNode(state, cfg));
    const agent = afterRouter(state);
    if (agent === 'llm_agent') throw new Error('offline bench');
    await apply(agents[agent](state, cfg));
    await apply(respondNode(state));
    await apply(storeChatNode(state, cfg));
    pendings.set(key, state.pending);
    return state;
  }

  type Runner = (userId: string, threadId: string, text: string) => Promise<{ route: string }>;
  const subject: Runner = async (userId, threadId, text) =>
    assistant.runWithState({ userId, threadId, text, language: 'auto', channel: 'chat' });

  /** Subject and baseline turn by turn (alternating which goes first), so both see the same machine load. */
  async function measure(turns: number, record: boolean): Promise<{ graph: number[]; direct: number[]; graphMs: number }> {
    const out = { graph: [] as number[], direct: [] as number[], graphMs: 0 };
    let i = 0;
    let conv = 0;
    while (i < turns) {
      const script = SCRIPT[conv % SCRIPT.length]!;
      const user = users[conv % USERS]!;
      for (const text of script) {
        if (i >= turns) break;
        clock += 30_000;
        const order: Array<[Runner, number[], string]> = [[subject, out.graph, `g-${conv}`], [direct, out.direct, `d-${conv}`]];
        if (i % 2) order.reverse();
        for (const [run, times, thread] of order) {
          const t0 = performance.now();
          await run(user, thread, text);
          const dt = performance.now() - t0;
          if (record) times.push(dt);
          if (record && run === subject) out.graphMs += dt;
        }
        i++;
      }
      conv++;
    }
    return out;
  }

  await measure(WARMUP, false);
  const { graph: graphTimes, direct: directTimes, graphMs } = await measure(TURNS, true);
  graphTimes.sort((a, b) => a - b);
  directTimes.sort((a, b) => a - b);
  await lg.close();
  rmSync(dataDir, { recursive: true, force: true });
  return {
    turn_p50_ms: round(percentile(graphTimes, 50)),
    turn_p99_ms: round(percentile(graphTimes, 99)),
    turns_per_s: Math.round((TURNS / graphMs) * 1000),
    baseline_nodes_without_langgraph_p50_ms: round(percentile(directTimes, 50)),
    baseline_nodes_without_langgraph_p99_ms: round(percentile(directTimes, 99)),
    threads_in_memory: assistant.threads.size,
    // Other processes on the machine inflate the tail; report how busy it was.
    load_average_1m: Math.round(loadavg()[0]! * 100) / 100,
    cpus: cpus().length,
  };
};
