import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * No PHI in logs: requests are logged as method, path (never the query string, which can carry
 * tokens or values) and id; bodies and headers are never serialised. The redact list is a second
 * line of defence for anything a log call passes by mistake.
 */
export const REDACT_PATHS = [
  'req.headers',
  'headers',
  'authorization',
  'password',
  'email',
  'name',
  'token',
  'access_token',
  'refresh_token',
  'key',
  'body',
  'payload',
  'text',
  'transcript',
  '*.password',
  '*.email',
  '*.name',
  '*.token',
  '*.access_token',
  '*.refresh_token',
  '*.key',
  '*.body',
  '*.payload',
  '*.text',
  '*.transcript',
];

export function createLogger(level: string, stream?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: {
        req: (req: { id?: string; method?: string; url?: string; routeOptions?: { url?: string } }) => ({
          id: req.id,
          method: req.method,
          path: (req.url ?? '').split('?')[0],
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        err: pino.stdSerializers.err,
      },
      base: { service: 'podd' },
    },
    stream,
  );
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Honours a well-formed incoming X-Request-Id so a request can be followed across services. */
export function genReqId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}
