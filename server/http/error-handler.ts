import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { AppError } from '../errors/app-error.js';

/** Turns anything thrown into the one JSON error shape; internals are logged, never sent. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const e = toAppError(err);
    if (e.status >= 500) logger.error({ err, method: req.method, url: req.originalUrl }, 'request failed');
    if (res.headersSent) return void res.end();
    res.status(e.status).json(e.toBody());
  };
}

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as { type?: string; name?: string; code?: string; status?: number; message?: string };
  if (e?.type === 'entity.parse.failed') return new AppError('bad_request', 'The request body is not valid JSON');
  if (e?.type === 'entity.too.large') return new AppError('payload_too_large', 'The request body is too large');
  if (e?.status === 404) return new AppError('not_found', 'Not found');
  return new AppError('internal', 'Something went wrong on our side');
}
