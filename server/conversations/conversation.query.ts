import { Brackets, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import type { z } from 'zod';
import type { ConversationListQuery } from '../../shared/conversations.js';
import { AppError } from '../errors/app-error.js';
import type { Viewer } from '../events/event-log.js';
import { ConversationEntity, type Conversation } from './conversation.entity.js';

const likeOf = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

const contactLike = (a: string) => `(LOWER(${a}.name) LIKE :like ESCAPE '\\' OR LOWER(${a}.email) LIKE :like ESCAPE '\\' OR ${a}.phone LIKE :like ESCAPE '\\')`;

/**
 * A substring search as SQL: on SQLite a phrase MATCH on the FTS5 trigram tables of migration 0007
 * when the text has three characters or more (a trigram index cannot serve fewer), otherwise
 * `LOWER(column) LIKE '%text%'`, which PostgreSQL serves from its pg_trgm indexes. Both treat `%`,
 * `_` and quotes as plain characters and ignore case.
 */
export function searchSql(manager: EntityManager, q: string) {
  const sqlite = manager.connection.options.type === 'sqlite';
  const phrase = sqlite && [...q].length >= 3 ? `"${q.replace(/"/g, '""')}"` : null;
  const contactIds = phrase ? 'SELECT rowid FROM contacts_search WHERE contacts_search MATCH :phrase' : `SELECT ct.id FROM contacts ct WHERE ${contactLike('ct')}`;
  return {
    params: { like: likeOf(q), ...(phrase ? { phrase } : {}) },
    /** Ids of contacts whose name, e-mail or phone contains the text. */
    contactIds,
    /** The same, tested on each row of contacts aliased `c`: cheap when few rows are read. */
    contactScan: contactLike('c'),
    /**
     * The same, through the index. On PostgreSQL the subquery is fenced (OFFSET 0): otherwise the
     * planner, which cannot tell how rare a fragment is, may walk contacts in id order and test every row.
     */
    contactIndexed: phrase ? `c.id IN (${contactIds})` : sqlite ? contactLike('c') : `c.id IN (${contactIds} OFFSET 0)`,
    /** Ids of conversations with a message whose text contains it. */
    conversationIdsByMessage: phrase
      ? 'SELECT ms.conversation_id FROM messages ms WHERE ms.id IN (SELECT rowid FROM messages_search WHERE messages_search MATCH :phrase)'
      : "SELECT ms.conversation_id FROM messages ms WHERE LOWER(ms.text) LIKE :like ESCAPE '\\'",
  };
}

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
    const search = searchSql(manager, q.q);
    qb.andWhere(new Brackets((w) => {
      w.where(`c.contact_id IN (${search.contactIds})`, search.params).orWhere(`c.id IN (${search.conversationIdsByMessage})`, search.params);
    }));
  }
  if (q.cursor) {
    const m = /^(\d{1,15})_(\d{1,10})$/.exec(q.cursor);
    if (!m) throw new AppError('validation_failed', 'cursor is not one this API returned');
    qb.andWhere('(c.last_message_at < :t OR (c.last_message_at = :t AND c.id < :cid))', { t: Number(m[1]), cid: Number(m[2]) });
  }
  return qb.orderBy('c.last_message_at', 'DESC').addOrderBy('c.id', 'DESC').limit(q.limit + 1);
}
