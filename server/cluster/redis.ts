import type { Logger } from 'pino';
import { createClient } from 'redis';

export type RedisClient = ReturnType<typeof createClient>;

/**
 * A connected node-redis client. Errors are logged (an unhandled `error` event would end the process)
 * and the client reconnects on its own. `failFast` clients reject commands while disconnected instead
 * of queueing them, so a lease renewal or a rate-limit check answers rather than hangs.
 */
export async function connectRedis(url: string, logger: Logger, o: { name: string; failFast: boolean }): Promise<RedisClient> {
  const client = createClient({
    url,
    disableOfflineQueue: o.failFast,
    socket: { connectTimeout: 5000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** Math.min(retries, 5), 2000) },
  });
  let lastLogged = 0;
  client.on('error', (err: Error) => {
    // A reconnect loop repeats the same error many times a second: once every few seconds is enough.
    if (Date.now() - lastLogged < 5000) return;
    lastLogged = Date.now();
    logger.error({ err: { message: err.message }, redis: o.name }, 'Redis connection error');
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`cannot reach Redis at ${redact(url)} within 10 s`)), 10_000))),
    ]);
  } catch (err) {
    client.destroy();
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return client;
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'REDIS_URL';
  }
}
