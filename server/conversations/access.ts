import type { EntityManager } from 'typeorm';
import type { User } from '../users/user.entity.js';
import type { Viewer } from '../events/event-log.js';
import { LineMemberEntity } from '../lines/line.entity.js';
import { ParticipantEntity } from './participant.entity.js';
import { notFound } from '../errors/app-error.js';
import type { Conversation } from './conversation.entity.js';

/** Supervisors and admins see every line; an operator their lines and the dialogs assigned to them. */
export async function viewerOf(manager: EntityManager, user: User): Promise<Viewer> {
  if (user.role !== 'operator') return { userId: user.id, allLines: true, lineIds: [], conversationIds: [] };
  const [members, joined] = await Promise.all([
    manager.find(LineMemberEntity, { where: { userId: user.id } }),
    manager.find(ParticipantEntity, { where: { userId: user.id }, select: { conversationId: true } }),
  ]);
  return { userId: user.id, allLines: false, lineIds: members.map((m) => m.lineId), conversationIds: joined.map((p) => p.conversationId) };
}

/** Staff see all; an operator their lines' dialogs, the ones assigned to them and the ones they were invited to. */
export function canSee(viewer: Viewer, c: Pick<Conversation, 'id' | 'lineId' | 'assigneeId'>): boolean {
  return viewer.allLines || viewer.lineIds.includes(c.lineId) || c.assigneeId === viewer.userId || viewer.conversationIds.includes(c.id);
}

/** Out of scope reads as "not found": an operator cannot learn that another line's dialog exists. */
export function assertCanSee(viewer: Viewer, c: Conversation | null): asserts c is Conversation {
  if (!c || !canSee(viewer, c)) throw notFound('Conversation');
}
