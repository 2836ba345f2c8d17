/**
 * The client side of bench/voice.ts, in its own process so that clients do not share the
 * server's event loop. Opens voice sockets ("lanes") and streams 16 kHz PCM in 20 ms frames on
 * a shared ticker that keeps each lane on its own wall-clock schedule (a late tick sends every
 * frame that is due, so pacing never drifts).
 *
 * Two ways to stream:
 * - play: fixtures in real time (or `speed`× faster), silence between them as a microphone
 *   would send, one turn at a time per lane, recording client-side receive times of each turn's
 *   events and of its first reply audio frame. With `interruptAfterAudio` the client barges in
 *   once the first reply audio has arrived: the server paces the rest of a reply in real time,
 *   which would only add wall time to the bench.
 * - load: endless low-level noise (±3), each frame stamped with its send time (µs after the
 *   shared epoch) three bits per sample in its first eleven samples, no louder than the noise,
 *   for the server's frame probes. Louder stamps made the VAD hear speech in the clicks.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHistogram } from 'node:perf_hooks';
import WebSocket from 'ws';
import { readWav } from '../src/voice/audio/wav.js';
import { monoMs, serveParent, sleep } from './_voice-ipc.js';

const FRAME_SAMPLES = 320;
const FRAME_MS = 20;
const FIXTURES = join(import.meta.dirname, '../fixtures/audio');
const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as {
  trailing_silence_ms: number;
  utterances: Array<{ file: string; transcript: string; route: string }>;
};
const pcmCache = new Map<string, Int16Array>();
const pcmOf = (file: string) => {
  let pcm = pcmCache.get(file);
  if (!pcm) pcmCache.set(file, (pcm = readWav(readFileSync(join(FIXTURES, file))).pcm));
  return pcm;
};

const epochMs = Number(process.env.VOICE_BENCH_EPOCH_MS ?? 0);

export interface TurnRecord {
  file: string;
  lane: number;
  turnId?: string;
  /** Client clock (ms): when the frame where the fixture's speech ends was sent. */
  speechEndSentAt?: number;
  vadEndAt?: number;
  sttEndAt?: number;
  ttsStartAt?: number;
  firstAudioAt?: number;
  runEndAt?: number;
  /** Server turn clock (t_ms) of stt-end and tts-start. */
  sttEndT?: number;
  intentStartT?: number;
  intentEndT?: number;
  ttsStartT?: number;
  text?: string;
  route?: string;
  error?: string;
  /** More than one turn began while this fixture played (the VAD split it). */
  extraTurns: number;
  timedOut?: boolean;
}

interface Lane {
  index: number;
  ws: WebSocket;
  streaming: boolean;
  stamp: boolean;
  next: number;
  stepMs: number;
  source?: Int16Array;
  pos: number;
  speechEndSample: number;
  sourceDone?: () => void;
  turn?: TurnRecord;
  openTurns: Set<string>;
  turnWaiter?: () => void;
  closed: boolean;
  runStarts: number;
  errors: number;
  /** Barge in once the reply's first audio is here (the rest is paced in real time). */
  interruptAfterAudio: boolean;
}

const lanes: Lane[] = [];
const sendLate = () => createHistogram({ lowest: 1, highest: 600_000_000, figures: 3 });
let late = sendLate();
let framesSent = 0;
let closes = 0;
let cpu0 = process.cpuUsage();
let t0 = monoMs();
let url = '';
let token = '';

/** Samples carrying the send stamp, 3 bits each (33 bits of µs: 2.4 hours). */
const STAMP_SAMPLES = 11;
const silence = Buffer.alloc(FRAME_SAMPLES * 2);
const noise = Buffer.alloc(FRAME_SAMPLES * 2);
for (let i = 0; i < FRAME_SAMPLES; i++) noise.writeInt16LE(((i * 7919) % 7) - 3, i * 2);

function frameFor(lane: Lane, now: number): Buffer {
  if (lane.source) {
    const part = lane.source.subarray(lane.pos, lane.pos + FRAME_SAMPLES);
    const before = lane.pos;
    lane.pos += FRAME_SAMPLES;
    if (before < lane.speechEndSample && lane.pos >= lane.speechEndSample && lane.turn) lane.turn.speechEndSentAt = now;
    const buf = Buffer.alloc(FRAME_SAMPLES * 2);
    Buffer.from(part.buffer, part.byteOffset, part.byteLength).copy(buf);
    if (lane.pos >= lane.source.length) {
      lane.source = undefined;
      lane.sourceDone?.();
    }
    return buf;
  }
  if (!lane.stamp) return silence;
  const buf = Buffer.from(noise);
  let us = Math.max(0, Math.round((now - epochMs) * 1000));
  for (let i = 0; i < STAMP_SAMPLES; i++, us = Math.floor(us / 8)) buf.writeInt16LE((us % 8) - 4, i * 2);
  return buf;
}

setInterval(() => {
  for (const lane of lanes) {
    if (!lane.streaming || lane.closed) continue;
    let now = monoMs();
    while (lane.next <= now && lane.streaming && !lane.closed) {
      late.record(Math.max(1, Math.round((now - lane.next) * 1000)));
      lane.ws.send(frameFor(lane, now));
      framesSent++;
      lane.next += lane.stepMs;
      now = monoMs();
    }
  }
}, 2);

function onMessage(lane: Lane, data: WebSocket.RawData, isBinary: boolean) {
  const now = monoMs();
  const turn = lane.turn;
  if (isBinary) {
    if (turn && turn.ttsStartAt !== undefined && turn.firstAudioAt === undefined) {
      turn.firstAudioAt = now;
      if (lane.interruptAfterAudio) lane.ws.send('{"type":"interrupt"}');
    }
    return;
  }
  const m = JSON.parse(String(data)) as { type: string; event?: string; turn_id?: string; t_ms?: number; data?: Record<string, any> };
  if (m.type !== 'event' || !m.turn_id) return;
  if (m.event === 'run-start') {
    lane.runStarts++;
    lane.openTurns.add(m.turn_id);
    if (turn && !turn.turnId) turn.turnId = m.turn_id;
    else if (turn) turn.extraTurns++;
  }
  if (m.event === 'error') lane.errors++;
  if (m.event === 'run-end') {
    lane.openTurns.delete(m.turn_id);
    if (lane.openTurns.size === 0) lane.turnWaiter?.();
  }
  if (!turn || m.turn_id !== turn.turnId) return;
  switch (m.event) {
    case 'vad-end':
      turn.vadEndAt = now;
      break;
    case 'stt-end':
      turn.sttEndAt = now;
      turn.sttEndT = m.t_ms;
      turn.text = m.data?.text;
      break;
    case 'intent-start':
      turn.intentStartT = m.t_ms;
      break;
    case 'intent-end':
      turn.route = m.data?.route;
      turn.intentEndT = m.t_ms;
      break;
    case 'tts-start':
      turn.ttsStartAt = now;
      turn.ttsStartT = m.t_ms;
      break;
    case 'error':
      turn.error ??= `${m.data?.code} (${m.data?.message})`;
      break;
    case 'run-end':
      turn.runEndAt = now;
      break;
  }
}

async function openLane(stamp: boolean): Promise<Lane> {
  const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` }, perMessageDeflate: false });
  const lane: Lane = { index: lanes.length, ws, streaming: false, stamp, next: 0, stepMs: FRAME_MS, pos: 0, speechEndSample: 0, openTurns: new Set(), closed: false, runStarts: 0, errors: 0, interruptAfterAudio: false };
  lanes.push(lane);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
  const ready = new Promise<void>((resolve) => {
    const onReady = (data: WebSocket.RawData, isBinary: boolean) => {
      if (!isBinary && String(data).startsWith('{"type":"ready"')) {
        ws.off('message', onReady);
        resolve();
      }
    };
    ws.on('message', onReady);
  });
  ws.on('message', (data, isBinary) => onMessage(lane, data, isBinary));
  ws.on('close', () => {
    if (!lane.closed) closes++;
    lane.closed = true;
    lane.turnWaiter?.();
    lane.sourceDone?.();
  });
  ws.send(JSON.stringify({ type: 'start', audio: { encoding: 'pcm_s16le', sample_rate: 16000 }, output: { encoding: 'pcm_s16le', sample_rate: 16000 }, language: 'en-IN' }));
  await ready;
  return lane;
}

/** Opens lanes until there are `n` (in batches, so the opening itself is not one burst). */
async function grow(n: number, stamp: boolean, stream: boolean): Promise<void> {
  while (lanes.length < n) {
    const batch = Math.min(50, n - lanes.length);
    const opened = await Promise.all(Array.from({ length: batch }, () => openLane(stamp)));
    if (stream) {
      // Devices are not synchronised: each starts at its own phase within a frame.
      for (const l of opened) {
        l.next = monoMs() + Math.random() * FRAME_MS;
        l.streaming = true;
      }
    }
  }
}

async function playLane(lane: Lane, files: string[], delayMs: number, speed: number, turnTimeoutMs: number, interrupt: boolean): Promise<TurnRecord[]> {
  const out: TurnRecord[] = [];
  lane.interruptAfterAudio = interrupt;
  lane.stepMs = FRAME_MS / speed;
  lane.next = monoMs();
  lane.streaming = true;
  await sleep(delayMs);
  for (const file of files) {
    if (lane.closed) break;
    const pcm = pcmOf(file);
    const turn: TurnRecord = { file, lane: lane.index, extraTurns: 0 };
    out.push(turn);
    lane.turn = turn;
    lane.speechEndSample = pcm.length - (manifest.trailing_silence_ms * 16000) / 1000;
    const done = new Promise<void>((r) => (lane.sourceDone = r));
    lane.pos = 0;
    lane.source = pcm;
    await done;
    // The reply: wait until every turn this fixture started has ended.
    const deadline = monoMs() + turnTimeoutMs;
    while (!lane.closed && (turn.runEndAt === undefined || lane.openTurns.size > 0)) {
      const left = deadline - monoMs();
      if (left <= 0) {
        turn.timedOut = true;
        break;
      }
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 250));
        lane.turnWaiter = () => (clearTimeout(t), r());
      });
    }
    await sleep(100 / speed);
  }
  lane.streaming = false;
  lane.turn = undefined;
  return out;
}

serveParent(
  { pid: process.pid },
  {
    connect: (a: { url: string; token: string }) => {
      url = a.url;
      token = a.token;
    },
    /** Opens lanes up to `n`; with `stream`, new lanes stream stamped noise from then on. */
    grow: async (a: { n: number; stream?: boolean }) => {
      await grow(a.n, a.stream ?? false, a.stream ?? false);
      return { lanes: lanes.length, open: lanes.filter((l) => !l.closed).length };
    },
    /** Plays fixtures on the first lanes, lane i getting plan[i]. */
    play: async (a: { plan: Array<{ files: string[]; delayMs: number }>; speed?: number; turnTimeoutMs?: number; interruptAfterAudio?: boolean }) => {
      if (a.plan.length > lanes.length) throw new Error('not enough lanes open');
      const turns = await Promise.all(a.plan.map((p, i) => playLane(lanes[i]!, p.files, p.delayMs, a.speed ?? 1, a.turnTimeoutMs ?? 20_000, a.interruptAfterAudio ?? false)));
      return turns.flat();
    },
    reset: () => {
      late = sendLate();
      framesSent = 0;
      cpu0 = process.cpuUsage();
      t0 = monoMs();
    },
    stats: () => ({
      cpu_pct: Math.round(((process.cpuUsage(cpu0).user + process.cpuUsage(cpu0).system) / 1000 / (monoMs() - t0)) * 1000) / 10,
      frames_sent: framesSent,
      send_late_p50_ms: Math.round(late.percentile(50) / 10) / 100,
      send_late_p99_ms: Math.round(late.percentile(99) / 10) / 100,
      closed: closes,
      run_starts: lanes.reduce((n, l) => n + l.runStarts, 0),
      errors: lanes.reduce((n, l) => n + l.errors, 0),
    }),
    closeAll: async () => {
      for (const l of lanes) {
        l.streaming = false;
        l.closed = true;
        l.ws.close(1000);
      }
      lanes.length = 0;
      await sleep(200);
    },
  },
  () => {
    for (const l of lanes) l.ws.terminate();
  },
);
