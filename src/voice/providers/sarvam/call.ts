/**
 * Every Sarvam request goes through here: the shared Resilience (timeouts, retries with jittered
 * backoff honouring Retry-After, circuit breaker, metrics) and the key gate. A rejected key is
 * the one failure retrying cannot fix, so it latches: one log line, then no calls for a while,
 * for STT and TTS alike (they share the key).
 */
import { ProviderError, Resilience, type AttemptContext, type ResilienceOptions } from '../resilience.js';
import type { ProviderErrorInfo } from '../types.js';
import { SarvamError } from './errors.js';
import type { SarvamWsOptions } from './ws-stream.js';

/** The slice of a pino logger the providers use; ids, codes and timings only, never payloads. */
export interface ProviderLog {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export const silentLog: ProviderLog = { warn: () => undefined, info: () => undefined };

export class SarvamKeyGate {
  private rejectedUntil = 0;

  constructor(
    private readonly log: ProviderLog = silentLog,
    /** How long a rejected key keeps calls from being made. Default 10 min. */
    private readonly cooldownMs = 10 * 60_000,
  ) {}

  // The cool-down is real elapsed time (Date.now), not the service's clock: it paces calls to Sarvam.
  get rejected(): boolean {
    return Date.now() < this.rejectedUntil;
  }

  /** Throws at once, with no network call, while the key is known to be rejected. */
  check(): void {
    if (this.rejected) {
      throw new ProviderError('Sarvam rejected the API key', { status: 403, retryable: false, code: 'unavailable', retryAfterMs: this.rejectedUntil - Date.now() });
    }
  }

  observe(err: ProviderError, service: string): void {
    if (err.status !== 401 && err.status !== 403) return;
    const wasRejected = this.rejected;
    this.rejectedUntil = Date.now() + this.cooldownMs;
    if (!wasRejected) {
      this.log.warn(
        { service, status: err.status, retryInS: Math.round(this.cooldownMs / 1000) },
        `Sarvam rejected SARVAM_API_KEY (HTTP ${err.status}); speech uses the local providers until it is fixed — check the key`,
      );
    }
  }
}

function codeOf(err: SarvamError): ProviderErrorInfo['code'] {
  switch (err.kind) {
    case 'timeout':
      return 'timeout';
    case 'aborted':
      return 'cancelled';
    case 'protocol':
      return 'internal';
    case 'network':
      return 'unavailable';
    default:
      if (err.status === 429) return 'rate_limited';
      if (err.status === 408) return 'timeout';
      if (err.status !== undefined && err.status < 500 && err.status !== 401 && err.status !== 403) return 'bad_request';
      return 'unavailable';
  }
}

export function toProviderError(err: SarvamError): ProviderError {
  return new ProviderError(err.message, { status: err.status, retryAfterMs: err.retryAfterMs, retryable: err.retryable, code: codeOf(err), cause: err });
}

/** Sarvam defaults for a voice turn: short waits, a quick breaker, and no waiting out long Retry-Afters. */
export function sarvamResilience(service: string, timeoutMs: number, overrides: Partial<ResilienceOptions> = {}): Resilience {
  return new Resilience({
    service,
    timeoutMs,
    maxRetries: 2,
    baseDelayMs: 150,
    maxDelayMs: 1_000,
    maxRetryAfterMs: 2_000,
    breakerThreshold: 3,
    breakerCooldownMs: 30_000,
    ...overrides,
  });
}

export interface SarvamCallDeps {
  resilience: Resilience;
  gate: SarvamKeyGate;
  service: string;
}

/** What a provider may be given to share: the key gate (one key for STT and TTS) and a Resilience. */
export interface SarvamProviderDeps {
  gate?: SarvamKeyGate;
  resilience?: Resilience;
}

/** A provider's call deps: the shared gate and resilience when given, its own otherwise. */
export function callDepsFor(service: string, timeoutMs: number, deps: SarvamProviderDeps): SarvamCallDeps {
  return {
    service,
    gate: deps.gate ?? new SarvamKeyGate(),
    resilience: deps.resilience ?? sarvamResilience(service, timeoutMs),
  };
}

/** Runs one Sarvam operation with retries; SarvamErrors come out as ProviderErrors. */
export async function sarvamCall<T>(deps: SarvamCallDeps, op: (ctx: AttemptContext) => Promise<T>, signal?: AbortSignal): Promise<T> {
  deps.gate.check();
  try {
    return await deps.resilience.call(async (ctx) => {
      try {
        return await op(ctx);
      } catch (err) {
        throw err instanceof SarvamError ? toProviderError(err) : err;
      }
    }, signal);
  } catch (err) {
    if (err instanceof ProviderError) deps.gate.observe(err, deps.service);
    throw err;
  }
}

/**
 * The attempt signal also fires on the attempt's deadline, long after a WebSocket opened; a
 * socket must only be tied to it while connecting.
 */
export async function whileConnecting<T extends { close(): Promise<void> }>(attempt: AbortSignal, open: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ctrl = new AbortController();
  const onAbort = () => ctrl.abort();
  if (attempt.aborted) ctrl.abort();
  attempt.addEventListener('abort', onAbort, { once: true });
  try {
    const socket = await open(ctrl.signal);
    // Opened in the same tick the attempt was given up: nobody will use it.
    if (attempt.aborted) void socket.close();
    return socket;
  } finally {
    attempt.removeEventListener('abort', onAbort);
  }
}

/** Opens a Sarvam socket through sarvamCall; `open` gets the connection options to add its own to. */
export function connectStream<T extends { close(): Promise<void> }>(
  deps: SarvamCallDeps,
  conn: Pick<SarvamWsOptions, 'baseUrl' | 'apiKey' | 'connectTimeoutMs'>,
  signal: AbortSignal,
  open: (opts: SarvamWsOptions) => Promise<T>,
): Promise<T> {
  return sarvamCall(
    deps,
    ({ signal: attempt }) =>
      whileConnecting(attempt, (connectSignal) =>
        open({ baseUrl: conn.baseUrl, apiKey: conn.apiKey, connectTimeoutMs: conn.connectTimeoutMs, signal: connectSignal }),
      ),
    signal,
  );
}

export function infoOf(err: unknown): ProviderErrorInfo {
  if (err instanceof ProviderError) return err.toInfo();
  if (err instanceof SarvamError) return toProviderError(err).toInfo();
  return { code: 'internal', message: 'Sarvam request failed' };
}
