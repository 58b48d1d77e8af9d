import type { Conversation } from './conversation.entity.js';

/** Every conversation column under its entity name, for hand-written SELECTs on hot paths. */
export const CONVERSATION_COLUMNS = [
  'id', 'line_id AS "lineId"', 'channel_id AS "channelId"', 'contact_id AS "contactId"', 'contact_external_id AS "contactExternalId"',
  'thread_key AS "threadKey"', 'status', 'assignee_id AS "assigneeId"', 'last_message_preview AS "lastMessagePreview"',
  'last_message_at AS "lastMessageAt"', 'waiting_since AS "waitingSince"', 'unread_count AS "unreadCount"', 'first_reply_at AS "firstReplyAt"',
  'closed_at AS "closedAt"', 'flags', 'created_at AS "createdAt"', 'updated_at AS "updatedAt"',
].join(', ');

const num = (v: unknown) => Number(v);
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** A row of {@link CONVERSATION_COLUMNS} as the entity (PostgreSQL returns bigints as strings). */
export function conversationOf(r: Record<string, unknown>): Conversation {
  return {
    id: num(r.id), lineId: num(r.lineId), channelId: num(r.channelId), contactId: num(r.contactId), contactExternalId: String(r.contactExternalId),
    threadKey: String(r.threadKey), status: r.status as Conversation['status'], assigneeId: numOrNull(r.assigneeId),
    lastMessagePreview: String(r.lastMessagePreview), lastMessageAt: num(r.lastMessageAt), waitingSince: numOrNull(r.waitingSince),
    unreadCount: num(r.unreadCount), firstReplyAt: numOrNull(r.firstReplyAt), closedAt: numOrNull(r.closedAt),
    flags: typeof r.flags === 'string' ? JSON.parse(r.flags || '{}') : ((r.flags as Conversation['flags']) ?? {}), createdAt: num(r.createdAt),
    updatedAt: num(r.updatedAt),
  };
}
