/**
 * Timeouts, retries, a circuit breaker and metrics for every provider call, in one place
 * (LiveKit keeps these in its STT/TTS base classes so each provider gets them for free). Nothing
 * here knows a vendor: a provider wraps each request in `Resilience.call` and turns failures into
 * ProviderError (`ProviderError.fromResponse` does it for HTTP).
 */
import { raceAbort, sleep } from '../../util/async.js';
import type { ProviderErrorInfo } from './types.js';

export class ProviderError extends Error {
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly retryable: boolean;
  readonly code: ProviderErrorInfo['code'];

  constructor(
    message: string,
    opts: { status?: number; retryAfterMs?: number; retryable: boolean; code?: ProviderErrorInfo['code']; cause?: unknown },
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'ProviderError';
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
    this.retryable = opts.retryable;
    this.code = opts.code ?? codeForStatus(opts.status);
  }

  /** 408, 429 and 5xx are worth another try; any other 4xx will fail the same way again. */
  static isRetryableStatus(status: number): boolean {
    return status === 408 || status === 429 || status >= 500;
  }

  static fromResponse(service: string, res: { status: number; headers: { get(name: string): string | null } }): ProviderError {
    return new ProviderError(`${service} answered HTTP ${res.status}`, {
      status: res.status,
      retryAfterMs: parseRetryAfter(res.headers.get('retry-after')),
      retryable: ProviderError.isRetryableStatus(res.status),
    });
  }

  toInfo(): ProviderErrorInfo {
    return { code: this.code, message: this.message };
  }
}

function codeForStatus(status: number | undefined): ProviderErrorInfo['code'] {
  if (status === undefined) return 'unavailable';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'unavailable';
  return 'bad_request';
}

/**
 * Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). An HTTP date is the
 * upstream's wall clock, so it is compared with the host's (not the service's injected) clock.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export class CircuitOpenError extends ProviderError {
  constructor(service: string, retryAfterMs: number) {
    super(`${service} circuit is open`, { retryable: false, retryAfterMs, code: 'unavailable' });
    this.name = 'CircuitOpenError';
  }
}

export interface ResilienceOptions {
  /** Names the service in errors and metrics (no payloads, ever). */
  service: string;
  /** Per attempt, including reading the response. Default 10 s. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 2. */
  maxRetries?: number;
  /** Backoff before retry n is random in [0, min(maxDelayMs, baseDelayMs·2ⁿ)] ("full jitter"). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the call fails at once. Default 10 s. */
  maxRetryAfterMs?: number;
  /** Consecutive failed calls that open the circuit. Default 5. */
  breakerThreshold?: number;
  /** How long an open circuit refuses calls before letting one trial through. Default 30 s. */
  breakerCooldownMs?: number;
  onMetrics?: (m: CallMetrics) => void;
  /** Observes each retry decision (logging, tests). */
  onRetry?: (r: { attempt: number; delayMs: number; status?: number }) => void;
  random?: () => number;
}

export interface CallMetrics {
  service: string;
  ok: boolean;
  /** Time until the operation reported its first byte (if it did). */
  firstByteMs?: number;
  durationMs: number;
  retries: number;
  status?: number;
}

export interface Totals {
  calls: number;
  failures: number;
  retries: number;
  breakerOpens: number;
}

export interface AttemptContext {
  /** Aborted on timeout, on the caller's signal, or when the call is given up. */
  signal: AbortSignal;
  attempt: number;
  /** Call when the first byte of the answer arrives (streaming responses). */
  markFirstByte(): void;
}

type BreakerState = { kind: 'closed'; failures: number } | { kind: 'open'; until: number } | { kind: 'half-open' };

export class Resilience {
  readonly totals: Totals = { calls: 0, failures: 0, retries: 0, breakerOpens: 0 };
  private breaker: BreakerState = { kind: 'closed', failures: 0 };
  private readonly o: Required<Omit<ResilienceOptions, 'onMetrics' | 'onRetry'>> & Pick<ResilienceOptions, 'onMetrics' | 'onRetry'>;

  constructor(opts: ResilienceOptions) {
    this.o = {
      timeoutMs: 10_000,
      maxRetries: 2,
      baseDelayMs: 200,
      maxDelayMs: 5_000,
      maxRetryAfterMs: 10_000,
      breakerThreshold: 5,
      breakerCooldownMs: 30_000,
      random: Math.random,
      ...opts,
    };
  }

  // The breaker's cool-down is real elapsed time (Date.now), not the service's injected clock:
  // it paces calls to an upstream, it decides nothing about a person's data.
  get breakerState(): 'closed' | 'open' | 'half-open' {
    if (this.breaker.kind === 'open' && Date.now() >= this.breaker.until) return 'half-open';
    return this.breaker.kind;
  }

  async call<T>(op: (ctx: AttemptContext) => Promise<T>, signal?: AbortSignal): Promise<T> {
    this.admit();
    this.totals.calls++;
    const started = performance.now();
    let firstByteMs: number | undefined;
    let retries = 0;
    for (let attempt = 0; ; attempt++) {
      const timeout = AbortSignal.timeout(this.o.timeoutMs);
      const attemptSignal = signal ? AbortSignal.any([signal, timeout]) : timeout;
      try {
        const result = await raceAbort(
          op({
            signal: attemptSignal,
            attempt,
            markFirstByte: () => (firstByteMs ??= performance.now() - started),
          }),
          attemptSignal,
        );
        this.succeeded();
        this.report({ ok: true, firstByteMs, durationMs: performance.now() - started, retries });
        return result;
      } catch (raw) {
        const err = this.normalise(raw, timeout.aborted && !signal?.aborted);
        const delay = err.retryable && !signal?.aborted ? this.retryDelay(err, attempt) : undefined;
        if (delay === undefined) {
          this.failed();
          this.report({ ok: false, firstByteMs, durationMs: performance.now() - started, retries, status: err.status });
          throw err;
        }
        retries++;
        this.totals.retries++;
        this.o.onRetry?.({ attempt: attempt + 1, delayMs: delay, status: err.status });
        // Given up during the backoff: a cancelled call, like one given up mid-attempt.
        await sleep(delay, signal).catch(() => {
          throw new ProviderError('call cancelled', { retryable: false, code: 'cancelled' });
        });
      }
    }
  }

  private retryDelay(err: ProviderError, attempt: number): number | undefined {
    if (attempt >= this.o.maxRetries) return undefined;
    if (err.retryAfterMs !== undefined) return err.retryAfterMs <= this.o.maxRetryAfterMs ? err.retryAfterMs : undefined;
    return Math.floor(this.o.random() * Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** attempt));
  }

  private normalise(err: unknown, timedOut: boolean): ProviderError {
    if (timedOut) {
      return new ProviderError(`${this.o.service} timed out after ${this.o.timeoutMs} ms`, { retryable: true, code: 'timeout', cause: err });
    }
    if (err instanceof ProviderError) return err;
    if (err instanceof Error && err.name === 'AbortError') {
      return new ProviderError(`${this.o.service} call cancelled`, { retryable: false, code: 'cancelled', cause: err });
    }
    // Connection refused/reset and the like: the service may be back a moment later.
    return new ProviderError(`${this.o.service} request failed`, { retryable: true, code: 'unavailable', cause: err });
  }

  private admit(): void {
    // Half-open means one trial call is already in flight: everyone else keeps waiting.
    if (this.breaker.kind === 'half-open') throw new CircuitOpenError(this.o.service, this.o.baseDelayMs);
    if (this.breaker.kind !== 'open') return;
    const left = this.breaker.until - Date.now();
    if (left > 0) throw new CircuitOpenError(this.o.service, left);
    this.breaker = { kind: 'half-open' };
  }

  private succeeded(): void {
    this.breaker = { kind: 'closed', failures: 0 };
  }

  private failed(): void {
    this.totals.failures++;
    const failures = this.breaker.kind === 'closed' ? this.breaker.failures + 1 : this.o.breakerThreshold;
    if (failures >= this.o.breakerThreshold) {
      this.breaker = { kind: 'open', until: Date.now() + this.o.breakerCooldownMs };
      this.totals.breakerOpens++;
    } else this.breaker = { kind: 'closed', failures };
  }

  private report(m: Omit<CallMetrics, 'service'>): void {
    this.o.onMetrics?.({ service: this.o.service, ...m });
  }
}
