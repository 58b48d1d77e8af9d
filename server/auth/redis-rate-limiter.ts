import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { RedisClient } from '../cluster/redis.js';
import type { Limiter } from './rate-limiter.js';

// A sorted set of hit times per key: the same sliding window as the in-process limiter, shared by every node.
const RETRY_AFTER = `redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[2])
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then return 0 end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return tonumber(oldest[2]) + ARGV[2] - ARGV[1]`;
const HIT = `redis.call('ZADD', KEYS[1], ARGV[1], ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

/**
 * Failures per key in a sliding window kept in Redis, so several nodes count together (a guesser
 * spreading attempts over the nodes gets no more tries). When Redis cannot be asked, the check lets
 * the attempt through and logs it: signing in must not depend on Redis being up.
 */
export class RedisRateLimiter implements Limiter {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly max: number,
    private readonly windowMs: number,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async retryAfter(key: string): Promise<number> {
    try {
      return Math.max(0, Number(await this.redis.eval(RETRY_AFTER, { keys: [this.prefix + key], arguments: [String(this.now()), String(this.windowMs), String(this.max)] })));
    } catch (err) {
      this.logger.error({ err }, 'rate limit check failed (Redis); letting the attempt through');
      return 0;
    }
  }

  async hit(key: string): Promise<void> {
    await this.redis.eval(HIT, { keys: [this.prefix + key], arguments: [String(this.now()), String(this.windowMs), `${this.now()}-${randomBytes(4).toString('hex')}`] })
      .catch((err) => this.logger.error({ err }, 'rate limit hit not recorded (Redis)'));
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.prefix + key).catch((err) => this.logger.error({ err }, 'rate limit reset failed (Redis)'));
  }
}
