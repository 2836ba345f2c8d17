import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { readWav } from '../../src/voice/audio/wav.js';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/audio');

export interface FixtureUtterance {
  file: string;
  text: string;
  route: string;
  keywords: string[];
}

export const MANIFEST = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as { utterances: FixtureUtterance[] };

/** Routes the assistant reports for each fixture group (vitals and tracking are both "log"). */
export function expectedRoute(u: FixtureUtterance): string {
  if (u.route === 'vitals' || u.route === 'tracking') return 'log';
  if (u.file === 'medication-did-i-take.wav') return 'health_query';
  return u.route;
}

export function fixturePcm(file: string): Int16Array {
  const wav = readWav(readFileSync(join(FIXTURES, file)));
  if (wav.sampleRate !== 16000) throw new Error(`${file} is not 16 kHz`);
  return wav.pcm;
}

export interface ServerMessage {
  type: string;
  event?: string;
  turn_id?: string | null;
  t_ms?: number;
  data?: Record<string, any>;
  [k: string]: unknown;
}

/** A test client for /api/voice/ws that records every message in order. */
export class VoiceClient {
  readonly messages: Array<ServerMessage | { type: 'audio'; bytes: number }> = [];
  readonly audio: Buffer[] = [];
  closeCode?: number;
  private waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        const b = data as Buffer;
        this.audio.push(b);
        this.messages.push({ type: 'audio', bytes: b.length });
      } else this.messages.push(JSON.parse(String(data)));
      for (const w of this.waiters.splice(0)) w();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static open(url: string, options: { headers?: Record<string, string>; protocols?: string[] } = {}): Promise<VoiceClient> {
    const ws = new WebSocket(url, options.protocols ?? [], { headers: options.headers });
    const client = new VoiceClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })));
      ws.once('error', reject);
    });
  }

  send(msg: object) {
    this.ws.send(JSON.stringify(msg));
  }

  async start(start: object = {}) {
    this.send({ type: 'start', ...start });
    return this.waitFor((m) => m.type === 'ready');
  }

  /** Streams samples in 20 ms chunks; `realTime` paces them like a microphone. */
  async stream(pcm: Int16Array, opts: { realTime?: boolean; chunkMs?: number; encode?: (pcm: Int16Array) => Buffer } = {}) {
    const chunk = 16 * (opts.chunkMs ?? 20);
    const t0 = Date.now();
    for (let i = 0, n = 0; i < pcm.length; i += chunk, n++) {
      const part = pcm.subarray(i, i + chunk);
      this.ws.send(opts.encode ? opts.encode(part) : Buffer.from(part.buffer, part.byteOffset, part.byteLength));
      if (opts.realTime) {
        const wait = t0 + (n + 1) * (opts.chunkMs ?? 20) - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      } else if (n % 10 === 9) await new Promise((r) => setImmediate(r));
    }
  }

  events(): ServerMessage[] {
    return this.messages.filter((m): m is ServerMessage => m.type === 'event');
  }

  async waitFor(pred: (m: ServerMessage) => boolean, timeoutMs = 20_000): Promise<ServerMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.messages.find((m): m is ServerMessage => m.type !== 'audio' && pred(m as ServerMessage));
      if (hit) return hit;
      if (this.closeCode !== undefined) throw new Error(`socket closed (${this.closeCode}) while waiting`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; saw ${JSON.stringify(this.messages.filter((m) => m.type !== 'audio').slice(-8))}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => (clearTimeout(t), r()));
      });
    }
  }

  runEnds(): ServerMessage[] {
    return this.events().filter((e) => e.event === 'run-end');
  }

  async waitForRunEnd(n = 1, timeoutMs = 30_000) {
    await this.waitFor(() => this.runEnds().length >= n, timeoutMs);
    return this.runEnds()[n - 1]!;
  }

  /** Event names of one turn, partials collapsed, audio frames as one "audio" entry. */
  turnSequence(turnId: string): string[] {
    const out: string[] = [];
    let inTurn = false;
    for (const m of this.messages) {
      if (m.type === 'event') {
        const e = m as ServerMessage;
        if (e.turn_id !== turnId) continue;
        inTurn = true;
        if (e.event === 'stt-partial' && out.at(-1) === 'stt-partial') continue;
        out.push(e.event!);
        if (e.event === 'run-end') inTurn = false;
      } else if (m.type === 'audio' && inTurn && out.at(-1) !== 'audio') out.push('audio');
    }
    return out;
  }

  close() {
    this.ws.close(1000);
  }
}
