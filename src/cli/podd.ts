#!/usr/bin/env node
/**
 * `podd` — talk to a running Podd server from a terminal.
 *   podd login --email you@example.com [--server http://127.0.0.1:8080]   (password from stdin)
 *   podd talk question.wav [--out reply.wav] [--language hi-IN]           (streams in real time)
 *   podd say "my BP is 140 over 90" [--out reply.wav]                    (a typed turn)
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { readWav, writeWav } from '../voice/audio/wav.js';
import { bytesToInt16, int16ToBytes } from '../voice/audio/pcm16.js';
import { sleep } from '../util/async.js';
import { loadCredentials, saveCredentials, type Credentials } from './credentials.js';

const OUTPUT_RATE = 16000;

function fail(message: string): never {
  process.stderr.write(`podd: ${message}\n`);
  process.exit(1);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

async function api(server: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${server}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) fail(((json.error as { message?: string } | undefined)?.message ?? `HTTP ${res.status}`) + ` (${path})`);
  return json;
}

/** Tokens are refreshed before every session: the CLI runs rarely and access tokens live 15 minutes. */
async function session(): Promise<Credentials> {
  const c = loadCredentials();
  if (!c) fail('not logged in: run `podd login --email <you>` first');
  const pair = await api(c.server, '/api/auth/refresh', { refresh_token: c.refresh_token });
  const next = { server: c.server, access_token: String(pair.access_token), refresh_token: String(pair.refresh_token) };
  saveCredentials(next);
  return next;
}

interface TurnOutput {
  audio: Buffer[];
  done: Promise<void>;
}

function openSocket(c: Credentials, language: string | undefined, input: { encoding: 'pcm_s16le'; sample_rate: number } | undefined): Promise<{ ws: WebSocket; turn: TurnOutput }> {
  const url = c.server.replace(/^http/, 'ws') + '/api/voice/ws';
  const ws = new WebSocket(url, { headers: { authorization: `Bearer ${c.access_token}` } });
  const audio: Buffer[] = [];
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  return new Promise((resolve, reject) => {
    ws.on('unexpected-response', (_req, res) => reject(new Error(`server refused the socket (HTTP ${res.statusCode})`)));
    ws.on('error', reject);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return void audio.push(data as Buffer);
      const msg = JSON.parse(String(data));
      if (msg.type === 'ready') return resolve({ ws, turn: { audio, done } });
      if (msg.type === 'event') {
        const detail = msg.data && Object.keys(msg.data).length ? ' ' + JSON.stringify(msg.data) : '';
        process.stdout.write(`${String(msg.t_ms).padStart(7)} ms  ${msg.event}${detail}\n`);
        if (msg.event === 'run-end') finish();
      } else if (msg.type === 'reminder') {
        process.stdout.write(`reminder: ${msg.title} — ${msg.message}\n`);
      }
    });
    ws.on('open', () =>
      ws.send(JSON.stringify({ type: 'start', ...(input ? { audio: { ...input, channels: 1 } } : {}), ...(language ? { language } : {}), output: { encoding: 'pcm_s16le', sample_rate: OUTPUT_RATE }, vad: true })),
    );
  });
}

function saveOrPlay(audio: Buffer[], out: string | undefined) {
  const pcm = bytesToInt16(Buffer.concat(audio));
  const file = out ?? join(tmpdir(), `podd-reply-${process.pid}.wav`);
  writeFileSync(file, writeWav(pcm, OUTPUT_RATE));
  if (out) return void process.stdout.write(`reply audio saved to ${out} (${(pcm.length / OUTPUT_RATE).toFixed(1)} s)\n`);
  const player = ['aplay', 'play', 'paplay'].find((p) => spawnSync('sh', ['-c', `command -v ${p}`]).status === 0);
  if (player) spawnSync(player, [file], { stdio: 'ignore' });
  else process.stdout.write(`no audio player found; reply saved to ${file}\n`);
}

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { server: { type: 'string' }, email: { type: 'string' }, out: { type: 'string' }, language: { type: 'string' } },
  });
  const [command, arg] = positionals;
  switch (command) {
    case 'login': {
      const server = (values.server ?? loadCredentials()?.server ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
      if (!values.email) fail('usage: podd login --email you@example.com [--server URL]  (password on stdin)');
      if (process.stdin.isTTY) process.stderr.write('password: ');
      const password = await readStdin();
      const pair = await api(server, '/api/auth/login', { email: values.email, password });
      saveCredentials({ server, access_token: String(pair.access_token), refresh_token: String(pair.refresh_token) });
      process.stdout.write('logged in\n');
      return;
    }
    case 'talk': {
      if (!arg) fail('usage: podd talk file.wav [--out reply.wav]');
      const wav = readWav(readFileSync(arg));
      const c = await session();
      const { ws, turn } = await openSocket(c, values.language, { encoding: 'pcm_s16le', sample_rate: wav.sampleRate });
      // Real time: one 20 ms chunk every 20 ms, as a microphone would send it.
      const chunk = Math.round(wav.sampleRate / 50);
      const t0 = Date.now();
      for (let i = 0, n = 0; i < wav.pcm.length; i += chunk, n++) {
        ws.send(int16ToBytes(wav.pcm.subarray(i, i + chunk)));
        const wait = t0 + (n + 1) * 20 - Date.now();
        if (wait > 0) await sleep(wait);
      }
      ws.send(JSON.stringify({ type: 'end' }));
      await turn.done;
      ws.close(1000);
      saveOrPlay(turn.audio, values.out);
      return;
    }
    case 'say': {
      if (!arg) fail('usage: podd say "text" [--out reply.wav]');
      const c = await session();
      const { ws, turn } = await openSocket(c, values.language, undefined);
      ws.send(JSON.stringify({ type: 'text', text: arg }));
      await turn.done;
      ws.close(1000);
      saveOrPlay(turn.audio, values.out);
      return;
    }
    default:
      fail('usage: podd <login|talk|say> …');
  }
}

main().catch((err: Error) => fail(err.message));
