/**
 * The WebSocket half of the Sarvam transport: connect with the key in a header (or subprotocol),
 * a connect deadline, refused upgrades read as HTTP errors, and every frame, close and fault turned
 * into an event on one async stream. A bad frame is an error event, never a throw or a crash.
 */
import WebSocket from 'ws';
import { errorFromHttp, SarvamError } from './errors.js';
import { EventQueue } from '../event-queue.js';
import { joinUrl } from './http.js';

export interface SarvamWsOptions {
  baseUrl: string;
  apiKey: string;
  /** Deadline for the handshake. Default 5 s. */
  connectTimeoutMs?: number;
  /**
   * `header` (default) sends `api-subscription-key`; `subprotocol` sends `api-subscription-key.<key>`
   * as Sarvam allows for clients that cannot set headers.
   */
  auth?: 'header' | 'subprotocol';
  signal?: AbortSignal;
}

export type StreamErrorEvent = { type: 'error'; error: SarvamError };
/** Always the last event. */
export type StreamClosedEvent = { type: 'closed'; code: number };

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
const CLOSE_GRACE_MS = 2_000;
const MAX_ERROR_BODY = 64 * 1024;
/** Close codes after which trying again makes sense (going away, server error, restart, overload). */
const RETRYABLE_CLOSE = new Set([1001, 1006, 1011, 1012, 1013, 1014]);

export function wsUrlOf(baseUrl: string, path: string, query: Record<string, string>): string {
  const url = new URL(joinUrl(baseUrl, path));
  if (url.protocol === 'https:') url.protocol = 'wss:';
  else if (url.protocol === 'http:') url.protocol = 'ws:';
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url.toString();
}

function malformedFrame(what: string): SarvamError {
  return new SarvamError({ kind: 'protocol', code: 'malformed_frame', message: `Sarvam sent ${what}`, retryable: false });
}

export abstract class SarvamStream<E extends { type: string }> implements AsyncIterable<E | StreamErrorEvent | StreamClosedEvent> {
  protected readonly ws: WebSocket;
  private readonly queue = new EventQueue<E | StreamErrorEvent | StreamClosedEvent>();
  private state: 'connecting' | 'open' | 'closing' | 'closed' = 'connecting';
  private readonly opened: Promise<void>;
  private readonly timers: NodeJS.Timeout[] = [];
  private resolveClosed!: () => void;
  private abortConnect!: () => void;
  private readonly closed = new Promise<void>((r) => (this.resolveClosed = r));

  protected constructor(opts: SarvamWsOptions, path: string, query: Record<string, string>) {
    const bySubprotocol = opts.auth === 'subprotocol';
    this.ws = new WebSocket(wsUrlOf(opts.baseUrl, path, query), bySubprotocol ? [`api-subscription-key.${opts.apiKey}`] : [], {
      headers: bySubprotocol ? {} : { 'api-subscription-key': opts.apiKey },
      perMessageDeflate: false,
      maxPayload: 16 * 1024 * 1024,
    });
    const connectTimeoutMs = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;

    this.opened = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => fail(new SarvamError({ kind: 'timeout', code: 'connect_timeout', message: `Sarvam did not accept the stream within ${connectTimeoutMs} ms` })),
        connectTimeoutMs,
      );
      this.abortConnect = () =>
        fail(new SarvamError({ kind: 'aborted', code: 'aborted', message: 'Sarvam stream aborted', retryable: false }));
      const onAbort = () => {
        if (this.state === 'connecting') this.abortConnect();
        else void this.close();
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const fail = (err: SarvamError) => {
        if (this.state !== 'connecting') return;
        this.state = 'closed';
        clearTimeout(timer);
        reject(err);
        this.ws.terminate();
        this.queue.end();
        this.resolveClosed();
      };
      this.ws.once('open', () => {
        clearTimeout(timer);
        if (this.state === 'connecting') this.state = 'open';
        resolve();
      });
      this.ws.once('unexpected-response', (req, res) => {
        // Sarvam refuses bad keys and rate limits before the upgrade, with its JSON error body.
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= MAX_ERROR_BODY) chunks.push(c);
        });
        const done = () => {
          const retryAfter = res.headers['retry-after'];
          fail(errorFromHttp(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), Array.isArray(retryAfter) ? retryAfter[0] : retryAfter));
          req.destroy();
        };
        res.once('end', done);
        res.once('error', done);
      });
      this.ws.on('error', (err: Error & { code?: string }) => {
        if (this.state === 'connecting') {
          const code = typeof err.code === 'string' ? ` (${err.code})` : '';
          fail(new SarvamError({ kind: 'network', code: 'network_error', message: `Sarvam stream connection failed${code}`, cause: err }));
        }
        // After open, the close event that follows says what happened.
      });
      if (opts.signal?.aborted) onAbort();
    });
    // Until open() awaits it, a refused connect must not count as an unhandled rejection.
    this.opened.catch(() => undefined);

    this.ws.on('message', (data: Buffer, isBinary: boolean) => this.onFrame(data, isBinary));
    this.ws.on('close', (code: number) => this.onClose(code));
  }

  /** Resolves once the socket is open; rejects with a SarvamError (http, timeout, network, aborted). */
  protected ready(): Promise<void> {
    return this.opened;
  }

  /** Maps one parsed frame to events; returns false for a frame type it does not know. */
  protected abstract handleMessage(msg: Record<string, unknown>): boolean;

  protected emit(event: E | StreamErrorEvent): void {
    this.queue.push(event);
  }

  protected emitError(error: SarvamError): void {
    this.queue.push({ type: 'error', error });
  }

  /** Runs `fn` every `ms` while the stream is open (keepalive). */
  protected every(ms: number, fn: () => void): void {
    const t = setInterval(fn, ms);
    t.unref();
    this.timers.push(t);
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  protected sendJson(message: unknown): void {
    if (this.state !== 'open' || this.ws.readyState !== WebSocket.OPEN) {
      throw new SarvamError({ kind: 'network', code: 'not_open', message: 'Sarvam stream is not open' });
    }
    this.ws.send(JSON.stringify(message));
  }

  private onFrame(data: Buffer, isBinary: boolean): void {
    if (this.state !== 'open' && this.state !== 'closing') return;
    if (isBinary) return this.emitError(malformedFrame('a binary frame where JSON was expected'));
    let msg: unknown;
    try {
      msg = JSON.parse(data.toString('utf8'));
    } catch {
      return this.emitError(malformedFrame('a frame that is not JSON'));
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return this.emitError(malformedFrame('a frame that is not a JSON object'));
    if (!this.handleMessage(msg as Record<string, unknown>)) this.emitError(malformedFrame('a frame of an unexpected type'));
  }

  private onClose(code: number): void {
    const previous = this.state;
    this.state = 'closed';
    for (const t of this.timers) clearInterval(t);
    if (previous === 'connecting' || previous === 'closed') return;
    if (previous === 'open' && code !== 1000) {
      this.emitError(
        new SarvamError({
          kind: 'network',
          code: code === 1006 ? 'connection_lost' : 'connection_closed',
          message: code === 1006 ? 'Sarvam stream dropped without a close frame' : `Sarvam closed the stream with code ${code}`,
          retryable: RETRYABLE_CLOSE.has(code),
        }),
      );
    }
    this.queue.push({ type: 'closed', code });
    this.queue.end();
    this.resolveClosed();
  }

  /** Closes with 1000 and waits for the close handshake (or drops the socket after a grace period). */
  async close(): Promise<void> {
    if (this.state === 'closed') return;
    if (this.state === 'open') {
      this.state = 'closing';
      this.ws.close(1000);
      const grace = setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS);
      await this.closed;
      clearTimeout(grace);
      return;
    }
    if (this.state === 'connecting') this.abortConnect();
    await this.closed;
  }

  [Symbol.asyncIterator](): AsyncIterator<E | StreamErrorEvent | StreamClosedEvent> {
    return this.queue[Symbol.asyncIterator]();
  }
}
