/**
 * The one error type the Sarvam wire clients throw or emit. It carries what a retry layer needs
 * (status, retryable, retryAfterMs) and nothing from the request: messages name no user data.
 */

export type SarvamErrorKind =
  /** Sarvam answered with an HTTP error (REST, or a refused WebSocket upgrade). */
  | 'http'
  /** No answer in time (connect or response). */
  | 'timeout'
  /** The connection failed or dropped. */
  | 'network'
  /** Sarvam answered with something we cannot read (bad JSON, unknown frame). */
  | 'protocol'
  /** Sarvam sent an error frame on an open WebSocket. */
  | 'stream'
  /** The caller aborted. */
  | 'aborted';

export interface SarvamErrorInit {
  kind: SarvamErrorKind;
  code: string;
  message: string;
  status?: number;
  retryAfterMs?: number;
  retryable?: boolean;
  requestId?: string;
  cause?: unknown;
}

/** HTTP statuses worth another attempt: timeouts, rate limits and server faults. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

export class SarvamError extends Error {
  readonly kind: SarvamErrorKind;
  /** Sarvam's error code (e.g. invalid_api_key_error) or ours (timeout, network_error, malformed_response…). */
  readonly code: string;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly retryable: boolean;
  readonly requestId?: string;

  constructor(init: SarvamErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'SarvamError';
    this.kind = init.kind;
    this.code = init.code;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
    this.requestId = init.requestId;
    this.retryable =
      init.retryable ??
      (init.status !== undefined ? isRetryableStatus(init.status) : init.kind === 'timeout' || init.kind === 'network');
  }
}

export function isSarvamError(err: unknown): err is SarvamError {
  return err instanceof SarvamError;
}

/**
 * Retry-After as delta-seconds or an HTTP date, in milliseconds; undefined when absent or unreadable.
 * An HTTP date is Sarvam's wall clock, so it is compared with the host's clock.
 */
export function parseRetryAfterMs(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const STATUS_CODES: Record<number, string> = {
  400: 'invalid_request_error',
  403: 'invalid_api_key_error',
  404: 'not_found_error',
  422: 'unprocessable_entity_error',
  429: 'rate_limit_exceeded_error',
};

/** Builds the error for an HTTP failure from Sarvam's `{"error":{"message","code","request_id"}}` body. */
export function errorFromHttp(status: number, bodyText: string, retryAfter: string | null | undefined): SarvamError {
  let code = STATUS_CODES[status] ?? (status >= 500 ? 'internal_server_error' : 'http_error');
  let message = `Sarvam answered HTTP ${status}`;
  let requestId: string | undefined;
  try {
    const parsed = JSON.parse(bodyText) as { error?: { code?: unknown; message?: unknown; request_id?: unknown } };
    const e = parsed.error;
    if (e && typeof e === 'object') {
      if (typeof e.code === 'string' && e.code) code = e.code;
      if (typeof e.message === 'string' && e.message) message = `Sarvam answered HTTP ${status}: ${e.message}`;
      if (typeof e.request_id === 'string') requestId = e.request_id;
    }
  } catch {
    // A gateway page or empty body: the status alone decides.
  }
  return new SarvamError({ kind: 'http', code, message, status, retryAfterMs: parseRetryAfterMs(retryAfter), requestId });
}
