import { createHmac, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Logger } from 'pino';
import { Lease, LeasedWork, type LeasedJob } from './lease.js';
import { connectRedis, type RedisClient } from './redis.js';

/** Entries kept in the adapter's stream (Redis trims it approximately). */
const STREAM_ENTRIES = 60_000;

export interface ClusterOptions {
  url: string;
  /** Every key and channel starts with it. */
  prefix: string;
  /** How long a lease lasts without renewal (`CLUSTER_LEASE_SECONDS`). */
  leaseMs: number;
  /** The hub secret: every node must have the same one. */
  secret: string;
  logger: Logger;
}

/**
 * What nodes tell each other: `committed` (the highest event seq just committed: followers read on
 * from the database), `released` (a lease is free now), `channel` (a channel's settings changed:
 * restart it), `outbox` (a reply was queued: whoever sends on its channel looks now).
 */
export type ClusterTopic = 'committed' | 'released' | 'channel' | 'outbox';

/**
 * This node's membership in a cluster of identical nodes sharing one PostgreSQL database and one
 * Redis: the Socket.IO Redis Streams adapter, named leases for work that must run once (a connector's inbound
 * loop, the coordinator), notes between nodes on one Redis channel, exclusive start-up steps.
 */
export class Cluster {
  /** Shown in `/healthz` and logs: host, pid and a random suffix, unique per process. */
  readonly nodeId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly works = new Map<string, LeasedWork>();
  private readonly listeners = new Map<ClusterTopic, Array<(data: string, fromSelf: boolean) => void>>();
  private announced = 0;
  private announcing = false;

  private constructor(
    readonly options: ClusterOptions,
    /** Leases, rate limits, notes: fails fast while Redis is unreachable rather than queueing. */
    readonly commands: RedisClient,
    private readonly pub: RedisClient,
    private readonly sub: RedisClient,
  ) {}

  static async connect(options: ClusterOptions): Promise<Cluster> {
    const logger = options.logger;
    const commands = await connectRedis(options.url, logger, { name: 'commands', failFast: true });
    const pub = await connectRedis(options.url, logger, { name: 'publish', failFast: false });
    const sub = await connectRedis(options.url, logger, { name: 'subscribe', failFast: false });
    const cluster = new Cluster(options, commands, pub, sub);
    try {
      await cluster.checkSecret();
      await sub.subscribe(cluster.key('cluster'), (message: string) => cluster.onNote(message));
    } catch (err) {
      await cluster.close();
      throw err;
    }
    return cluster;
  }

  key(name: string): string {
    return this.options.prefix + name;
  }

  /**
   * Socket.IO's Redis Streams adapter: a room emit on any node reaches the sockets of every node, and
   * it lands in a Redis stream, so a widget that lost its node resumes on another one with the packets
   * it missed (connection-state recovery; sessions are kept in Redis too). The stream keeps the newest
   * STREAM_ENTRIES emits: at 500 widget messages a second, about the recovery window.
   */
  adapter(): ReturnType<typeof createAdapter> {
    const base = this.key('socket.io');
    return createAdapter(this.pub, {
      streamName: base, channelPrefix: base, sessionKeyPrefix: this.key('socket.io-session:'), maxLen: STREAM_ENTRIES,
      // A stopping node's stream reader notices within this time (it is between two blocking reads).
      blockTimeInMs: 1000,
    });
  }

  /** Runs `job` on whichever single node holds the lease `name`; this node keeps trying until the handle is closed. */
  lead(name: string, job: LeasedJob): LeasedWork {
    const lease = new Lease(this.commands, this.key(`lease:${name}`), `${this.nodeId}:${randomBytes(4).toString('hex')}`, this.options.leaseMs);
    const work = new LeasedWork(lease, job, { logger: this.options.logger.child({ lease: name }), onReleased: () => this.tell('released', name) });
    this.works.set(name, work);
    return work.begin();
  }

  /** Names of the leases this node holds now. */
  held(): string[] {
    return [...this.works].filter(([, w]) => w.isHeld).map(([name]) => name).sort();
  }

  /**
   * Runs `fn` while no other node runs a step of the same name (start-up migrations and bootstrap),
   * waiting for its turn.
   */
  async exclusive<T>(name: string, fn: () => Promise<T>, waitMs = 300_000): Promise<T> {
    const lease = new Lease(this.commands, this.key(`lock:${name}`), `${this.nodeId}:${randomBytes(4).toString('hex')}`, this.options.leaseMs);
    const giveUp = Date.now() + waitMs;
    for (;;) {
      const r = await lease.tryAcquire();
      if (r.held) break;
      if (Date.now() > giveUp) throw new Error(`another node held the "${name}" step for over ${Math.round(waitMs / 1000)} s`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(r.retryInMs, 50), 500)));
    }
    const renew = setInterval(() => void lease.renew().catch(() => undefined), Math.floor(this.options.leaseMs / 3));
    try {
      return await fn();
    } finally {
      clearInterval(renew);
      await lease.release().catch(() => undefined);
    }
  }

  /** After a commit: tell every node (this one too) that events up to `seq` exist; bursts send one note. */
  announce(seq: number): void {
    this.announced = Math.max(this.announced, seq);
    if (this.announcing) return;
    this.announcing = true;
    setImmediate(() => {
      this.announcing = false;
      this.tell('committed', String(this.announced));
    });
  }

  tell(topic: ClusterTopic, data: string): void {
    this.commands.publish(this.key('cluster'), JSON.stringify({ t: topic, from: this.nodeId, d: data }))
      .catch((err: Error) => this.options.logger.warn({ err: { message: err.message }, topic }, 'could not tell the other nodes'));
  }

  on(topic: ClusterTopic, fn: (data: string, fromSelf: boolean) => void): void {
    const list = this.listeners.get(topic) ?? [];
    list.push(fn);
    this.listeners.set(topic, list);
  }

  /** A follower's saved position (the coordinator's last handled seq), or null when none was saved. */
  async cursor(name: string): Promise<number | null> {
    const v = await this.commands.get(this.key(`cursor:${name}`));
    return v === null ? null : Number(v);
  }

  /** Saves a position only while `work` still holds its lease, so a node that lost it cannot move its successor back. */
  async saveCursor(name: string, work: LeasedWork, seq: number): Promise<boolean> {
    return work.lease.setIfHeld(this.key(`cursor:${name}`), String(seq));
  }

  /** Releases every lease still held and disconnects from Redis. */
  async close(): Promise<void> {
    await Promise.all([...this.works.values()].map((w) => w.close()));
    for (const c of [this.sub, this.pub, this.commands]) {
      if (c.isOpen) await c.close().catch(() => c.destroy());
    }
  }

  private onNote(message: string): void {
    let note: { t: ClusterTopic; from: string; d: string };
    try {
      note = JSON.parse(message);
    } catch {
      return;
    }
    if (note.t === 'released') this.works.get(note.d)?.poke();
    for (const fn of this.listeners.get(note.t) ?? []) {
      try {
        fn(note.d, note.from === this.nodeId);
      } catch (err) {
        this.options.logger.error({ err, topic: note.t }, 'cluster note handler failed');
      }
    }
  }

  /** Nodes with different secrets would each fail to read what the others sealed: refuse to start instead. */
  private async checkSecret(): Promise<void> {
    const key = this.key('secret-check');
    const mine = createHmac('sha256', this.options.secret).update('omniline cluster secret check').digest('hex').slice(0, 32);
    await this.commands.set(key, mine, { condition: 'NX' });
    if ((await this.commands.get(key)) !== mine) {
      throw new Error(`HUB_SECRET differs from the other nodes sharing this Redis (${this.options.prefix}): give every node the same HUB_SECRET (after a deliberate change, delete the Redis key ${key})`);
    }
  }
}
