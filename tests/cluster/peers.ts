import { existsSync } from 'node:fs';
import { createClient } from 'redis';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const NGINX = process.env.TEST_NGINX ?? '/usr/sbin/nginx';

/**
 * Whether the cluster suites' peers are here: Redis (and nginx when asked). Locally a missing one skips
 * the suite with the reason printed; under CI=true it is a failure, so a green CI ran them.
 */
export async function clusterPeersAvailable(o: { nginx: boolean }): Promise<boolean> {
  const missing: string[] = [];
  const client = createClient({ url: REDIS_URL, socket: { connectTimeout: 2000, reconnectStrategy: false } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    missing.push(`Redis at ${REDIS_URL} (${(err as Error).message})`);
  } finally {
    if (client.isOpen) await client.close();
  }
  if (o.nginx && !existsSync(NGINX)) missing.push(`nginx at ${NGINX} (apt-get install nginx)`);
  if (!missing.length) return true;
  if (process.env.CI === 'true') throw new Error(`The cluster suites need ${missing.join(' and ')}`);
  console.warn(`[skip] cluster suites skipped: missing ${missing.join(' and ')}`);
  return false;
}

/** Deletes every key under a test's prefix. */
export async function dropKeys(prefix: string): Promise<void> {
  const client = createClient({ url: REDIS_URL });
  client.on('error', () => undefined);
  await client.connect();
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) if (keys.length) await client.del(keys);
  } finally {
    await client.close();
  }
}
