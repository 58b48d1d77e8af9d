/** Pure figures for the supervisor view, computed from the conversations known locally. */
import type { ConversationDto } from '../../../shared/conversations';
import type { UserDto } from '../../../shared/users';

export interface OperatorLoad {
  user: UserDto;
  open: number;
  waiting: number;
  /** The clients' average rating (CSAT) of this operator's closed dialogs known here. */
  rating: { average: number; count: number } | null;
}

export function operatorLoads(users: readonly UserDto[], conversations: Iterable<ConversationDto>): OperatorLoad[] {
  const open = new Map<number, number>();
  const waiting = new Map<number, number>();
  const scores = new Map<number, number[]>();
  for (const c of conversations) {
    if (c.assigneeId === null) continue;
    if (c.rating) scores.set(c.assigneeId, [...(scores.get(c.assigneeId) ?? []), c.rating.score]);
    if (c.status === 'closed') continue;
    open.set(c.assigneeId, (open.get(c.assigneeId) ?? 0) + 1);
    if (c.waitingSince) waiting.set(c.assigneeId, (waiting.get(c.assigneeId) ?? 0) + 1);
  }
  const rank = { online: 0, away: 1, offline: 2 } as const;
  return users
    .map((user) => ({ user, open: open.get(user.id) ?? 0, waiting: waiting.get(user.id) ?? 0, rating: averageOf(scores.get(user.id)) }))
    .sort((a, b) => rank[a.user.presence] - rank[b.user.presence] || b.open - a.open || a.user.name.localeCompare(b.user.name));
}

function averageOf(scores: number[] | undefined): OperatorLoad['rating'] {
  if (!scores?.length) return null;
  return { average: Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 10) / 10, count: scores.length };
}

export function queueOf(conversations: Iterable<ConversationDto>): ConversationDto[] {
  const out: ConversationDto[] = [];
  for (const c of conversations) if (c.assigneeId === null && c.status !== 'closed') out.push(c);
  const t = (c: ConversationDto) => Date.parse(c.waitingSince ?? c.createdAt);
  return out.sort((a, b) => t(a) - t(b));
}

export type RatingFilter = 'all' | 'rated' | 'low' | 'unreviewed';

/**
 * Closed dialogs for the quality list, last closed first: all, those the client rated, those
 * rated 1–2 (to look at first), or those no supervisor has reviewed yet.
 */
export function closedForReview(conversations: Iterable<ConversationDto>, filter: RatingFilter = 'all', limit = 50): ConversationDto[] {
  const keep = (c: ConversationDto) =>
    c.status === 'closed' &&
    (filter === 'all' || (filter === 'rated' && c.rating !== null) || (filter === 'low' && c.rating !== null && c.rating.score <= 2) || (filter === 'unreviewed' && c.review === null));
  const t = (c: ConversationDto) => Date.parse(c.closedAt ?? c.updatedAt);
  return [...conversations].filter(keep).sort((a, b) => t(b) - t(a) || b.id - a.id).slice(0, limit);
}

/** Average client rating over dialogs, for the panel heading. */
export function ratingSummary(conversations: Iterable<ConversationDto>): OperatorLoad['rating'] {
  return averageOf([...conversations].flatMap((c) => (c.rating ? [c.rating.score] : [])));
}
