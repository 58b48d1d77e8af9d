import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisRateLimiter } from '../../server/auth/redis-rate-limiter.js';
import { connectRedis, type RedisClient } from '../../server/cluster/redis.js';
import { clusterPeersAvailable, dropKeys, REDIS_URL } from './peers.js';

const available = await clusterPeersAvailable({ nginx: false });
const logger = pino({ level: 'silent' });

describe.runIf(available)('sign-in rate limits shared through Redis', () => {
  const prefix = `omniline-test-${randomBytes(4).toString('hex')}:`;
  let redis: RedisClient;
  beforeAll(async () => {
    redis = await connectRedis(REDIS_URL, logger, { name: 'test', failFast: true });
  });
  afterAll(async () => {
    await dropKeys(prefix);
    await redis?.close();
  });

  it('counts the hits of every node in one sliding window, as the in-process limiter does', async () => {
    let now = 1_000_000;
    // Two nodes, one store: a guesser spreading attempts over them gets no more tries.
    const nodeA = new RedisRateLimiter(redis, prefix, 3, 1000, logger, () => now);
    const nodeB = new RedisRateLimiter(redis, prefix, 3, 1000, logger, () => now);
    for (const node of [nodeA, nodeB, nodeA]) {
      expect(await node.retryAfter('k')).toBe(0);
      await node.hit('k');
      now += 100;
    }
    expect(await nodeB.retryAfter('k')).toBe(700);
    expect(await nodeA.retryAfter('other')).toBe(0);
    now = 1_000_000 + 1001;
    expect(await nodeA.retryAfter('k')).toBe(0);
    await nodeA.hit('k');
    await nodeB.reset('k');
    expect(await nodeA.retryAfter('k')).toBe(0);
    expect(await redis.pTTL(`${prefix}k`)).toBe(-2);
  });

  it('lets the attempt through (and logs) when Redis cannot be asked', async () => {
    const broken = { eval: async () => { throw new Error('connection refused'); }, del: async () => { throw new Error('connection refused'); } } as unknown as RedisClient;
    const limiter = new RedisRateLimiter(broken, prefix, 1, 1000, logger);
    await limiter.hit('k');
    expect(await limiter.retryAfter('k')).toBe(0);
    await limiter.reset('k');
  });
});
