import type { Logger } from 'pino';
import { DomainEventPayloads, type DomainEventType } from '../../shared/events.js';
import type { Database } from '../db/database.js';
import type { EventBus, PublishedEvent } from '../events/event-bus.js';
import type { EventLog } from '../events/event-log.js';
import type { Cluster } from './cluster.js';
import { EventTail } from './event-tail.js';
import type { LeasedJob, LeasedWork } from './lease.js';

/** Every node follows every event: it pushes them to its own sockets and keeps its caches current. */
const NODE_EVENTS = Object.keys(DomainEventPayloads) as DomainEventType[];
/** The coordinator follows what distribution and automatic messages react to. */
const COORDINATOR_EVENTS: DomainEventType[] = ['conversation.created', 'conversation.updated', 'message.created', 'user.updated', 'line.updated'];

export interface NodeRolesDeps {
  cluster: Cluster;
  db: Database;
  bus: EventBus;
  events: EventLog;
  logger: Logger;
  /** This node's share of an event: push to its sockets, drop cached state (in seq order, awaited). */
  follow(e: PublishedEvent): Promise<void>;
  /** The coordinator's share of an event (routing, automation); the returned work is awaited per page. */
  coordinate(e: PublishedEvent): Array<Promise<unknown>>;
  /** What runs only on the coordinator besides following events: timers, line openings, a first distribution pass. */
  coordinator: LeasedJob;
  reloadChannel(channelId: number): Promise<void>;
  wakeOutbox(): void;
}

/**
 * What makes identical processes one service. The node that commits a change only announces its seq
 * on Redis; every node then reads the shared event log on from where it stands, in seq order, and
 * pushes to its own sockets (a client that saw seq N has had every event of its scope before N,
 * whichever node it was on: the log, not a fire-and-forget broadcast, is what reaches it). One node,
 * the holder of the `coordinator` lease, runs routing, automatic messages and timers, reading the log
 * from where the previous coordinator stopped (kept in Redis), so an event committed on any node is
 * handled once even across a failover (the handlers tolerate a repeat of the last page).
 */
export function nodeRoles(d: NodeRolesDeps) {
  const { cluster, db, events, logger } = d;
  let lead: LeasedWork | null = null;
  let running = false;
  /** Channels changed elsewhere while this node was starting: restarted once its connectors are up. */
  const changed = new Set<number>();

  const own = new EventTail({
    db, events, types: NODE_EVENTS, pollMs: 1000, logger: logger.child({ part: 'node-events' }),
    from: () => events.lastSeq(db.manager),
    async handle(page) {
      for (const e of page) await d.follow(e);
    },
  });
  const coordinated = new EventTail({
    db, events, types: COORDINATOR_EVENTS, logger: logger.child({ part: 'coordinator' }),
    from: async () => {
      const [saved, last] = await Promise.all([cluster.cursor('coordinator'), events.lastSeq(db.manager)]);
      // A saved position beyond the log (a database reset under a kept Redis) would skip events.
      return saved === null ? last : Math.min(saved, last);
    },
    handle: async (page) => void (await Promise.all(page.flatMap((e) => d.coordinate(e)))),
    handled: async (seq) => void (lead && (await cluster.saveCursor('coordinator', lead, seq))),
  });

  d.bus.subscribe((e) => cluster.announce(e.seq));
  cluster.on('committed', () => {
    own.notify();
    coordinated.notify();
  });
  const reload = (id: number) => void d.reloadChannel(id).catch((err) => logger.error({ err, channelId: id }, 'channel reload failed'));
  cluster.on('channel', (id, fromSelf) => {
    if (fromSelf) return;
    if (running) reload(Number(id));
    else changed.add(Number(id));
  });
  cluster.on('outbox', () => running && d.wakeOutbox());

  return {
    /** Whether this node holds the coordinator lease now. */
    get coordinating(): boolean {
      return lead?.isHeld ?? false;
    },
    /** Once the connectors run: follow the log, apply channel changes made meanwhile, try for the coordinator lease. */
    async start(): Promise<void> {
      await own.start();
      running = true;
      for (const id of changed) reload(id);
      changed.clear();
      lead = cluster.lead('coordinator', {
        start: async () => {
          await coordinated.start();
          await d.coordinator.start();
        },
        stop: async () => {
          await coordinated.stop();
          await d.coordinator.stop();
        },
      });
    },
    /** Hands the coordinator lease on (at once, not after it expires) and stops following the log. */
    async stop(): Promise<void> {
      running = false;
      await lead?.close();
      await own.stop();
    },
  };
}
