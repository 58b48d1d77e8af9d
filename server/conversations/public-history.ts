import { In, Not, type EntityManager } from 'typeorm';
import type { PublicMessage, StoredFile } from '../../connectors/contract.js';
import { AttachmentEntity } from '../attachments/attachment.entity.js';
import { UserEntity } from '../users/user.entity.js';
import { ConversationEntity, type Conversation } from './conversation.entity.js';
import { MessageEntity } from './message.entity.js';

/**
 * What a customer may read back on a channel: public messages only, and outbound ones only once
 * they were actually sent. Internal notes and system events are filtered here, in the query.
 */
export class PublicHistory {
  constructor(private readonly manager: () => EntityManager, private readonly filePath: (storageKey: string) => Promise<string>) {}

  private conversations(channelId: number, externalId: string): Promise<Conversation[]> {
    return this.manager().find(ConversationEntity, { where: { channelId, contactExternalId: externalId }, select: { id: true } });
  }

  async messages(channelId: number, externalId: string, afterId: number, limit = 200): Promise<PublicMessage[]> {
    const convs = await this.conversations(channelId, externalId);
    if (!convs.length) return [];
    const m = this.manager();
    const rows = await m
      .createQueryBuilder(MessageEntity, 'm')
      .where('m.conversation_id IN (:...ids)', { ids: convs.map((c) => c.id) })
      .andWhere("m.visibility = 'public'")
      .andWhere("(m.direction = 'in' OR m.delivery_status IN ('sent', 'delivered', 'read'))")
      .andWhere('m.id > :afterId', { afterId })
      .orderBy('m.id', 'ASC')
      .limit(Math.min(limit, 500))
      .getMany();
    if (!rows.length) return [];
    const authorIds = [...new Set(rows.map((r) => r.authorId).filter((x): x is number => x !== null))];
    const [authors, files] = await Promise.all([
      authorIds.length ? m.find(UserEntity, { where: { id: In(authorIds) }, select: { id: true, name: true } }) : [],
      m.find(AttachmentEntity, { where: { messageId: In(rows.map((r) => r.id)) }, order: { id: 'ASC' } }),
    ]);
    const nameOf = new Map(authors.map((a) => [a.id, a.name]));
    return rows.map((r) => ({
      id: r.id, externalId: r.direction === 'in' ? r.externalId : null, direction: r.direction, text: r.text, authorName: r.authorId === null ? null : (nameOf.get(r.authorId) ?? null),
      createdAt: new Date(r.createdAt).toISOString(),
      attachments: files.filter((f) => f.messageId === r.id).map((f) => ({ id: f.id, fileName: f.fileName, mimeType: f.mimeType, size: f.size })),
    }));
  }

  /** A file of a public message in the sender's own conversations on this channel. */
  async file(channelId: number, externalId: string, attachmentId: number): Promise<StoredFile | null> {
    const m = this.manager();
    const att = await m.findOneBy(AttachmentEntity, { id: attachmentId });
    if (!att?.messageId) return null;
    const msg = await m.findOneBy(MessageEntity, { id: att.messageId, visibility: 'public' });
    if (!msg) return null;
    const conv = await m.findOneBy(ConversationEntity, { id: msg.conversationId, channelId, contactExternalId: externalId });
    if (!conv) return null;
    return { path: await this.filePath(att.storageKey), fileName: att.fileName, mimeType: att.mimeType, size: att.size };
  }

  liveConversation(channelId: number, externalId: string): Promise<Conversation | null> {
    return this.manager().findOne(ConversationEntity, { where: { channelId, contactExternalId: externalId, status: Not('closed' as const) } });
  }
}
