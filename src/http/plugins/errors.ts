import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, errorBody, type ErrorCode, type ErrorDetails } from '../../errors.js';

interface PublicError {
  status: number;
  code: ErrorCode;
  message: string;
  details: ErrorDetails;
  headers: Record<string, string>;
}

const CONTEXT_PREFIX: Record<string, string> = { body: '', querystring: 'query.', params: 'params.', headers: 'headers.' };

function validationDetails(err: { validation: Array<{ instancePath?: string; message?: string }>; validationContext?: string }) {
  const prefix = CONTEXT_PREFIX[err.validationContext ?? 'body'] ?? '';
  const details: ErrorDetails = {};
  for (const v of err.validation) {
    const path = (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
    const key = prefix + path || err.validationContext || 'body';
    if (!(key in details)) details[key] = v.message ?? 'Invalid value';
  }
  return details;
}

/** Maps anything thrown in a request to the public error format. Never exposes internals. */
export function toPublicError(err: unknown): PublicError {
  if (err instanceof AppError) {
    return { status: err.statusCode, code: err.code, message: err.message, details: err.details, headers: err.headers };
  }
  const e = err as FastifyError & { validationContext?: string };
  if (hasZodFastifySchemaValidationErrors(e)) {
    return { status: 400, code: 'VALIDATION_ERROR', message: 'Request validation failed', details: validationDetails(e), headers: {} };
  }
  const base = { details: {}, headers: {} };
  switch (e?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { ...base, status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'Request body is too large' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return e.statusCode === 415
        ? { ...base, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported content type' }
        : { ...base, status: 400, code: 'BAD_REQUEST', message: 'Bad request' };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { ...base, status: 400, code: 'BAD_REQUEST', message: 'Malformed JSON body' };
    default:
      break;
  }
  const status = typeof e?.statusCode === 'number' ? e.statusCode : 500;
  if (e instanceof SyntaxError && status === 400) {
    return { ...base, status: 400, code: 'BAD_REQUEST', message: 'Malformed JSON body' };
  }
  if (status === 404) return { ...base, status, code: 'NOT_FOUND', message: 'Not found' };
  if (status === 413) return { ...base, status, code: 'PAYLOAD_TOO_LARGE', message: 'Request body is too large' };
  if (status === 415) return { ...base, status, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported content type' };
  if (status === 429) return { ...base, status, code: 'RATE_LIMITED', message: 'Too many requests' };
  if (status >= 400 && status < 500) return { ...base, status, code: 'BAD_REQUEST', message: 'Bad request' };
  return { ...base, status: 500, code: 'INTERNAL', message: 'Something went wrong on our side' };
}

export function sendError(reply: FastifyReply, err: PublicError) {
  return reply.status(err.status).headers(err.headers).send(errorBody(err.code, err.message, err.details));
}

async function errorsPlugin(app: FastifyInstance) {
  app.setErrorHandler((err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const pub = toPublicError(err);
    if (pub.status >= 500) {
      // The stack stays in our logs; the client gets a request id to quote.
      req.log.error({ err, code: pub.code }, 'request failed');
    } else {
      req.log.info({ code: pub.code, status: pub.status }, 'request rejected');
    }
    return sendError(reply, pub);
  });
  app.setNotFoundHandler((_req, reply) =>
    sendError(reply, { status: 404, code: 'NOT_FOUND', message: 'Route not found', details: {}, headers: {} }),
  );
}

export default fp(errorsPlugin, { name: 'podd-errors' });
