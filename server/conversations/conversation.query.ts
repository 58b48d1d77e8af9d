import { Brackets, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import type { z } from 'zod';
import type { ConversationListQuery } from '../../shared/conversations.js';
import { AppError } from '../errors/app-error.js';
import type { Viewer } from '../events/event-log.js';
import { ConversationEntity, type Conversation } from './conversation.entity.js';

const likeOf = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/** The inbox query: scope tab, filters, search, keyset pagination on (last activity, id), newest first. */
export function conversationListQuery(manager: EntityManager, viewer: Viewer, q: z.output<typeof ConversationListQuery>): SelectQueryBuilder<Conversation> {
  const qb = manager.createQueryBuilder(ConversationEntity, 'c');
  if (!viewer.allLines) {
    qb.andWhere(new Brackets((w) => {
      w.where('c.assignee_id = :me', { me: viewer.userId });
      if (viewer.lineIds.length) w.orWhere('c.line_id IN (:...lines)', { lines: viewer.lineIds });
      if (viewer.conversationIds.length) w.orWhere('c.id IN (:...joined)', { joined: viewer.conversationIds });
    }));
  }
  switch (q.scope) {
    // Mine: assigned to me, or a colleague's dialog I was invited to help with.
    case 'mine':
      qb.andWhere("c.status <> 'closed'").andWhere(new Brackets((w) => {
        w.where('c.assignee_id = :me', { me: viewer.userId });
        if (viewer.conversationIds.length) w.orWhere('c.id IN (:...joinedMine)', { joinedMine: viewer.conversationIds });
      }));
      break;
    case 'queue': qb.andWhere("c.assignee_id IS NULL AND c.status <> 'closed'"); break;
    case 'closed': qb.andWhere("c.status = 'closed'"); break;
    default: if (!q.status) qb.andWhere("c.status <> 'closed'");
  }
  if (q.status) qb.andWhere('c.status = :status', { status: q.status });
  if (q.lineId) qb.andWhere('c.line_id = :lineId', { lineId: q.lineId });
  if (q.channelId) qb.andWhere('c.channel_id = :channelId', { channelId: q.channelId });
  if (q.assigneeId) qb.andWhere('c.assignee_id = :assigneeId', { assigneeId: q.assigneeId });
  if (q.contactId) qb.andWhere('c.contact_id = :contactId', { contactId: q.contactId });
  if (q.q) {
    const like = likeOf(q.q);
    qb.andWhere(new Brackets((w) => {
      w.where("c.contact_id IN (SELECT ct.id FROM contacts ct WHERE LOWER(ct.name) LIKE :like ESCAPE '\\' OR LOWER(ct.email) LIKE :like ESCAPE '\\' OR ct.phone LIKE :like ESCAPE '\\')", { like })
        .orWhere("c.id IN (SELECT ms.conversation_id FROM messages ms WHERE LOWER(ms.text) LIKE :like ESCAPE '\\')", { like });
    }));
  }
  if (q.cursor) {
    const m = /^(\d{1,15})_(\d{1,10})$/.exec(q.cursor);
    if (!m) throw new AppError('validation_failed', 'cursor is not one this API returned');
    qb.andWhere('(c.last_message_at < :t OR (c.last_message_at = :t AND c.id < :cid))', { t: Number(m[1]), cid: Number(m[2]) });
  }
  return qb.orderBy('c.last_message_at', 'DESC').addOrderBy('c.id', 'DESC').limit(q.limit + 1);
}
