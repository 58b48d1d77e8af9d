import type { Logger } from 'pino';
import { LessThanOrEqual } from 'typeorm';
import type { Database, Tx } from '../db/database.js';
import { TimerEntity, type Timer, type TimerKind } from './timer.entity.js';

export type TimerHandler = (tx: Tx, timer: Timer) => Promise<void>;

/**
 * Deadlines kept as rows: a timer is claimed by deleting it in the same transaction that acts on
 * it, so it fires once, and one that was due while the hub was down fires as soon as it is back.
 */
export class TimerService {
  private readonly handlers = new Map<TimerKind, TimerHandler>();
  private poll: NodeJS.Timeout | null = null;
  private next: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();
  private inFlight = 0;

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    private readonly clock: () => number,
    private readonly pollMs = 1000,
  ) {}

  on(kind: TimerKind, handler: TimerHandler): void {
    this.handlers.set(kind, handler);
  }

  /** Sets (or moves) the one timer of this kind for the conversation. */
  async schedule(tx: Tx, kind: TimerKind, conversationId: number, dueAt: number, payload: Record<string, unknown> = {}): Promise<void> {
    await tx.manager.delete(TimerEntity, { kind, conversationId });
    await tx.insertRow('timers', { kind, conversation_id: conversationId, due_at: dueAt, payload: JSON.stringify(payload) });
    tx.afterCommit(() => this.wakeAt(dueAt));
  }

  async cancel(tx: Tx, kind: TimerKind, conversationId: number): Promise<void> {
    await tx.manager.delete(TimerEntity, { kind, conversationId });
  }

  start(): void {
    if (this.poll) return;
    this.poll = setInterval(() => this.inFlight === 0 && void this.fireDue(), this.pollMs);
    this.poll.unref();
    void this.fireDue();
  }

  async stop(): Promise<void> {
    if (this.poll) clearInterval(this.poll);
    if (this.next) clearTimeout(this.next);
    this.poll = this.next = null;
    await this.chain;
  }

  /** Fires every timer that is due by the clock now; a call during a run gets a fresh pass after it. */
  fireDue(): Promise<void> {
    this.inFlight++;
    const run = this.chain.then(() => this.drain()).finally(() => this.inFlight--);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const due = await this.db.manager.find(TimerEntity, { where: { dueAt: LessThanOrEqual(this.clock()) }, order: { dueAt: 'ASC', id: 'ASC' }, take: 50 });
      if (!due.length) return;
      for (const t of due) await this.fire(t);
    }
  }

  private async fire(t: Timer): Promise<void> {
    const handler = this.handlers.get(t.kind);
    try {
      await this.db.write(async (tx) => {
        const claimed = await tx.manager.delete(TimerEntity, { id: t.id });
        if (!claimed.affected) return; // another node fired it
        if (handler) await handler(tx, t);
      });
    } catch (err) {
      // The timer is back (rolled back); try it again later rather than spinning on it.
      this.logger.error({ err, timer: t.kind, conversationId: t.conversationId }, 'timer failed; retrying in 30 s');
      await this.db.write((tx) => tx.manager.update(TimerEntity, { id: t.id }, { dueAt: this.clock() + 30_000 })).catch(() => undefined);
    }
  }

  /** Fires a timer on time rather than at the next poll. */
  private wakeAt(dueAt: number): void {
    if (!this.poll) return;
    const delay = dueAt - this.clock();
    if (delay > this.pollMs) return;
    if (this.next) clearTimeout(this.next);
    this.next = setTimeout(() => void this.fireDue(), Math.max(0, delay));
    this.next.unref();
  }
}
