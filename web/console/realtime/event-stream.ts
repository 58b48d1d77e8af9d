/**
 * Ordered, idempotent application of the operator event log, independent of Socket.IO.
 *
 * - First connect: `sync(null)` only learns `lastSeq`; the caller then loads lists by REST.
 * - Every reconnect: `sync(lastSeq)` is repeated while `hasMore`, applying each page in order.
 * - Live events that arrive while a sync is in flight are buffered and applied after it, by seq.
 * - Every event is applied at most once (a set of applied seqs), so replays are harmless.
 *
 * @example
 * const stream = new EventStream((e) => dispatch(e));
 * socket.on('events', (batch) => batch.forEach((e) => stream.receive(e)));
 * socket.on('connect', () => stream.sync((afterSeq) => emitSync(socket, afterSeq)));
 */
import type { EventEnvelope } from '../../../shared/events';
import type { SyncResult } from '../../../shared/operator-socket';

export type SyncFetch = (afterSeq: number | null) => Promise<SyncResult>;
export type ApplyEvent = (event: EventEnvelope, live: boolean) => void;

export interface SyncOutcome {
  /** True when this was a first sync (no `lastSeq` known before): the caller should reload by REST. */
  initial: boolean;
  /** Events applied from the log (not counting buffered live ones). */
  replayed: number;
}

export class EventStream {
  /** Highest seq known; null until the first sync answers. */
  lastSeq: number | null = null;
  private readonly applied = new Set<number>();
  private buffer: EventEnvelope[] = [];
  private syncing = false;

  constructor(
    private readonly apply: ApplyEvent,
    /** How many applied seqs to remember; older ones fall out (their events are far behind `lastSeq`). */
    private readonly memory = 5000,
  ) {}

  get isSyncing(): boolean {
    return this.syncing;
  }

  /** A live event from the socket. */
  receive(event: EventEnvelope): void {
    if (this.syncing || this.lastSeq === null) this.buffer.push(event);
    else this.applyOnce(event, true);
  }

  /** Catch up with the log; resolves once the log and the buffered live events are applied. */
  async sync(fetch: SyncFetch): Promise<SyncOutcome> {
    if (this.syncing) throw new Error('EventStream.sync called while a sync is in flight');
    this.syncing = true;
    const initial = this.lastSeq === null;
    let replayed = 0;
    try {
      if (initial) {
        const result = await fetch(null);
        this.lastSeq = Math.max(this.lastSeq ?? 0, result.lastSeq);
      } else {
        let afterSeq = this.lastSeq as number;
        for (;;) {
          const result = await fetch(afterSeq);
          const events = [...result.events].sort((a, b) => a.seq - b.seq);
          for (const event of events) if (this.applyOnce(event, false)) replayed++;
          const last = events.at(-1);
          if (!result.hasMore || !last || last.seq <= afterSeq) break;
          afterSeq = last.seq;
        }
      }
    } finally {
      this.syncing = false;
      this.flush();
    }
    return { initial, replayed };
  }

  /** Forget the position, so the next sync is a first one (after a failed resync the caller reloads by REST). */
  forget(): void {
    this.lastSeq = null;
  }

  private flush(): void {
    const pending = this.buffer.sort((a, b) => a.seq - b.seq);
    this.buffer = [];
    if (this.lastSeq === null) {
      this.buffer = pending;
      return;
    }
    for (const event of pending) this.applyOnce(event, true);
  }

  private applyOnce(event: EventEnvelope, live: boolean): boolean {
    if (this.applied.has(event.seq)) return false;
    this.applied.add(event.seq);
    if (this.applied.size > this.memory) {
      const oldest = this.applied.values().next().value;
      if (oldest !== undefined) this.applied.delete(oldest);
    }
    this.lastSeq = Math.max(this.lastSeq ?? 0, event.seq);
    this.apply(event, live);
    return true;
  }
}
