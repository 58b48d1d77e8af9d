/** Pure figures for the supervisor view, computed from the conversations known locally. */
import type { ConversationDto } from '../../../shared/conversations';
import type { UserDto } from '../../../shared/users';

export interface OperatorLoad {
  user: UserDto;
  open: number;
  waiting: number;
}

export function operatorLoads(users: readonly UserDto[], conversations: Iterable<ConversationDto>): OperatorLoad[] {
  const open = new Map<number, number>();
  const waiting = new Map<number, number>();
  for (const c of conversations) {
    if (c.status === 'closed' || c.assigneeId === null) continue;
    open.set(c.assigneeId, (open.get(c.assigneeId) ?? 0) + 1);
    if (c.waitingSince) waiting.set(c.assigneeId, (waiting.get(c.assigneeId) ?? 0) + 1);
  }
  const rank = { online: 0, away: 1, offline: 2 } as const;
  return users
    .map((user) => ({ user, open: open.get(user.id) ?? 0, waiting: waiting.get(user.id) ?? 0 }))
    .sort((a, b) => rank[a.user.presence] - rank[b.user.presence] || b.open - a.open || a.user.name.localeCompare(b.user.name));
}

export function queueOf(conversations: Iterable<ConversationDto>): ConversationDto[] {
  const out: ConversationDto[] = [];
  for (const c of conversations) if (c.assigneeId === null && c.status !== 'closed') out.push(c);
  const t = (c: ConversationDto) => Date.parse(c.waitingSince ?? c.createdAt);
  return out.sort((a, b) => t(a) - t(b));
}
