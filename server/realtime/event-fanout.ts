import { performance } from 'node:perf_hooks';
import type { EventEnvelope } from '../../shared/events.js';

/** What the fan-out needs of a Socket.IO namespace: its local rooms and a way to emit to some sockets. */
export interface FanoutTarget {
  /** Room name → ids of this node's sockets in it (the adapter's `rooms`). */
  rooms(): ReadonlyMap<string, ReadonlySet<string>>;
  /** Emits one batch to these sockets (by id). */
  emit(socketIds: string[], batch: EventEnvelope[]): void;
}

export interface FanoutOptions {
  /** Pushing to sockets may take at most this share of the time: after a flush that took t, the next waits (1/share − 1)·t. */
  share?: number;
  /** The longest an event waits for the next flush to start. */
  maxDelayMs?: number;
  /** Sockets written to in one go; a flush to more yields to the event loop between slices. */
  sliceSize?: number;
  now?: () => number;
}

/** An event waiting for the next flush, with the rooms whose sockets may see it. */
export interface QueuedEvent {
  envelope: EventEnvelope;
  rooms: string[];
}

/** Some sockets and the events all of them get. */
export interface Delivery {
  socketIds: string[];
  events: EventEnvelope[];
}

/**
 * Coalesces committed events into one `events` frame per socket and flush. Every WebSocket write is a
 * system call, and with hundreds of operators on a line one frame per event per socket is most of what
 * a busy hub does. A quiet hub flushes on the next turn; a busy one lets events gather for a time in
 * proportion to what the last flush cost, so socket writes stay a bounded share of the event loop and
 * an event waits at most `maxDelayMs`. A flush to many sockets goes out in slices with a turn of the
 * event loop between them, so that the database's round trips (the single writer's pace) are not held
 * up for the whole flush. Each socket gets exactly the events its rooms cover, in order.
 */
export class EventFanout {
  private pending: QueuedEvent[] = [];
  private cancelScheduled: (() => void) | null = null;
  private sending = false;
  private holds = 0;
  private lastFlushEnd = -Infinity;
  private lastFlushCost = 0;
  private readonly share: number;
  private readonly maxDelayMs: number;
  private readonly sliceSize: number;
  private readonly now: () => number;

  constructor(private readonly target: FanoutTarget, opts: FanoutOptions = {}) {
    this.share = opts.share ?? 0.25;
    this.maxDelayMs = opts.maxDelayMs ?? 40;
    this.sliceSize = opts.sliceSize ?? 32;
    this.now = opts.now ?? (() => performance.now());
  }

  push(envelope: EventEnvelope, rooms: string[]): void {
    this.pending.push({ envelope, rooms });
    this.schedule();
  }

  /**
   * Keeps events queued while the caller changes who is in which room (a membership change, a removed
   * user): they then go out to the rooms as they are after it, still in order.
   */
  async holding<T>(work: () => Promise<T>): Promise<T> {
    this.holds++;
    try {
      return await work();
    } finally {
      this.holds--;
      this.schedule();
    }
  }

  /** Starts sending what is queued now (the first slice before it returns). */
  flush(): void {
    this.cancelScheduled?.();
    this.cancelScheduled = null;
    if (this.holds > 0 || this.sending || !this.pending.length) return;
    const batch = this.pending;
    this.pending = [];
    const slices = recipients(batch, this.target.rooms()).flatMap(({ socketIds, events }) =>
      chunks(socketIds, this.sliceSize).map((ids) => ({ socketIds: ids, events })));
    this.sending = true;
    let cost = 0;
    const next = (i: number) => {
      const started = this.now();
      this.target.emit(slices[i]!.socketIds, slices[i]!.events);
      cost += this.now() - started;
      if (i + 1 < slices.length) return void setImmediate(() => next(i + 1));
      this.sending = false;
      this.lastFlushEnd = this.now();
      this.lastFlushCost = cost;
      this.schedule();
    };
    if (slices.length) next(0);
    else this.sending = false;
  }

  private schedule(): void {
    if (this.cancelScheduled || this.sending || this.holds > 0 || !this.pending.length) return;
    const gap = Math.min(this.maxDelayMs, this.lastFlushCost * (1 / this.share - 1));
    const wait = this.lastFlushEnd + gap - this.now();
    if (wait > 1) {
      const timer = setTimeout(() => this.flush(), wait);
      this.cancelScheduled = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(() => this.flush());
      this.cancelScheduled = () => clearImmediate(immediate);
    }
  }
}

/**
 * Who gets which events of a batch. When every event has the same rooms (the usual case: one line's
 * traffic) that is one delivery to the sockets of those rooms; otherwise the sockets are grouped by the
 * exact list of events each may see, in seq order.
 */
export function recipients(batch: QueuedEvent[], rooms: ReadonlyMap<string, ReadonlySet<string>>): Delivery[] {
  const first = batch[0]!.rooms.join('\n');
  if (batch.every((p) => p.rooms.join('\n') === first)) {
    const socketIds = new Set<string>();
    for (const room of batch[0]!.rooms) for (const id of rooms.get(room) ?? []) socketIds.add(id);
    return socketIds.size ? [{ socketIds: [...socketIds], events: batch.map((p) => p.envelope) }] : [];
  }
  const seenBy = new Map<string, number[]>();
  batch.forEach((p, i) => {
    for (const room of p.rooms) {
      for (const socketId of rooms.get(room) ?? []) {
        const seen = seenBy.get(socketId);
        if (!seen) seenBy.set(socketId, [i]);
        else if (seen.at(-1) !== i) seen.push(i);
      }
    }
  });
  const groups = new Map<string, Delivery>();
  for (const [socketId, indices] of seenBy) {
    const key = indices.join(',');
    const group = groups.get(key);
    if (group) group.socketIds.push(socketId);
    else groups.set(key, { socketIds: [socketId], events: indices.map((i) => batch[i]!.envelope) });
  }
  return [...groups.values()];
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
