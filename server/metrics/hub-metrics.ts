import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PublishedEvent } from '../events/event-bus.js';
import type { Database } from '../db/database.js';

export interface MetricsSources {
  db: Database;
  /** Rows waiting in the outbox (pending sends and retries). */
  outboxBacklog(): Promise<number>;
  /** Connected sockets per Socket.IO namespace, on this node. */
  sockets(): Record<string, number>;
  clock: () => number;
}

/**
 * What an operator of Omniline watches in Prometheus. Counters follow committed domain events (never
 * inline calls in services); gauges are read from the database when scraped, so every node reports the
 * same queue and a restart loses nothing but the counters' running totals.
 */
export class HubMetrics {
  readonly registry = new Registry();
  private readonly messages = new Counter({
    name: 'omniline_messages_total', help: 'Public messages stored, by channel and direction (in = from clients, out = replies and calls placed).',
    labelNames: ['channel_id', 'channel_type', 'direction'] as const, registers: [this.registry],
  });
  private readonly ingestSeconds = new Histogram({
    name: 'omniline_ingest_duration_seconds', help: 'Time from a connector handing over a customer message to its commit.',
    labelNames: ['channel_type'] as const, buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [this.registry],
  });

  constructor(sources: MetricsSources) {
    collectDefaultMetrics({ register: this.registry, prefix: 'omniline_' });
    const db = sources.db;
    const clock = sources.clock;
    // One query feeds both queue gauges; prom-client awaits async collect() on every scrape.
    let pending: Promise<Array<{ lineId: number; n: number; oldest: number | null }>> | null = null;
    const readQueues = () =>
      (pending ??= db.manager
        .query(`SELECT line_id AS "lineId", COUNT(*) AS n, MIN(COALESCE(waiting_since, created_at)) AS oldest FROM conversations WHERE status = 'queued' GROUP BY line_id`)
        .then((rows: Array<Record<string, unknown>>) => rows.map((r) => ({ lineId: Number(r.lineId), n: Number(r.n), oldest: r.oldest === null ? null : Number(r.oldest) })))
        .finally(() => setImmediate(() => (pending = null))));
    new Gauge({
      name: 'omniline_queue_length', help: 'Dialogs waiting for an operator (queued), per line.', labelNames: ['line_id'] as const, registers: [this.registry],
      async collect() {
        this.reset();
        for (const r of await readQueues()) this.set({ line_id: String(r.lineId) }, r.n);
      },
    });
    new Gauge({
      name: 'omniline_queue_oldest_wait_seconds', help: 'How long the longest-waiting queued dialog has waited, per line.', labelNames: ['line_id'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const r of await readQueues()) this.set({ line_id: String(r.lineId) }, r.oldest === null ? 0 : Math.max(0, (clock() - r.oldest) / 1000));
      },
    });
    new Gauge({
      name: 'omniline_outbox_backlog', help: 'Outbound messages not yet handed to their channel (pending and retrying).', registers: [this.registry],
      async collect() {
        this.set(await sources.outboxBacklog());
      },
    });
    new Gauge({
      name: 'omniline_connected_sockets', help: 'Socket.IO connections on this node, per namespace.', labelNames: ['namespace'] as const, registers: [this.registry],
      collect() {
        this.reset();
        for (const [namespace, n] of Object.entries(sources.sockets())) this.set({ namespace }, n);
      },
    });
  }

  /** A bus listener: counts what committed. */
  onEvent(e: PublishedEvent): void {
    if (e.type !== 'message.created' || e.payload.message.visibility !== 'public') return;
    const { conversation, message } = e.payload;
    this.messages.inc({ channel_id: String(conversation.channelId), channel_type: conversation.channelType, direction: message.direction });
  }

  /** Times one ingest; failures are timed too (they cost the same wait). */
  async timeIngest<T>(channelType: string, work: () => Promise<T>): Promise<T> {
    const end = this.ingestSeconds.startTimer({ channel_type: channelType });
    try {
      return await work();
    } finally {
      end();
    }
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
