/** Pure helpers keeping a thread's messages ordered by id, oldest first, one entry per id. */
import type { MessageDto } from '../../../shared/conversations';

function lowerBound(items: readonly MessageDto[], id: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((items[mid] as MessageDto).id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const RANK = { pending: 0, sent: 1, failed: 1, delivered: 2, read: 3 } as const;

/**
 * Messages carry no version, and a REST answer may be older than a live event for the same
 * message (the reply's POST answers "pending" after the event said "sent"). Delivery only moves
 * forward, except a retry, which takes a failed message back to pending.
 */
export function mergeDelivery(current: MessageDto, incoming: MessageDto): MessageDto {
  const a = current.deliveryStatus;
  const b = incoming.deliveryStatus;
  if (!a || !b || a === b) return incoming;
  const retry = a === 'failed' && b === 'pending';
  if (retry || RANK[b] >= RANK[a]) return incoming;
  return { ...incoming, deliveryStatus: a, deliveryError: current.deliveryError };
}

/** Insert or replace `message` in place; returns true when it was new. */
export function upsertMessage(items: MessageDto[], message: MessageDto): boolean {
  const at = lowerBound(items, message.id);
  const current = items[at];
  if (current?.id === message.id) {
    items[at] = mergeDelivery(current, message);
    return false;
  }
  items.splice(at, 0, message);
  return true;
}

/** Merge a page (any order) into the thread; returns how many were new. */
export function mergeMessages(items: MessageDto[], page: readonly MessageDto[]): number {
  const sorted = [...page].sort((a, b) => a.id - b.id);
  const first = sorted[0];
  // Fast path: an older page goes in front as a block.
  if (first && items.length > 0 && (sorted.at(-1) as MessageDto).id < (items[0] as MessageDto).id) {
    items.unshift(...sorted);
    return sorted.length;
  }
  let added = 0;
  for (const m of sorted) if (upsertMessage(items, m)) added++;
  return added;
}

export function oldestId(items: readonly MessageDto[]): number | undefined {
  return items[0]?.id;
}
