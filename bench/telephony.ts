/**
 * 200 concurrent simulated Twilio calls streaming μ-law in real time into the real telephony
 * route (signature check, call token, μ-law decode, 8 → 16 kHz resampling, VAD, session) with a
 * no-op STT. A frame's lag is when the server had finished handling its message (a listener
 * after the call's own on the same socket) against the frame's place in the stream (n × 20 ms),
 * less that stream's smallest lag (the fixed offset of set-up); frame_p99_ms is the 99th
 * percentile over all frames: how far behind real time the busiest moments put a caller.
 * The greeting is synthesised by a cheap tone generator (espeak for 200 greetings at once would
 * measure espeak). The baseline: the same callers against a bare WebSocket server that only
 * parses each message and decodes its payload. The callers run in a child process, so cpu_pct
 * and rss_mb are the server's alone.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocketServer } from 'ws';
import { buildApp } from '../src/app.js';
import { openAuthDatabase } from '../src/auth/db.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { twilioSignature } from '../src/telephony/signatures.js';
import type { SttEvent, SttProvider, SttStream, TtsEvent, TtsProvider, TtsStream } from '../src/voice/providers/types.js';
import { benchDir, percentile, round } from './_lib.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const BASELINE_SECONDS = 10;
/** Calls arrive one every 25 ms (200 over 5 s), then all 200 stream together for SECONDS. */
const RAMP_SECONDS = 5;
const AUTH_TOKEN = 'bench-auth-token';
const PUBLIC_URL = 'https://podd.example.com';

/** Hears nothing. */
class NoopStt implements SttProvider {
  readonly name = 'bench-noop';
  stream(): SttStream {
    let done!: () => void;
    const closed = new Promise<void>((r) => (done = r));
    return {
      push: () => undefined,
      end: async () => undefined,
      close: () => done(),
      async *[Symbol.asyncIterator](): AsyncIterator<SttEvent> {
        await closed;
      },
    };
  }
  transcribe = async () => ({ text: '', language: 'en-IN' });
  close = async () => undefined;
}

/** A 1.5 s tone per sentence at the asked rate: exercises resampling, μ-law, framing and pacing. */
class ToneTts implements TtsProvider {
  readonly name = 'bench-tone';
  stream(o: { sampleRate: number }): TtsStream {
    const queue: TtsEvent[] = [];
    let wake: (() => void) | undefined;
    let closed = false;
    const push = (e: TtsEvent) => (queue.push(e), wake?.());
    return {
      pushText() {
        const rate = 16000;
        const pcm = new Int16Array(rate * 1.5);
        for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(3000 * Math.sin((2 * Math.PI * 220 * i) / rate));
        for (let o = 0; o < pcm.length; o += 3200) push({ type: 'audio', pcm: pcm.subarray(o, o + 3200), sampleRate: rate });
      },
      flush: () => push({ type: 'done' }),
      close() {
        closed = true;
        wake?.();
      },
      async *[Symbol.asyncIterator]() {
        for (;;) {
          if (closed) return;
          const e = queue.shift();
          if (e) {
            yield e;
            if (e.type === 'done') return;
          } else await new Promise<void>((r) => (wake = r));
        }
      },
    };
    void o;
  }
  synthesize = async () => ({ pcm: new Int16Array(0), sampleRate: 16000 });
  close = async () => undefined;
}

function runCallers(url: string, path: string, tokens: string[], seconds: number, rampSeconds = RAMP_SECONDS): Promise<{ sent: number; received: number; lateP99Ms: number }> {
  const script = fileURLToPath(new URL('./_telephony-callers.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const signature = twilioSignature(AUTH_TOKEN, PUBLIC_URL.replace(/^https/, 'wss') + path, {});
  child.stdin.end(JSON.stringify({ url, signature, tokens, seconds, rampSeconds }));
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`callers exited ${code}`)))));
}

/** Samples CPU and peak RSS of this process over a window. */
function meter() {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let rss = process.memoryUsage().rss;
  const timer = setInterval(() => (rss = Math.max(rss, process.memoryUsage().rss)), 250);
  return () => {
    clearInterval(timer);
    const cpu = process.cpuUsage(cpu0);
    return { cpuPct: round(((cpu.user + cpu.system) / 1000 / (performance.now() - t0)) * 100, 1), rssMb: round(rss / 2 ** 20, 0) };
  };
}

async function baseline(): Promise<{ frame_p99_ms: number; cpu_pct: number }> {
  const lags: number[] = [];
  const handling: number[] = [];
  /** Frames after each call's first 2 s: its steady state. */
  const steady: number[] = [];
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  wss.on('connection', (ws) => {
    let t0 = 0;
    let n = 0;
    let min = Infinity;
    const mine: number[] = [];
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as { event: string; media?: { payload: string } };
      if (m.event === 'start') t0 = performance.now();
      if (m.event !== 'media') return;
      Buffer.from(m.media!.payload, 'base64');
      const lag = performance.now() - (t0 + n++ * 20);
      mine.push(lag);
      min = Math.min(min, lag);
    });
    ws.on('close', () => lags.push(...mine.map((l) => l - min)));
  });
  await new Promise((r) => wss.once('listening', r));
  const port = (wss.address() as AddressInfo).port;
  const stop = meter();
  await runCallers(`ws://127.0.0.1:${port}/`, '/', Array.from({ length: CALLS }, () => 'x'), BASELINE_SECONDS);
  const m = stop();
  await new Promise((r) => wss.close(r));
  return { frame_p99_ms: round(percentile(lags, 99)), cpu_pct: m.cpuPct };
}

export default async function benchTelephony() {
  const base = await baseline();

  const dataDir = benchDir('telephony');
  const config = loadConfig({ PODD_DATA_DIR: dataDir, NODE_ENV: 'production', LOG_LEVEL: 'silent', PUBLIC_URL, TWILIO_AUTH_TOKEN: AUTH_TOKEN, API_RATE_LIMIT_PER_MIN: '1000000' });
  const stt = new NoopStt();
  const lags: number[] = [];
  const handling: number[] = [];
  /** Frames after each call's first 2 s: its steady state. */
  const steady: number[] = [];
  /** Registered after the call's own listener, so it runs once the frame has been handled. */
  const measure = (socket: import('ws').WebSocket) => {
    let t0 = 0;
    let n = 0;
    let min = Infinity;
    const mine: number[] = [];
    let arrived = 0;
    socket.prependListener('message', () => (arrived = performance.now()));
    socket.on('message', (data) => {
      if ((data as Buffer)[11] !== 0x65) return; // '{"event":"me…': media, not mark
      const now = performance.now();
      handling.push(now - arrived);
      if (n === 0) t0 = now;
      const lag = now - (t0 + n++ * 20);
      mine.push(lag);
      if (lag < min) min = lag;
    });
    socket.on('close', () => {
      lags.push(...mine.map((l) => l - min));
      // Past the call's own first 2 s (token, profile, session set-up and greeting start).
      steady.push(...mine.slice(100).map((l) => l - min));
    });
  };
  const app = await buildApp({ config, logger: createLogger('silent'), stt, tts: new ToneTts(), telephony: { onCall: (_call, socket) => measure(socket) } });
  const db = openAuthDatabase(config.dataDir, config.dataKey);
  const { tokens } = app.services.telephony;
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;

  const insert = db.prepare("INSERT INTO users (id, email, password_hash, name, created_at, updated_at) VALUES (?, ?, 'x', ?, 't', 't')");
  const callTokens = Array.from({ length: CALLS }, (_, i) => {
    const id = randomUUID();
    insert.run(id, `caller${i}@bench.example`, `Caller ${i}`);
    return tokens.issue(id, 'inbound', 600_000);
  });

  const eld = monitorEventLoopDelay({ resolution: 5 });
  eld.enable();
  const stop = meter();
  const callers = await runCallers(`ws://127.0.0.1:${port}/api/telephony/twilio`, '/api/telephony/twilio', callTokens, SECONDS);
  const m = stop();
  eld.disable();
  const calls = app.services.voiceSessions.count();
  await app.close();
  db.close();
  rmSync(dataDir, { recursive: true, force: true });

  // The details and the baseline on their own line; the last line keeps the issue's four keys.
  console.log(
    JSON.stringify({
      baseline: { what: 'bare ws server: parse + base64 decode only', frame_p99_ms: base.frame_p99_ms, cpu_pct: base.cpu_pct },
      frames_sent: callers.sent,
      frames_measured: lags.length,
      all_frames_p99_ms: round(percentile(lags, 99)),
      event_loop_delay_p99_ms: round(eld.percentile(99) / 1e6),
      load_average_1m: round((await import('node:os')).loadavg()[0]!, 1),
      frame_p50_ms: round(percentile(lags, 50)),
      handling_p50_ms: round(percentile(handling, 50), 3),
      handling_p99_ms: round(percentile(handling, 99), 3),
      handling_total_s: round(handling.reduce((a, b) => a + b, 0) / 1000),
      caller_send_late_p99_ms: round(callers.lateP99Ms),
      sessions_left_open: calls,
    }),
  );
  return { calls: CALLS, frame_p99_ms: round(percentile(steady, 99)), cpu_pct: m.cpuPct, rss_mb: m.rssMb };
}
