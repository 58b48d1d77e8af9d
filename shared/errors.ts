import { z } from 'zod';

/** Every error the API returns, over HTTP or a socket acknowledgement. */
export const ErrorCode = z.enum([
  'bad_request',
  'validation_failed',
  'unauthenticated',
  'forbidden',
  'csrf_failed',
  'not_found',
  'conflict',
  'rate_limited',
  'payload_too_large',
  'unsupported_media_type',
  'unavailable',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorBody = z.object({
  error: z.object({
    code: ErrorCode,
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Socket acknowledgements carry either `{ ok: true, ... }` or an {@link ErrorBody}. */
export type Ack<T> = ({ ok: true } & T) | ({ ok: false } & ErrorBody);
