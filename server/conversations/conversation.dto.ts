import { In, type EntityManager } from 'typeorm';
import { CallDetails, type ConversationDto, type MessageDto } from '../../shared/conversations.js';
import { AttachmentEntity, type Attachment } from '../attachments/attachment.entity.js';
import type { ChannelType } from '../../shared/channel.js';
import { ChannelEntity } from '../channels/channel.entity.js';
import { ContactEntity } from '../contacts/contact.entity.js';
import { UserEntity } from '../users/user.entity.js';
import type { Conversation } from './conversation.entity.js';
import type { Message } from './message.entity.js';

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));
const uniq = (xs: number[]) => [...new Set(xs)];

/** Conversations as the API shows them, with channel type and contact name loaded in two queries. */
export async function toConversationDtos(manager: EntityManager, convs: Conversation[]): Promise<ConversationDto[]> {
  if (!convs.length) return [];
  const [channels, contacts] = await Promise.all([
    manager.find(ChannelEntity, { where: { id: In(uniq(convs.map((c) => c.channelId))) }, select: { id: true, type: true } }),
    manager.find(ContactEntity, { where: { id: In(uniq(convs.map((c) => c.contactId))) }, select: { id: true, name: true } }),
  ]);
  const typeOf = new Map(channels.map((c) => [c.id, c.type]));
  const nameOf = new Map(contacts.map((c) => [c.id, c.name]));
  return convs.map((c) => conversationDtoOf(c, typeOf.get(c.channelId) ?? 'webchat', nameOf.get(c.contactId) ?? ''));
}

/** The DTO from facts already in hand (the ingest hot path knows the channel and the contact). */
export function conversationDtoOf(c: Conversation, channelType: ChannelType, contactName: string): ConversationDto {
  return {
    id: c.id, lineId: c.lineId, channelId: c.channelId, channelType, contactId: c.contactId, contactName, status: c.status,
    assigneeId: c.assigneeId, lastMessagePreview: c.lastMessagePreview, lastMessageAt: iso(c.lastMessageAt), waitingSince: isoOrNull(c.waitingSince),
    unreadCount: c.unreadCount, firstReplyAt: isoOrNull(c.firstReplyAt), closedAt: isoOrNull(c.closedAt),
    rating: c.flags.rating ? { ...c.flags.rating, at: iso(c.flags.rating.at) } : null,
    review: c.flags.review ? { ...c.flags.review, at: iso(c.flags.review.at) } : null,
    spam: c.flags.spam === true,
    callBack: c.flags.callBack === true,
    kpi: {
      firstReplySeconds: c.firstReplyAt === null ? null : Math.round((c.firstReplyAt - c.createdAt) / 1000),
      handleSeconds: c.closedAt === null || c.flags.assignedAt === undefined ? null : Math.round((c.closedAt - c.flags.assignedAt) / 1000),
      passOns: c.flags.passOns ?? 0,
      startedOutOfHours: c.flags.startedOutOfHours ?? false,
      averageReplySeconds: c.flags.replyWaits?.length ? Math.round(c.flags.replyWaits.reduce((a, b) => a + b, 0) / c.flags.replyWaits.length) : null,
    },
    createdAt: iso(c.createdAt), updatedAt: iso(c.updatedAt),
  };
}

export async function toConversationDto(manager: EntityManager, conv: Conversation): Promise<ConversationDto> {
  return (await toConversationDtos(manager, [conv]))[0]!;
}

/** Messages as operators see them, with author names and attachments loaded in two queries. */
export async function toMessageDtos(manager: EntityManager, msgs: Message[]): Promise<MessageDto[]> {
  if (!msgs.length) return [];
  const authorIds = uniq(msgs.map((m) => m.authorId).filter((x): x is number => x !== null));
  const [authors, files] = await Promise.all([
    authorIds.length ? manager.find(UserEntity, { where: { id: In(authorIds) }, select: { id: true, name: true } }) : [],
    manager.find(AttachmentEntity, { where: { messageId: In(msgs.map((m) => m.id)) }, order: { id: 'ASC' } }),
  ]);
  const nameOf = new Map(authors.map((a) => [a.id, a.name]));
  return msgs.map((m) => messageDtoOf(m, m.authorId === null ? null : (nameOf.get(m.authorId) ?? null), files.filter((f) => f.messageId === m.id)));
}

export async function toMessageDto(manager: EntityManager, m: Message): Promise<MessageDto> {
  return (await toMessageDtos(manager, [m]))[0]!;
}

/** The DTO from facts already in hand. */
export function messageDtoOf(m: Message, authorName: string | null, files: Attachment[]): MessageDto {
  return {
    id: m.id, conversationId: m.conversationId, direction: m.direction, visibility: m.visibility, kind: m.kind, authorId: m.authorId,
    authorName, text: m.text, html: m.html,
    attachments: files.map((f) => ({ id: f.id, fileName: f.fileName, mimeType: f.mimeType, size: f.size, url: `/api/attachments/${f.id}` })),
    deliveryStatus: m.deliveryStatus, deliveryError: m.deliveryError,
    call: m.kind === 'call' ? callOf(m.meta.call) : null,
    createdAt: iso(m.createdAt),
  };
}

/** Call details kept in a call message's meta; anything that does not fit the shape is not shown. */
function callOf(raw: unknown): CallDetails | null {
  const parsed = CallDetails.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

export const preview = (text: string, attachments: number) =>
  (text.trim() || (attachments ? `📎 ${attachments} file${attachments > 1 ? 's' : ''}` : '')).replace(/\s+/g, ' ').slice(0, 200);

export const scopeOf = (c: Conversation, prevAssigneeId: number | null = null) => ({
  lineId: c.lineId, conversationId: c.id, assigneeId: c.assigneeId, prevAssigneeId,
});
