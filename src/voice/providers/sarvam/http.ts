/**
 * The REST transport shared by the Sarvam clients: one deadline over connect and body, the key in
 * the `api-subscription-key` header only, and every failure turned into a SarvamError.
 */
import { SarvamError, errorFromHttp } from './errors.js';

export interface SarvamConnection {
  /** Origin of the API, e.g. https://api.sarvam.ai (or a local fake). */
  baseUrl: string;
  apiKey: string;
  /** Deadline for the whole request including the response body. Default 15 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Injected fetch, for tests that need one; defaults to the global. */
  fetch?: typeof fetch;
}

export const DEFAULT_TIMEOUT_MS = 15_000;

export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** Network error codes from undici's `cause`, safe to surface (they carry no request data). */
function causeCode(err: unknown): string | undefined {
  const cause = (err as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

/** POSTs and returns the parsed JSON body of a 2xx answer. */
export async function postJson(conn: SarvamConnection, path: string, body: NonNullable<RequestInit['body']>, headers: Record<string, string> = {}): Promise<unknown> {
  const controller = new AbortController();
  let timedOut = false;
  const timeoutMs = conn.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = () => controller.abort();
  conn.signal?.addEventListener('abort', onAbort, { once: true });
  if (conn.signal?.aborted) controller.abort();

  const fail = (err: unknown): SarvamError => {
    if (err instanceof SarvamError) return err;
    if (conn.signal?.aborted) return new SarvamError({ kind: 'aborted', code: 'aborted', message: 'Sarvam request aborted', retryable: false });
    if (timedOut) return new SarvamError({ kind: 'timeout', code: 'timeout', message: `Sarvam did not answer within ${timeoutMs} ms` });
    const code = causeCode(err);
    return new SarvamError({ kind: 'network', code: 'network_error', message: `Sarvam connection failed${code ? ` (${code})` : ''}`, cause: err });
  };

  try {
    const res = await (conn.fetch ?? fetch)(joinUrl(conn.baseUrl, path), {
      method: 'POST',
      headers: { accept: 'application/json', ...headers, 'api-subscription-key': conn.apiKey },
      body,
      signal: controller.signal,
    });
    const text = await res.text();
    if (!res.ok) throw errorFromHttp(res.status, text, res.headers.get('retry-after'));
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new SarvamError({
        kind: 'protocol',
        code: 'malformed_response',
        message: `Sarvam answered ${path} with a body that is not JSON`,
        status: res.status,
        retryable: false,
      });
    }
  } catch (err) {
    throw fail(err);
  } finally {
    clearTimeout(timer);
    conn.signal?.removeEventListener('abort', onAbort);
  }
}

export function malformed(path: string, what: string): SarvamError {
  return new SarvamError({ kind: 'protocol', code: 'malformed_response', message: `Sarvam answered ${path} without ${what}`, retryable: false });
}
