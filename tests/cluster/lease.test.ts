import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lease, LeasedWork } from '../../server/cluster/lease.js';
import { connectRedis, type RedisClient } from '../../server/cluster/redis.js';
import { eventually } from '../helpers/clients.js';
import { clusterPeersAvailable, dropKeys, REDIS_URL } from './peers.js';

const available = await clusterPeersAvailable({ nginx: false });
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A job that records when it runs. */
function job() {
  const log: string[] = [];
  let running = false;
  return {
    log,
    get running() {
      return running;
    },
    async start() {
      running = true;
      log.push('start');
    },
    async stop() {
      running = false;
      log.push('stop');
    },
  };
}

describe.runIf(available)('leases in Redis', () => {
  const prefix = `omniline-test-${randomBytes(4).toString('hex')}:`;
  let redis: RedisClient;
  beforeAll(async () => {
    redis = await connectRedis(REDIS_URL, logger, { name: 'test', failFast: true });
  });
  afterAll(async () => {
    await dropKeys(prefix);
    await redis?.close();
  });

  it('has one holder at a time; the other learns how long to wait; only the holder renews or releases', async () => {
    const a = new Lease(redis, `${prefix}one`, 'node-a', 5000);
    const b = new Lease(redis, `${prefix}one`, 'node-b', 5000);
    expect(await a.tryAcquire()).toEqual({ held: true });
    const refused = await b.tryAcquire();
    expect(refused.held).toBe(false);
    expect(!refused.held && refused.retryInMs).toBeGreaterThan(4000);
    expect(await a.tryAcquire()).toEqual({ held: true }); // asking again while holding keeps it
    expect(await b.renew()).toBe(false);
    expect(await b.release()).toBe(false);
    expect(await a.renew()).toBe(true);
    expect(await a.setIfHeld(`${prefix}cursor`, '41')).toBe(true);
    expect(await b.setIfHeld(`${prefix}cursor`, '7')).toBe(false);
    expect(await redis.get(`${prefix}cursor`)).toBe('41');
    expect(await a.release()).toBe(true);
    expect(await b.tryAcquire()).toEqual({ held: true });
    await b.release();
  });

  it('expires when not renewed; the old holder can then neither renew nor delete the new holder\'s lease', async () => {
    const a = new Lease(redis, `${prefix}two`, 'node-a', 300);
    const b = new Lease(redis, `${prefix}two`, 'node-b', 300);
    expect((await a.tryAcquire()).held).toBe(true);
    expect((await b.tryAcquire()).held).toBe(false);
    await sleep(350);
    expect((await b.tryAcquire()).held).toBe(true);
    expect(await a.renew()).toBe(false);
    expect(await a.release()).toBe(false);
    expect(await redis.get(`${prefix}two`)).toBe('node-b');
    await b.release();
  });

  it('runs the job on exactly one of two nodes, and hands over at once when the holder closes', async () => {
    const [ja, jb] = [job(), job()];
    const mk = (j: ReturnType<typeof job>, token: string, other: () => LeasedWork) =>
      new LeasedWork(new Lease(redis, `${prefix}three`, token, 3000), j, { logger, onReleased: () => other().poke() });
    let wa!: LeasedWork;
    let wb!: LeasedWork;
    wa = mk(ja, 'node-a', () => wb).begin();
    await eventually(() => ja.running, 'node a runs the job');
    wb = mk(jb, 'node-b', () => wa).begin();
    await sleep(1200); // several renewals
    expect([ja.running, jb.running]).toEqual([true, false]);
    expect([wa.isHeld, wb.isHeld]).toEqual([true, false]);
    const closedAt = Date.now();
    await wa.close();
    expect(ja.log).toEqual(['start', 'stop']);
    await eventually(() => jb.running, 'node b takes over', 1000);
    // Released, not expired: well under the 3 s lease time.
    expect(Date.now() - closedAt).toBeLessThan(500);
    await wb.close();
    expect(await redis.exists(`${prefix}three`)).toBe(0);
  });

  it('takes over within the lease time when the holder dies without releasing', async () => {
    const jb = job();
    // Node a takes the lease and dies at once (as with SIGKILL): it neither renews nor releases.
    expect((await new Lease(redis, `${prefix}four`, 'node-a', 600).tryAcquire()).held).toBe(true);
    const diedAt = Date.now();
    const wb = new LeasedWork(new Lease(redis, `${prefix}four`, 'node-b', 600), jb, { logger }).begin();
    await eventually(() => jb.running, 'node b takes over', 2000);
    const took = Date.now() - diedAt;
    // It asked Redis how long the lease had left and came back right then, not at a fixed poll.
    expect(took).toBeGreaterThanOrEqual(590);
    expect(took).toBeLessThanOrEqual(600 + 150);
    await wb.close();
  });

  it('stops the job at once when Redis refuses a renewal (the lease went to someone else)', async () => {
    const j = job();
    const w = new LeasedWork(new Lease(redis, `${prefix}five`, 'node-a', 900), j, { logger }).begin();
    await eventually(() => j.running, 'the job runs');
    await redis.set(`${prefix}five`, 'intruder', { expiration: { type: 'PX', value: 5000 } });
    const at = Date.now();
    await eventually(() => !j.running, 'the job stops', 1000);
    expect(Date.now() - at).toBeLessThanOrEqual(300 + 100); // at the next renewal, a third of the lease time
    expect(w.isHeld).toBe(false);
    await w.close();
    expect(await redis.get(`${prefix}five`)).toBe('intruder');
  });

  it('gives the lease up when its work cannot start, and tries again later', async () => {
    let attempts = 0;
    const failing = {
      async start() {
        attempts++;
        if (attempts < 3) throw new Error('database unreachable');
      },
      async stop() {},
    };
    const other = new Lease(redis, `${prefix}six`, 'node-b', 300);
    const w = new LeasedWork(new Lease(redis, `${prefix}six`, 'node-a', 300), failing, { logger }).begin();
    // Between failed starts the lease is free: another node could take it.
    await eventually(async () => attempts === 1 && !w.isHeld && (await redis.exists(`${prefix}six`)) === 0, 'released after the failed start', 1000);
    expect(await other.tryAcquire()).toEqual({ held: true });
    await other.release();
    await eventually(() => attempts >= 3 && w.isHeld, 'started at the third try', 3000);
    await w.close();
  });

  it('stops the job when renewals cannot be confirmed for two thirds of the lease time (Redis unreachable)', async () => {
    const j = job();
    let reachable = true;
    const fake = {
      key: 'fake', ttlMs: 600,
      tryAcquire: async () => ({ held: true as const }),
      renew: async () => {
        if (!reachable) throw new Error('connection refused');
        return true;
      },
      release: async () => true,
    } as unknown as Lease;
    const w = new LeasedWork(fake, j, { logger }).begin();
    await eventually(() => j.running, 'the job runs');
    await sleep(250);
    reachable = false;
    const at = Date.now();
    await eventually(() => !j.running, 'the job stops', 1500);
    // Never later than two thirds of the lease after the last confirmed renewal (plus one retry step).
    expect(Date.now() - at).toBeLessThanOrEqual(400 + 250);
    await w.close();
  });
});
