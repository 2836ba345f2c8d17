/**
 * One error type for the whole service. Anything thrown below the HTTP layer that a client
 * should see is an AppError; everything else becomes a 500 INTERNAL with no details.
 */
export type ErrorCode =
  | 'VALIDATION_ERROR'
  | 'BAD_REQUEST'
  | 'INVALID_CREDENTIALS'
  | 'UNAUTHORIZED'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_INVALID'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'INTERNAL';

const STATUS: Record<ErrorCode, number> = {
  VALIDATION_ERROR: 400,
  BAD_REQUEST: 400,
  INVALID_CREDENTIALS: 401,
  UNAUTHORIZED: 401,
  TOKEN_EXPIRED: 401,
  TOKEN_INVALID: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  UPSTREAM_UNAVAILABLE: 503,
  INTERNAL: 500,
};

export type ErrorDetails = Record<string, unknown>;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly details: ErrorDetails;
  /** Extra response headers, e.g. Retry-After on 429/503. */
  readonly headers: Record<string, string>;

  constructor(
    code: ErrorCode,
    message: string,
    details: ErrorDetails = {},
    options: { statusCode?: number; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.statusCode = options.statusCode ?? STATUS[code];
    this.details = details;
    this.headers = options.headers ?? {};
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

export const validationError = (details: ErrorDetails, message = 'Request validation failed') =>
  new AppError('VALIDATION_ERROR', message, details);

export const notFound = (what = 'Resource') => new AppError('NOT_FOUND', `${what} not found`);

export const conflict = (message: string, details: ErrorDetails = {}) =>
  new AppError('CONFLICT', message, details);

export const upstreamUnavailable = (service: string, retryAfterS?: number) =>
  new AppError(
    'UPSTREAM_UNAVAILABLE',
    `${service} is unavailable, please try again shortly`,
    {},
    retryAfterS ? { headers: { 'retry-after': String(retryAfterS) } } : {},
  );

/** The public body for an error, as the spec defines it. */
export function errorBody(code: ErrorCode | string, message: string, details: ErrorDetails = {}) {
  return { status: 'error' as const, error: { code, message, details } };
}

/** Turns zod issues into `{ "field.path": "message" }` details. */
export function zodIssuesToDetails(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
  prefix = '',
): ErrorDetails {
  const details: ErrorDetails = {};
  for (const issue of issues) {
    const key = [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '_';
    if (!(key in details)) details[key] = issue.message;
  }
  return details;
}
