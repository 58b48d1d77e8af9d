import type { Logger } from 'pino';
import type { DomainEventType } from '../../shared/events.js';
import type { Database } from '../db/database.js';
import type { PublishedEvent } from '../events/event-bus.js';
import type { EventLog } from '../events/event-log.js';

export interface EventTailOptions {
  db: Database;
  events: EventLog;
  /** The event types the handler cares about; others are never read. */
  types: readonly DomainEventType[];
  /** The last seq already handled, read when the tail starts. */
  from(): Promise<number>;
  /** Handles one page of events, oldest first; the tail moves past them once it resolves. */
  handle(events: PublishedEvent[]): Promise<void>;
  /** Records that everything up to `seq` was handled (the coordinator keeps its place in Redis). */
  handled?(seq: number): Promise<void>;
  /** A safety net for a lost notification: read anyway this often. @default 2000 */
  pollMs?: number;
  logger: Logger;
}

const PAGE = 500;

/**
 * Follows the event log from a seq, on every node: each committed event is announced on Redis, and the
 * tail then reads what follows its position from the database. The database is the source, the
 * announcement only a wake-up, so a lost announcement delays an event by at most `pollMs` and never
 * loses it; events are handled in seq order, which is commit order.
 */
export class EventTail {
  private cursor = 0;
  private running = false;
  private pumping: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly o: EventTailOptions) {}

  /** Where the tail stands: the last seq handled. */
  get position(): number {
    return this.cursor;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.cursor = await this.o.from();
    this.running = true;
    this.timer = setInterval(() => this.notify(), this.o.pollMs ?? 2000);
    this.timer.unref();
    this.notify();
  }

  /** Stops reading; resolves once the page being handled is done. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.pumping;
  }

  /** Something was committed: read on (once more after the current pass, if one runs). */
  notify(): void {
    if (!this.running) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = this.pump()
      .catch((err) => this.o.logger.error({ err, after: this.cursor }, 'reading the event log failed; retrying at the next poll'))
      .finally(() => {
        this.pumping = null;
        if (this.again && this.running) {
          this.again = false;
          this.notify();
        }
      });
  }

  private async pump(): Promise<void> {
    while (this.running) {
      const page = await this.o.events.since(this.o.db.manager, this.cursor, this.o.types, PAGE);
      if (!page.length) return;
      await this.o.handle(page);
      this.cursor = page.at(-1)!.seq;
      await this.o.handled?.(this.cursor);
      if (page.length < PAGE) return;
    }
  }
}
