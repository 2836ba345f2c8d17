/**
 * A local stand-in for api.sarvam.ai speaking WIRE.md §2 as the `sarvamai` SDK expects it: REST,
 * the STT and TTS WebSockets, and OpenAI-style chat, with scripted answers, injected failures and a
 * log of every request (credentials redacted).
 */
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { handleChat } from './chat.js';
import { errorBody, FakeHttpError, sendJson, sleep } from './common.js';
import { checkAuth, describeFrame, queryOf, redactHeaders, redactProtocols, type FakeRequestLog } from './log.js';
import { handleStt, handleTts, handleTtsStream, type RestContext } from './rest.js';
import { ScriptState, type FakeFailure, type FakeRoute, type FakeSarvamControl, type FakeSarvamScript } from './script.js';
import { SttWsSession, sttWsParams, type WsIO } from './stt-ws.js';
import { TtsWsSession, ttsWsParams } from './tts-ws.js';

export interface FakeSarvamOptions {
  /** 0 or absent: an ephemeral port. */
  port?: number;
  host?: string;
  apiKey: string;
  script?: FakeSarvamScript;
}

export interface FakeSarvam {
  /** Base URL for REST and for the SDK's `baseUrl` (http://127.0.0.1:port). */
  url: string;
  /** The same origin as ws://, for clients that want a WebSocket URL. */
  wsUrl: string;
  port: number;
  /** Live log, oldest first. */
  requests: FakeRequestLog[];
  control: FakeSarvamControl;
  clearRequests(): void;
  close(): Promise<void>;
}

const REST_ROUTES: Record<string, FakeRoute> = {
  '/speech-to-text': 'stt',
  '/speech-to-text-translate': 'stt-translate',
  '/text-to-speech': 'tts',
  '/text-to-speech/stream': 'tts-stream',
  '/v1/chat/completions': 'chat',
};

const WS_ROUTES: Record<string, FakeRoute> = {
  '/speech-to-text/ws': 'stt-ws',
  '/speech-to-text-translate/ws': 'stt-translate-ws',
  '/text-to-speech/ws': 'tts-ws',
};

const MAX_BODY = 25 * 1024 * 1024;
const INVALID_KEY = 'Invalid API key. Please check your API subscription key.';

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new FakeHttpError(413, 'Request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function statusHeaders(f: Extract<FakeFailure, { kind: 'status' }>): Record<string, string> {
  return f.retryAfterS === undefined ? {} : { 'retry-after': String(f.retryAfterS) };
}

/** Answers a WebSocket upgrade with a plain HTTP error, as a gateway does before switching protocols. */
function rejectUpgrade(socket: Duplex, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(text)}`,
    'Connection: close',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${text}`);
}

export async function startFakeSarvam(options: FakeSarvamOptions): Promise<FakeSarvam> {
  const { apiKey } = options;
  if (!apiKey) throw new Error('startFakeSarvam needs an apiKey');
  const state = new ScriptState(options.script ?? {});
  const requests: FakeRequestLog[] = [];
  const sockets = new Set<Socket | Duplex>();
  let nextId = 1;

  const newLog = (req: IncomingMessage, kind: 'http' | 'ws', url: URL, allowSubprotocol: boolean): FakeRequestLog => {
    const entry: FakeRequestLog = {
      id: nextId++,
      kind,
      method: req.method ?? 'GET',
      path: url.pathname,
      rawUrl: req.url ?? '',
      query: queryOf(url),
      headers: redactHeaders(req.headers),
      auth: checkAuth(req.headers, apiKey, allowSubprotocol),
      frames: [],
      at: Date.now(),
    };
    requests.push(entry);
    return entry;
  };

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake.local');
    const log = newLog(req, 'http', url, false);
    res.on('finish', () => (log.status = res.statusCode));
    const route = REST_ROUTES[url.pathname];
    const body = await readBody(req);
    if (!route || req.method !== 'POST') {
      sendJson(res, 404, errorBody(404, 'Not found'));
      return;
    }
    if (!log.auth.ok) {
      sendJson(res, 403, errorBody(403, INVALID_KEY, 'invalid_api_key_error'));
      return;
    }
    const failure = state.takeFailure(route);
    if (failure?.kind === 'status') {
      sendJson(res, failure.status, errorBody(failure.status, failure.message ?? `Injected ${failure.status}`, failure.code), statusHeaders(failure));
      return;
    }
    if (failure?.kind === 'hang') return;
    if (failure?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (failure?.kind === 'malformed') {
      const text = failure.payload ?? '{"request_id":"x","transcript":';
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    if (failure?.kind === 'delay') await sleep(failure.ms);

    const ctx: RestContext = { req, res, body, state, log };
    if (route === 'stt' || route === 'stt-translate') await handleStt(ctx, route === 'stt-translate');
    else if (route === 'tts') await handleTts(ctx);
    else if (route === 'tts-stream') await handleTtsStream(ctx);
    else await handleChat(ctx);
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof FakeHttpError) sendJson(res, err.status, errorBody(err.status, err.message, err.code));
      else sendJson(res, 500, errorBody(500, 'Internal server error'));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 8 * 1024 * 1024,
    // Sarvam echoes the credential subprotocol back; clients (ws, browsers) fail the handshake otherwise.
    handleProtocols: (protocols) => {
      for (const p of protocols) if (p.toLowerCase().startsWith('api-subscription-key.')) return p;
      const first = protocols.values().next();
      return first.done ? false : first.value;
    },
  });

  async function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://fake.local');
    const log = newLog(req, 'ws', url, true);
    const route = WS_ROUTES[url.pathname];
    const reject = (status: number, body: unknown, headers?: Record<string, string>) => {
      log.status = status;
      rejectUpgrade(socket, status, body, headers);
    };
    if (!route) return reject(404, errorBody(404, 'Not found'));
    if (!log.auth.ok) return reject(403, errorBody(403, INVALID_KEY, 'invalid_api_key_error'));
    const failure = state.takeFailure(route);
    if (failure?.kind === 'status') {
      return reject(failure.status, errorBody(failure.status, failure.message ?? `Injected ${failure.status}`, failure.code), statusHeaders(failure));
    }
    if (failure?.kind === 'hang') return;
    if (failure?.kind === 'delay') await sleep(failure.ms);
    if (socket.destroyed) return;

    let makeSession: (io: WsIO) => { onMessage(text: string): void };
    try {
      if (route === 'tts-ws') {
        const p = ttsWsParams(log.query);
        makeSession = (io) => new TtsWsSession(io, p, state);
      } else {
        const p = sttWsParams(log.query, route === 'stt-translate-ws');
        makeSession = (io) => new SttWsSession(io, p, state);
      }
    } catch (err) {
      if (err instanceof FakeHttpError) return reject(err.status, errorBody(err.status, err.message, err.code));
      throw err;
    }

    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      log.status = 101;
      if (ws.protocol) log.protocol = redactProtocols(ws.protocol);
      const io: WsIO = {
        send: (message) => {
          if (ws.readyState !== ws.OPEN) return;
          log.frames.push({ dir: 'out', data: message, at: Date.now() });
          ws.send(JSON.stringify(message));
        },
      };
      const session = makeSession(io);
      const idleMs = state.script.wsIdleTimeoutMs ?? 60_000;
      let idle = setTimeout(() => ws.close(1000, 'idle timeout'), idleMs);
      ws.on('close', () => clearTimeout(idle));
      if (failure?.kind === 'malformed') {
        const payload = failure.payload ?? '{"type":"data","data":';
        log.frames.push({ dir: 'out', data: payload, at: Date.now() });
        ws.send(payload);
      }
      let frames = 0;
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        clearTimeout(idle);
        idle = setTimeout(() => ws.close(1000, 'idle timeout'), idleMs);
        log.frames.push({ dir: 'in', data: describeFrame(data, isBinary), at: Date.now() });
        frames += 1;
        if (failure?.kind === 'drop' && frames >= (failure.afterFrames ?? 1)) {
          ws.terminate();
          return;
        }
        if (failure?.kind === 'error-frame' && frames === 1) {
          const message = failure.message ?? 'Injected stream error';
          io.send(
            route === 'tts-ws'
              ? { type: 'error', data: { message, code: 500 } }
              : { type: 'error', data: { error: message, code: failure.code ?? 'internal_server_error' } },
          );
          return;
        }
        session.onMessage(isBinary ? '' : data.toString('utf8'));
      });
    });
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    onUpgrade(req, socket, head).catch(() => socket.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';

  const control: FakeSarvamControl = {
    inject: (routes, failure, times) => state.inject(routes, failure, times),
    clearFailures: () => state.clearFailures(),
    queueUtterance: (u) => state.queueUtterance(u),
    queueChatReply: (r) => state.queueChatReply(r),
    setTtsDelayMs: (ms) => {
      state.ttsDelayMs = ms;
    },
    closeSockets: (code = 1000, reason = '') => {
      for (const ws of wss.clients) ws.close(code, reason);
    },
    openSockets: () => wss.clients.size,
  };

  return {
    url: `http://${host}:${port}`,
    wsUrl: `ws://${host}:${port}`,
    port,
    requests,
    control,
    clearRequests: () => {
      requests.length = 0;
    },
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => {
        wss.close(() => server.close(() => resolve()));
      });
    },
  };
}
