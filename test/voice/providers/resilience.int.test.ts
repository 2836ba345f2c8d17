import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CircuitOpenError, ProviderError, Resilience, parseRetryAfter, type CallMetrics } from '../../../src/voice/providers/resilience.js';

/** A fake upstream that answers each path with a script of responses, one per request. */
let server: Server;
let base: string;
const scripts = new Map<string, Array<(res: ServerResponse) => void>>();
const hits = new Map<string, number>();

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const step = scripts.get(path)?.shift();
    if (step) step(res);
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((r) => server.close(() => r()));
});

const status = (code: number, headers: Record<string, string> = {}) => (res: ServerResponse) => res.writeHead(code, headers).end('{}');

/** What a provider does: one HTTP request per attempt, errors turned into ProviderError. */
function request(r: Resilience, path: string, signal?: AbortSignal) {
  return r.call(async ({ signal: s, markFirstByte }) => {
    const res = await fetch(base + path, { signal: s });
    markFirstByte();
    if (!res.ok) throw ProviderError.fromResponse('fake', res);
    return res.json();
  }, signal);
}

function make(extra: Partial<ConstructorParameters<typeof Resilience>[0]> = {}) {
  const metrics: CallMetrics[] = [];
  const retries: Array<{ attempt: number; delayMs: number; status?: number }> = [];
  const r = new Resilience({ service: 'fake', baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 2_000, onMetrics: (m) => metrics.push(m), onRetry: (x) => retries.push(x), ...extra });
  return { r, metrics, retries };
}

describe('Resilience against a fake HTTP upstream', () => {
  it('retries 503 and 429 and succeeds, counting retries and timing the first byte', async () => {
    scripts.set('/flaky', [status(503), status(429)]);
    const { r, metrics, retries } = make();
    await expect(request(r, '/flaky')).resolves.toEqual({ ok: true });
    expect(hits.get('/flaky')).toBe(3);
    expect(retries.map((x) => x.status)).toEqual([503, 429]);
    expect(metrics).toHaveLength(1);
    expect(metrics[0]).toMatchObject({ service: 'fake', ok: true, retries: 2 });
    expect(metrics[0]!.firstByteMs).toBeGreaterThan(0);
    expect(metrics[0]!.durationMs).toBeGreaterThanOrEqual(metrics[0]!.firstByteMs!);
  });

  it('does not retry other 4xx', async () => {
    scripts.set('/bad', [status(400), status(200)]);
    const { r } = make();
    const err = await request(r, '/bad').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ status: 400, retryable: false, code: 'bad_request' });
    expect(hits.get('/bad')).toBe(1);
  });

  it('waits as long as Retry-After says before retrying', async () => {
    scripts.set('/slow-down', [status(429, { 'retry-after': '1' })]);
    const { r, retries } = make();
    const t0 = Date.now();
    await request(r, '/slow-down');
    expect(retries[0]).toMatchObject({ delayMs: 1000, status: 429 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(990);
  });

  it('gives up at once when Retry-After exceeds the allowed wait', async () => {
    scripts.set('/come-back-later', [status(503, { 'retry-after': '3600' })]);
    const { r } = make({ maxRetryAfterMs: 5_000 });
    await expect(request(r, '/come-back-later')).rejects.toMatchObject({ status: 503, retryAfterMs: 3_600_000 });
    expect(hits.get('/come-back-later')).toBe(1);
  });

  it('stops after maxRetries and reports the last status', async () => {
    scripts.set('/down', [status(502), status(502), status(502), status(502)]);
    const { r, metrics } = make({ maxRetries: 2 });
    await expect(request(r, '/down')).rejects.toMatchObject({ status: 502, code: 'unavailable' });
    expect(hits.get('/down')).toBe(3);
    expect(metrics[0]).toMatchObject({ ok: false, retries: 2, status: 502 });
  });

  it('times out a hanging upstream, retrying as a timeout', async () => {
    scripts.set('/hang', [() => undefined, () => undefined]);
    const { r } = make({ timeoutMs: 150, maxRetries: 1 });
    await expect(request(r, '/hang')).rejects.toMatchObject({ code: 'timeout', retryable: true });
    expect(hits.get('/hang')).toBe(2);
  });

  it('cancels through the caller signal without retrying', async () => {
    scripts.set('/hang2', [() => undefined]);
    const { r } = make();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    await expect(request(r, '/hang2', ac.signal)).rejects.toMatchObject({ code: 'cancelled' });
    expect(hits.get('/hang2')).toBe(1);
  });

  it('opens the circuit after consecutive failures, then lets one trial through', async () => {
    scripts.set('/broken', Array.from({ length: 3 }, () => status(500)));
    const { r } = make({ maxRetries: 0, breakerThreshold: 3, breakerCooldownMs: 200 });
    for (let i = 0; i < 3; i++) await expect(request(r, '/broken')).rejects.toMatchObject({ status: 500 });
    expect(r.breakerState).toBe('open');
    await expect(request(r, '/broken')).rejects.toBeInstanceOf(CircuitOpenError);
    expect(hits.get('/broken')).toBe(3); // refused without a request
    await new Promise((res) => setTimeout(res, 220));
    expect(r.breakerState).toBe('half-open');
    await expect(request(r, '/broken')).resolves.toEqual({ ok: true });
    expect(r.breakerState).toBe('closed');
    expect(r.totals).toMatchObject({ calls: 4, failures: 3, breakerOpens: 1 });
  });

  it('retries a refused connection', async () => {
    const { r } = make({ maxRetries: 1 });
    const err = await r
      .call(async ({ signal }) => {
        await fetch('http://127.0.0.1:9/', { signal });
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'unavailable', retryable: true });
    expect(r.totals.retries).toBe(1);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter(new Date(10_000 + 4000).toUTCString(), 10_000)).toBe(4000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
