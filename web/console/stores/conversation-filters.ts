/**
 * Pure rules deciding which conversations an inbox tab shows, so live events can move a dialog
 * between tabs without asking the server again.
 */
import type { ConversationDto, ConversationStatus } from '../../../shared/conversations';

export const SCOPES = ['mine', 'queue', 'all', 'closed'] as const;
export type Scope = (typeof SCOPES)[number];

export interface InboxFilters {
  lineId: number | null;
  channelId: number | null;
  status: ConversationStatus | null;
  q: string;
}

export const emptyFilters = (): InboxFilters => ({ lineId: null, channelId: null, status: null, q: '' });

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (SCOPES as readonly string[]).includes(value);
}

const NONE: ReadonlySet<number> = new Set();

/**
 * Whether `c` belongs to the tab `scope` for the operator `meId`. `joined` holds the dialogs the
 * operator was invited into or follows: they count as "mine" too, as on the server.
 */
export function inScope(
  c: ConversationDto,
  scope: Scope,
  meId: number | null,
  statusFilter: ConversationStatus | null = null,
  joined: ReadonlySet<number> = NONE,
): boolean {
  switch (scope) {
    case 'mine':
      return ((c.assigneeId !== null && c.assigneeId === meId) || joined.has(c.id)) && c.status !== 'closed';
    case 'queue':
      return c.assigneeId === null && c.status !== 'closed';
    case 'all':
      return statusFilter !== null || c.status !== 'closed';
    case 'closed':
      return c.status === 'closed';
  }
}

/** Case-insensitive search over what the row shows; the server may match more (message text). */
export function matchesSearch(c: ConversationDto, q: string): boolean {
  const needle = q.trim().toLowerCase();
  if (!needle) return true;
  return c.contactName.toLowerCase().includes(needle) || c.lastMessagePreview.toLowerCase().includes(needle) || String(c.id) === needle;
}

/** Line, channel and status filters (not the search text). */
export function matchesFilters(c: ConversationDto, f: InboxFilters): boolean {
  if (f.lineId !== null && c.lineId !== f.lineId) return false;
  if (f.channelId !== null && c.channelId !== f.channelId) return false;
  if (f.status !== null && c.status !== f.status) return false;
  return true;
}

const time = (iso: string | null | undefined) => (iso ? Date.parse(iso) : 0);

/** The queue: longest waiting first. Other tabs: newest activity first. */
export function compareFor(scope: Scope): (a: ConversationDto, b: ConversationDto) => number {
  if (scope === 'queue') {
    return (a, b) => time(a.waitingSince ?? a.createdAt) - time(b.waitingSince ?? b.createdAt) || a.id - b.id;
  }
  return (a, b) => time(b.lastMessageAt) - time(a.lastMessageAt) || b.id - a.id;
}

/** Pinned dialogs first (each group keeps the tab's own order). */
export function pinnedFirst<T extends { id: number }>(compare: (a: T, b: T) => number, pinned: ReadonlySet<number>): (a: T, b: T) => number {
  return (a, b) => Number(pinned.has(b.id)) - Number(pinned.has(a.id)) || compare(a, b);
}

/** True when `incoming` is not older than `current` (events may replay after a fresher REST answer). */
export function isNewer(incoming: ConversationDto, current: ConversationDto | undefined): boolean {
  return !current || time(incoming.updatedAt) >= time(current.updatedAt);
}

/** Why an update deserves a sound: it became mine, or it entered the queue. */
export function notificationFor(previous: ConversationDto | undefined, next: ConversationDto, meId: number | null): 'assigned' | 'queued' | null {
  if (next.status === 'closed') return null;
  if (meId !== null && next.assigneeId === meId && previous?.assigneeId !== meId) return 'assigned';
  const queuedNow = next.assigneeId === null && next.status === 'queued';
  const queuedBefore = previous !== undefined && previous.assigneeId === null && previous.status === 'queued';
  return queuedNow && !queuedBefore ? 'queued' : null;
}
