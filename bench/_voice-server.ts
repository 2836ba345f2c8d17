/**
 * The server side of bench/voice.ts, in its own process so that its CPU, RSS and event loop are
 * its own. bench/voice.ts bundles it to plain JavaScript first (build/bench/), so it runs like
 * the production server (`node dist/…`) rather than under tsx's loader (~60 MB more RSS). It
 * runs the real app (buildApp, real auth, the LangGraph assistant on the embedded store) on a
 * loopback port, with the speech providers VOICE_BENCH_STT picks:
 *   local        the configured default (pocketsphinx with both decoders, espeak/flite TTS)
 *   local-domain pocketsphinx with the domain decoder only (freeSpeech: false), local TTS
 *   noop         bench-only STT that hears nothing (the capacity ladder), local TTS
 *   replay       bench-only STT replaying fixture transcripts and a tone TTS (the overhead run)
 *
 * Frame probe (VOICE_BENCH_PROBE=1): each client frame carries, in its first eleven samples
 * (three bits each), the time the client sent it (µs after VOICE_BENCH_EPOCH_MS on the machine's
 * monotonic clock). A message listener added behind the route's own runs once the frame has been
 * handled (decoded, cut into 20 ms frames, through the VAD, pushed to the STT): lag = handled −
 * sent, which includes every wait behind other work in this process, not just the frame's cost.
 */
import { readFileSync, rmSync } from 'node:fs';
import { createHistogram, monitorEventLoopDelay, PerformanceObserver, type RecordableHistogram } from 'node:perf_hooks';
import type { WebSocket } from 'ws';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { PocketsphinxStt } from '../src/voice/providers/stt/pocketsphinx.js';
import type { SttProvider, TtsProvider } from '../src/voice/providers/types.js';
import { benchDir } from './_lib.js';
import { NoopStt, ReplayStt, ToneTts } from './_voice-providers.js';
import { monoMs, serveParent } from './_voice-ipc.js';

/** Must match bench/_voice-clients.ts. */
const STAMP_SAMPLES = 11;
const mode = process.env.VOICE_BENCH_STT ?? 'local';
const probe = process.env.VOICE_BENCH_PROBE === '1';
const epochMs = Number(process.env.VOICE_BENCH_EPOCH_MS ?? 0);

let stt: SttProvider | undefined;
let tts: TtsProvider | undefined;
switch (mode) {
  case 'local':
    break; // what config picks: the keyless default
  case 'local-domain':
    stt = new PocketsphinxStt({ freeSpeech: false });
    break;
  case 'noop':
    stt = new NoopStt();
    break;
  case 'replay':
    stt = new ReplayStt(JSON.parse(process.env.VOICE_BENCH_REPLAY ?? '[]') as string[]);
    tts = new ToneTts();
    break;
  default:
    throw new Error(`unknown VOICE_BENCH_STT ${mode}`);
}

const dataDir = benchDir('voice');
const config = loadConfig({
  PODD_DATA_DIR: dataDir,
  NODE_ENV: 'production',
  LOG_LEVEL: 'silent',
  // Every socket is an upgrade request from one address: the API limit would refuse the ladder.
  API_RATE_LIMIT_PER_MIN: '1000000',
});
const app = await buildApp({ config, logger: createLogger('silent'), stt, tts, voice: { idleTimeoutMs: 600_000 } });

const hist = () => createHistogram({ lowest: 1, highest: 600_000_000, figures: 3 });
let lag: RecordableHistogram = hist();
const ELD_RESOLUTION_MS = 10;
let eld = monitorEventLoopDelay({ resolution: ELD_RESOLUTION_MS });
eld.enable();

if (probe) {
  app.websocketServer.on('connection', (ws: WebSocket) => {
    // 'connection' is emitted just before the route handler runs, and the handler adds its
    // message listener synchronously: a tick later, this one is added behind it.
    process.nextTick(() =>
      ws.on('message', (data, isBinary) => {
        if (!isBinary) return;
        const now = monoMs();
        const b = data as Buffer;
        let sentUs = 0;
        for (let i = STAMP_SAMPLES - 1; i >= 0; i--) sentUs = sentUs * 8 + (b.readInt16LE(i * 2) + 4);
        lag.record(Math.max(1, Math.round((now - epochMs) * 1000 - sentUs)));
      }),
    );
  });
}

await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address() as { port: number };
const reg = await app.inject({ method: 'POST', url: '/api/auth/register', payload: { email: `bench-${process.pid}@example.com`, password: 'correct horse battery', name: 'Bench' } });
if (reg.statusCode !== 201) throw new Error(`register failed: ${reg.statusCode}`);
const token = (reg.json() as { access_token: string }).access_token;
await app.services.stt.warm?.();

let gc = { count: 0, totalMs: 0, maxMs: 0 };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gc.count++;
    gc.totalMs += e.duration;
    gc.maxMs = Math.max(gc.maxMs, e.duration);
  }
}).observe({ entryTypes: ['gc'] });

/** Nanoseconds this process's main thread has spent runnable but waiting for a core. */
function runqueueWaitNs(): number {
  try {
    return Number(readFileSync('/proc/self/schedstat', 'utf8').split(' ')[1]);
  } catch {
    return NaN;
  }
}
let wait0 = runqueueWaitNs();

let cpu0 = process.cpuUsage();
let t0 = performance.now();
let rssMax = process.memoryUsage().rss;
const rssTimer = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage().rss)), 200);

const ms = (us: number) => Math.round(us / 10) / 100;

serveParent(
  { url: `ws://127.0.0.1:${address.port}/api/voice/ws`, token, pid: process.pid },
  {
    reset: () => {
      lag = hist();
      eld.disable();
      eld = monitorEventLoopDelay({ resolution: ELD_RESOLUTION_MS });
      eld.enable();
      cpu0 = process.cpuUsage();
      wait0 = runqueueWaitNs();
      t0 = performance.now();
      gc = { count: 0, totalMs: 0, maxMs: 0 };
      rssMax = process.memoryUsage().rss;
    },
    stats: () => {
      const cpu = process.cpuUsage(cpu0);
      const mem = process.memoryUsage();
      rssMax = Math.max(rssMax, mem.rss);
      const eldMs = (p: number) => Math.max(0, Math.round((eld.percentile(p) / 1e6 - ELD_RESOLUTION_MS) * 100) / 100);
      return {
        sessions: app.services.voiceSessions.count(),
        frames: lag.count,
        lag_p50_ms: ms(lag.percentile(50)),
        lag_p99_ms: ms(lag.percentile(99)),
        lag_max_ms: ms(lag.max),
        eld_p50_ms: eldMs(50),
        eld_p99_ms: eldMs(99),
        eld_max_ms: Math.round((eld.max / 1e6 - ELD_RESOLUTION_MS) * 100) / 100,
        cpu_pct: Math.round(((cpu.user + cpu.system) / 1000 / (performance.now() - t0)) * 1000) / 10,
        cpu_sys_pct: Math.round((cpu.system / 1000 / (performance.now() - t0)) * 1000) / 10,
        runqueue_wait_pct: Math.round(((runqueueWaitNs() - wait0) / 1e6 / (performance.now() - t0)) * 1000) / 10,
        cpu_us_per_frame: lag.count ? Math.round((cpu.user + cpu.system) / lag.count * 10) / 10 : null,
        gc: { count: gc.count, total_ms: Math.round(gc.totalMs), max_ms: Math.round(gc.maxMs * 10) / 10 },
        rss_mb: Math.round(rssMax / 2 ** 20),
        heap_mb: Math.round(mem.heapUsed / 2 ** 20),
        external_mb: Math.round(mem.external / 2 ** 20),
      };
    },
  },
  async () => {
    clearInterval(rssTimer);
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  },
);
