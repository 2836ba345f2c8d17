import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

export interface LoadResult {
  rps: number;
  p99Ms: number;
  p50Ms: number;
  errors: number;
  non2xx: number;
}

/**
 * Runs autocannon in a child process so the load generator does not share the event loop (or the
 * core) of the server under test.
 */
export function autocannon(opts: { url: string; connections?: number; durationS?: number; method?: string; headers?: Record<string, string>; body?: string }): Promise<LoadResult> {
  const bin = join(require.resolve('autocannon/package.json'), '..', 'autocannon.js');
  const args = [bin, '-j', '-c', String(opts.connections ?? 50), '-d', String(opts.durationS ?? 5), '-m', opts.method ?? 'GET'];
  for (const [k, v] of Object.entries(opts.headers ?? {})) args.push('-H', `${k}=${v}`);
  if (opts.body) args.push('-b', opts.body);
  args.push(opts.url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited ${code}`));
      const r = JSON.parse(out);
      resolve({ rps: r.requests.average, p99Ms: r.latency.p99, p50Ms: r.latency.p50, errors: r.errors, non2xx: r.non2xx });
    });
  });
}

export const benchDir = (name: string) => mkdtempSync(join(tmpdir(), `podd-bench-${name}-`));

/** Registers the bench's one user on a running app; its tokens authorise the load. */
export function registerBenchUser(appUrl: string): Promise<{ access_token: string }> {
  return fetch(`${appUrl}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@example.com', password: 'bench password 1', name: 'Bench' }),
  }).then((r) => r.json() as Promise<{ access_token: string }>);
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}
