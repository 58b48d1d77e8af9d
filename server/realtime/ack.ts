import type { Ack } from '../../shared/errors.js';
import { AppError } from '../errors/app-error.js';

export const ackError = (code: AppError['code'], message: string) => ({ ok: false as const, error: { code, message } });

/** Runs a socket handler and answers its acknowledgement with the result or a JSON error. */
export async function toAck<T extends object>(ack: (res: Ack<T>) => void, work: () => Promise<T>): Promise<void> {
  try {
    ack({ ok: true, ...(await work()) });
  } catch (err) {
    ack(err instanceof AppError ? { ok: false, ...err.toBody() } : ackError('internal', 'Something went wrong'));
  }
}
