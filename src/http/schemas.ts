import { z } from 'zod';

/** The public error body, for OpenAPI. */
export const ErrorBody = z.object({
  status: z.literal('error'),
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()) }),
});

export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  429: ErrorBody,
} as const;

/** Routes only the signed-in person may call (`config: { allow: USER_ONLY }`) also answer 403. */
export const userOnlyErrorResponses = { ...errorResponses, 403: ErrorBody } as const;

export const IdParams = z.strictObject({ id: z.string().min(1).max(128) });
