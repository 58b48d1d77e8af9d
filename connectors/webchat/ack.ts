import type { ErrorCode } from '../../shared/errors.js';

export const ackError = (code: ErrorCode, message: string, details?: unknown) => ({
  ok: false as const,
  error: { code, message, ...(details === undefined ? {} : { details }) },
});

/** Errors thrown by the hub carry a code; anything else is reported without its internals. */
export function toAckError(err: unknown) {
  const e = err as { code?: unknown; message?: unknown; details?: unknown };
  if (typeof e?.code === 'string' && typeof e.message === 'string' && /^[a-z_]+$/.test(e.code)) {
    return ackError(e.code as ErrorCode, e.message, e.details);
  }
  return ackError('internal', 'Something went wrong; please try again');
}
