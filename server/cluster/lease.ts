import type { Logger } from 'pino';
import type { RedisClient } from './redis.js';

// Each script runs atomically in Redis, so "is it still mine?" and the change are one step.
/** Take the lease if free (or already ours); otherwise answer how long the holder still has it. */
const ACQUIRE = `if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return -1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return -1 end
return redis.call('PTTL', KEYS[1])`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const SET_IF_HELD = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[2], ARGV[2]) return 1 end return 0`;

/**
 * One named lease in Redis (`SET key token NX PX ttl`): at most one holder at a time, and a holder
 * that stops renewing loses it after `ttlMs`. Renewal and release compare the token first, so a node
 * whose lease already passed to another can neither extend nor delete the new holder's.
 */
export class Lease {
  constructor(
    private readonly redis: RedisClient,
    readonly key: string,
    readonly token: string,
    readonly ttlMs: number,
  ) {}

  /** Held now, or how many milliseconds the current holder still has it. */
  async tryAcquire(): Promise<{ held: true } | { held: false; retryInMs: number }> {
    const r = Number(await this.redis.eval(ACQUIRE, { keys: [this.key], arguments: [this.token, String(this.ttlMs)] }));
    return r === -1 ? { held: true } : { held: false, retryInMs: Math.max(0, r) };
  }

  /** Extends the lease to a full `ttlMs`; false when it is no longer ours (expired, taken over). */
  async renew(): Promise<boolean> {
    return Number(await this.redis.eval(RENEW, { keys: [this.key], arguments: [this.token, String(this.ttlMs)] })) === 1;
  }

  /** Gives the lease up at once, so another node need not wait for it to expire. */
  async release(): Promise<boolean> {
    return Number(await this.redis.eval(RELEASE, { keys: [this.key], arguments: [this.token] })) === 1;
  }

  /** Writes `key` only while this lease is ours (fencing: a holder that lost it cannot overwrite its successor's state). */
  async setIfHeld(key: string, value: string): Promise<boolean> {
    return Number(await this.redis.eval(SET_IF_HELD, { keys: [this.key, key], arguments: [this.token, value] })) === 1;
  }
}

/** Work that must run on one node at a time: started when the lease is won, stopped when it is lost or given up. */
export interface LeasedJob {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface LeasedWorkOptions {
  logger: Logger;
  /** Called after the lease was released, so waiting nodes can be told to try at once. */
  onReleased?(): void;
  now?: () => number;
}

/**
 * Keeps trying to hold a lease and runs the job while it does. Renews every third of the lease time;
 * a renewal Redis refuses stops the job at once, and so does one that cannot be confirmed for two
 * thirds of the lease time (Redis unreachable), well before another node could win the lease. A
 * waiting node retries when the holder's lease runs out (it asks Redis how long that is) or when told
 * that the lease was released.
 */
export class LeasedWork {
  private held = false;
  private closed = false;
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();
  private lastRenewedAt = 0;
  private readonly now: () => number;
  readonly renewEveryMs: number;

  constructor(
    readonly lease: Lease,
    private readonly job: LeasedJob,
    private readonly opts: LeasedWorkOptions,
  ) {
    this.now = opts.now ?? Date.now;
    this.renewEveryMs = Math.max(50, Math.floor(lease.ttlMs / 3));
  }

  /** Whether this node holds the lease (and so runs the job) now. */
  get isHeld(): boolean {
    return this.held;
  }

  begin(): this {
    this.schedule(0);
    return this;
  }

  /** The lease was released somewhere: try for it now rather than at the next attempt. */
  poke(): void {
    if (!this.held && !this.closed) this.schedule(Math.floor(Math.random() * 20));
  }

  /** Stops the job if it runs, releases the lease and stops trying. */
  async close(): Promise<void> {
    if (this.closed) return this.chain;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.held) {
      this.held = false;
      await this.run('stop');
      const released = await this.lease.release().catch((err) => {
        this.opts.logger.warn({ err, key: this.lease.key }, 'could not release the lease; it expires on its own');
        return false;
      });
      if (released) this.opts.onReleased?.();
    }
    await this.chain;
  }

  private schedule(ms: number): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.timer = null;
    if (this.closed) return;
    const sentAt = this.now();
    if (!this.held) {
      let r: Awaited<ReturnType<Lease['tryAcquire']>>;
      try {
        r = await this.lease.tryAcquire();
      } catch (err) {
        this.opts.logger.warn({ err, key: this.lease.key }, 'could not ask Redis for the lease; retrying');
        return this.schedule(this.renewEveryMs);
      }
      if (this.closed) {
        if (r.held) await this.lease.release().catch(() => undefined);
        return;
      }
      if (!r.held) return this.schedule(Math.min(r.retryInMs + 5 + Math.floor(Math.random() * 20), this.renewEveryMs));
      this.held = true;
      this.lastRenewedAt = sentAt;
      this.opts.logger.info({ key: this.lease.key }, 'lease acquired; starting its work');
      // Work that cannot start gives the lease up, so that another node (or this one, later) tries.
      void this.run('start').then((ok) => ok || this.giveUp());
      return this.schedule(this.renewEveryMs);
    }
    let ok: boolean | null;
    try {
      ok = await this.lease.renew();
    } catch (err) {
      this.opts.logger.warn({ err, key: this.lease.key }, 'lease renewal failed');
      ok = null;
    }
    if (this.closed || !this.held) return;
    if (ok) {
      this.lastRenewedAt = sentAt;
      return this.schedule(this.renewEveryMs);
    }
    if (ok === null && this.now() - this.lastRenewedAt < (this.lease.ttlMs * 2) / 3) return this.schedule(Math.min(250, this.renewEveryMs));
    this.held = false;
    this.opts.logger.warn({ key: this.lease.key, refused: ok === false }, 'lease lost; its work stops now');
    void this.run('stop');
    this.schedule(this.renewEveryMs);
  }

  private giveUp(): void {
    if (!this.held || this.closed) return;
    this.held = false;
    void this.run('stop');
    void this.lease.release().then((released) => released && this.opts.onReleased?.(), () => undefined);
    this.schedule(this.renewEveryMs);
  }

  /** Start and stop run one after the other, never overlapping; resolves with whether the step succeeded. */
  private run(what: 'start' | 'stop'): Promise<boolean> {
    const step = this.chain
      .then(() => (what === 'start' ? this.job.start() : this.job.stop()))
      .then(() => true, (err) => {
        this.opts.logger.error({ err, key: this.lease.key }, `leased work failed to ${what}`);
        return false;
      });
    this.chain = step.then(() => undefined);
    return step;
  }
}
