import type { Presence } from '../../shared/users.js';
import type { Routing } from '../../shared/routing.js';

/** A line member as distribution sees them. */
export interface Candidate {
  userId: number;
  /** Queue order of the line. */
  position: number;
  presence: Presence;
  /** Dialogs that count against the limit (per the line's `capacityCounts`). */
  load: number;
  /** 0 = no limit. */
  capacity: number;
  lastAssignedAt: number | null;
}

export function available(c: Candidate, onlineOnly: boolean): boolean {
  return (!onlineOnly || c.presence === 'online') && (c.capacity === 0 || c.load < c.capacity);
}

/**
 * Who gets the next dialog, or null when nobody may (or, in "to everyone", when it is offered to all
 * and the first to take it wins). `after` is the operator passing it on, for "strictly in order".
 */
export function pickOperator(routing: Pick<Routing, 'mode' | 'onlineOnly'>, candidates: Candidate[], skip: ReadonlySet<number>, after: number | null = null): Candidate | null {
  if (routing.mode === 'everyone') return null;
  const ordered = [...candidates].sort((a, b) => a.position - b.position);
  const open = ordered.filter((c) => !skip.has(c.userId) && available(c, routing.onlineOnly));
  if (!open.length) return null;
  const idle = (c: Candidate) => c.lastAssignedAt ?? -Infinity;
  switch (routing.mode) {
    case 'in_order': {
      // Strictly in order: the first in the list, or after a pass-on the next one, wrapping around.
      const from = after === null ? -1 : (ordered.find((c) => c.userId === after)?.position ?? -1);
      return open.find((c) => c.position > from) ?? open[0]!;
    }
    case 'least_busy':
      return open.reduce((best, c) => (c.load < best.load || (c.load === best.load && idle(c) < idle(best)) ? c : best));
    default:
      // Evenly: whoever has waited longest since their last dialog; never-assigned first, ties by queue order.
      return open.reduce((best, c) => (idle(c) < idle(best) ? c : best));
  }
}

/**
 * Who a call rings for, in order: everyone available at once (line mode "to everyone", in queue
 * order), or one after another as distribution would hand out dialogs, each pick leaving the list.
 */
export function ringOrder(routing: Pick<Routing, 'mode' | 'onlineOnly'>, candidates: Candidate[]): { mode: 'simultaneous' | 'sequential'; userIds: number[] } {
  if (routing.mode === 'everyone') {
    const open = [...candidates].sort((a, b) => a.position - b.position).filter((c) => available(c, routing.onlineOnly));
    return { mode: 'simultaneous', userIds: open.map((c) => c.userId) };
  }
  const picked = new Set<number>();
  for (let next = pickOperator(routing, candidates, picked); next; next = pickOperator(routing, candidates, picked)) picked.add(next.userId);
  return { mode: 'sequential', userIds: [...picked] };
}
