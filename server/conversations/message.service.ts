import type { z } from 'zod';
import type { MessageDto, MessageListQuery, MessagePage } from '../../shared/conversations.js';
import type { DeliveryStatus } from '../../shared/outbound.js';
import type { MessageTemplate } from '../../shared/templates.js';
import type { AttachmentStore } from '../attachments/attachment.store.js';
import type { Database, Tx } from '../db/database.js';
import { AppError, notFound } from '../errors/app-error.js';
import type { EventLog, Viewer } from '../events/event-log.js';
import type { Outbox } from '../outbox/outbox.js';
import { assertCanSee } from './access.js';
import { ConversationEntity, type Conversation } from './conversation.entity.js';
import { preview, scopeOf, toConversationDto, toMessageDto, toMessageDtos } from './conversation.dto.js';
import { MessageEntity, type Message } from './message.entity.js';

type Actor = Viewer & { role: string };

const STATUS_RANK: Record<DeliveryStatus, number> = { pending: 0, sent: 1, delivered: 2, read: 3, failed: 4 };

export class MessageService {
  constructor(
    private readonly db: Database,
    private readonly events: EventLog,
    private readonly outbox: Outbox,
    private readonly attachments: AttachmentStore,
  ) {}

  /** Newest first; pass the smallest id shown as `before` for the previous page. */
  async page(viewer: Viewer, conversationId: number, q: z.output<typeof MessageListQuery>): Promise<MessagePage> {
    assertCanSee(viewer, await this.db.manager.findOneBy(ConversationEntity, { id: conversationId }));
    const qb = this.db.manager.createQueryBuilder(MessageEntity, 'm').where('m.conversation_id = :id', { id: conversationId });
    if (q.before) qb.andWhere('m.id < :before', { before: q.before });
    const rows = await qb.orderBy('m.id', 'DESC').limit(q.limit + 1).getMany();
    return { items: await toMessageDtos(this.db.manager, rows.slice(0, q.limit)), hasMore: rows.length > q.limit };
  }

  /** A public reply: stored as pending and handed to the outbox in the same transaction. */
  async reply(actor: Actor, conversationId: number, body: { text: string; attachmentIds: number[]; template?: MessageTemplate }): Promise<MessageDto> {
    return this.db.write(async (tx) => {
      const conv = await this.handleable(tx, actor, conversationId);
      if (conv.status === 'closed') throw new AppError('conflict', 'The dialog is closed; reopen it to reply');
      const now = Date.now();
      const text = body.text.trim() || (body.template ? `Template: ${body.template.name}` : '');
      const msg = await this.insert(tx, conv, actor.userId, { visibility: 'public', text, deliveryStatus: 'pending', now, meta: body.template ? { template: body.template } : {} });
      const files = await this.attachments.link(tx.manager, body.attachmentIds, `user:${actor.userId}`, msg.id);
      await this.outbox.enqueue(tx, msg);
      const before = conv.assigneeId;
      const waited = conv.firstReplyAt !== null && conv.waitingSince !== null ? [Math.round((now - conv.waitingSince) / 1000)] : [];
      Object.assign(conv, {
        flags: {
          ...conv.flags,
          assignedAt: conv.flags.assignedAt ?? now,
          ...(waited.length ? { replyWaits: [...(conv.flags.replyWaits ?? []), ...waited].slice(-50) } : {}),
        },
        assigneeId: conv.assigneeId ?? actor.userId, status: 'waiting', waitingSince: null, unreadCount: 0,
        firstReplyAt: conv.firstReplyAt ?? now, lastMessageAt: now, lastMessagePreview: preview(text, files.length), updatedAt: now,
      } satisfies Partial<Conversation>);
      return this.commitMessage(tx, conv, msg, actor.userId, before);
    });
  }

  /** An internal note: colleagues only. It never enters the outbox and never reaches a connector. */
  async note(actor: Actor, conversationId: number, text: string): Promise<MessageDto> {
    return this.db.write(async (tx) => {
      const conv = await tx.manager.findOne(ConversationEntity, { where: { id: conversationId }, lock: tx.forUpdate });
      assertCanSee(actor, conv);
      const now = Date.now();
      const msg = await this.insert(tx, conv, actor.userId, { visibility: 'internal', text, deliveryStatus: null, now });
      conv.updatedAt = now;
      return this.commitMessage(tx, conv, msg, actor.userId, conv.assigneeId);
    });
  }

  /**
   * An automatic message to the client (welcome, no answer, closing, …): public, authored by no
   * operator, delivered through the outbox like any reply. Runs inside the caller's transaction.
   */
  async system(tx: Tx, conv: Conversation, text: string): Promise<void> {
    const msg = await this.insert(tx, conv, null, { visibility: 'public', text, deliveryStatus: 'pending', now: Date.now() });
    await this.outbox.enqueue(tx, msg);
    const dto = await toMessageDto(tx.manager, msg);
    await this.events.append(tx, 'message.created', { message: dto, conversation: await toConversationDto(tx.manager, conv) }, scopeOf(conv));
  }

  /** A line in the dialog's timeline for colleagues ("Ann invited Bob"): never sent, never in a transcript. */
  async event(tx: Tx, conv: Conversation, text: string, actorId: number | null): Promise<void> {
    const msg = await tx.manager.save(MessageEntity, {
      conversationId: conv.id, channelId: conv.channelId, direction: 'out' as const, visibility: 'system' as const, kind: 'event' as const,
      authorId: actorId, text, html: null, externalId: null, deliveryStatus: null, deliveryError: null, meta: {}, createdAt: Date.now(),
    } as Omit<Message, 'id'>);
    await this.events.append(tx, 'message.created', { message: await toMessageDto(tx.manager, msg), conversation: await toConversationDto(tx.manager, conv) }, scopeOf(conv), actorId);
  }

  /** Sends a failed reply again. */
  async retry(actor: Actor, messageId: number): Promise<MessageDto> {
    return this.db.write(async (tx) => {
      const msg = await tx.manager.findOneBy(MessageEntity, { id: messageId });
      if (!msg) throw notFound('Message');
      const conv = await this.handleable(tx, actor, msg.conversationId).catch(() => Promise.reject(notFound('Message')));
      if (msg.deliveryStatus !== 'failed' || msg.visibility !== 'public' || msg.direction !== 'out') {
        throw new AppError('conflict', 'Only a failed reply can be sent again');
      }
      Object.assign(msg, { deliveryStatus: 'pending', deliveryError: null });
      const saved = await tx.manager.save(MessageEntity, msg);
      await this.outbox.enqueue(tx, saved);
      const dto = await toMessageDto(tx.manager, saved);
      await this.events.append(tx, 'message.updated', { message: dto }, scopeOf(conv), actor.userId);
      return dto;
    });
  }

  /** A provider's word on an outbound message; statuses only move forward (read never becomes delivered). */
  async updateDelivery(channelId: number, externalId: string, status: DeliveryStatus, reason?: string): Promise<void> {
    await this.db.write(async (tx) => {
      const msg = await tx.manager.findOne(MessageEntity, { where: { channelId, externalId, direction: 'out' }, lock: tx.forUpdate });
      if (!msg || !msg.deliveryStatus) return;
      if (status !== 'failed' && STATUS_RANK[status] <= STATUS_RANK[msg.deliveryStatus]) return;
      Object.assign(msg, { deliveryStatus: status, deliveryError: status === 'failed' ? (reason ?? 'The provider reported a failure').slice(0, 1000) : null });
      await this.saveDelivery(tx, msg);
    });
  }

  /** The customer edited a message: keep the new text, remember the edit, tell the operators. */
  async editInbound(channelId: number, externalId: string, text: string): Promise<void> {
    await this.db.write(async (tx) => {
      const msg = await tx.manager.findOne(MessageEntity, { where: { channelId, externalId, direction: 'in' }, lock: tx.forUpdate });
      if (!msg || msg.text === text) return;
      const history = Array.isArray(msg.meta.previousTexts) ? msg.meta.previousTexts : [];
      Object.assign(msg, { text: text.slice(0, 100_000), meta: { ...msg.meta, editedAt: new Date().toISOString(), previousTexts: [...history, msg.text].slice(-10) } });
      const saved = await tx.manager.save(MessageEntity, msg);
      const conv = await tx.manager.findOneByOrFail(ConversationEntity, { id: msg.conversationId });
      await this.events.append(tx, 'message.updated', { message: await toMessageDto(tx.manager, saved) }, scopeOf(conv));
    });
  }

  /** Stores a delivery change and tells the operators. */
  async saveDelivery(tx: Tx, msg: Message): Promise<void> {
    const saved = await tx.manager.save(MessageEntity, msg);
    const conv = await tx.manager.findOneByOrFail(ConversationEntity, { id: msg.conversationId });
    await this.events.append(tx, 'message.updated', { message: await toMessageDto(tx.manager, saved) }, scopeOf(conv));
  }

  private async handleable(tx: Tx, actor: Actor, conversationId: number): Promise<Conversation> {
    const conv = await tx.manager.findOne(ConversationEntity, { where: { id: conversationId }, lock: tx.forUpdate });
    assertCanSee(actor, conv);
    if (actor.role === 'operator' && conv.assigneeId !== null && conv.assigneeId !== actor.userId) {
      throw new AppError('forbidden', 'This dialog is assigned to a colleague; leave an internal note instead');
    }
    return conv;
  }

  private insert(tx: Tx, conv: Conversation, authorId: number | null, m: { visibility: 'public' | 'internal'; text: string; deliveryStatus: DeliveryStatus | null; now: number; meta?: Record<string, unknown> }) {
    return tx.manager.save(MessageEntity, {
      conversationId: conv.id, channelId: conv.channelId, direction: 'out' as const, visibility: m.visibility, kind: 'text' as const, authorId,
      text: m.text, html: null, externalId: null, deliveryStatus: m.deliveryStatus, deliveryError: null, meta: m.meta ?? {}, createdAt: m.now,
    } as Omit<Message, 'id'>);
  }

  private async commitMessage(tx: Tx, conv: Conversation, msg: Message, actorId: number, prevAssigneeId: number | null): Promise<MessageDto> {
    const saved = await tx.manager.save(ConversationEntity, conv);
    const [dto, convDto] = await Promise.all([toMessageDto(tx.manager, msg), toConversationDto(tx.manager, saved)]);
    const scope = scopeOf(saved, prevAssigneeId !== saved.assigneeId ? prevAssigneeId : null);
    await this.events.append(tx, 'message.created', { message: dto, conversation: convDto }, scope, actorId);
    return dto;
  }
}
