import { In, Not, type EntityManager } from 'typeorm';
import { InboundMessage as InboundSchema, type InboundMessage, type IngestResult, type ParsedInboundMessage } from '../../shared/inbound.js';
import type { AttachmentStore } from '../attachments/attachment.store.js';
import type { ChannelDirectory } from '../channels/channel-directory.js';
import type { Database, Tx } from '../db/database.js';
import { ContactEntity, ContactIdentityEntity, type Contact } from '../contacts/contact.entity.js';
import { toContactDto } from '../contacts/contact.dto.js';
import { ConversationEntity, type Conversation } from '../conversations/conversation.entity.js';
import { preview, scopeOf, toConversationDto, toMessageDto } from '../conversations/conversation.dto.js';
import { MessageEntity, type Message } from '../conversations/message.entity.js';
import type { LeadService } from '../crm/lead.service.js';
import type { ReplyTokens } from '../conversations/reply-token.js';
import { AppError } from '../errors/app-error.js';
import { sanitizeCustomerHtml } from './sanitize-html.js';
import type { EventLog } from '../events/event-log.js';

/**
 * Turns one customer message into stored state in a single transaction: identity → contact →
 * conversation → message → lead, then the events. Idempotent on (channel, external id); the unique
 * keys make concurrent first messages from one client converge on one contact and one dialog.
 */
export class IngestService {
  constructor(
    private readonly db: Database,
    private readonly channels: ChannelDirectory,
    private readonly events: EventLog,
    private readonly leads: LeadService,
    private readonly attachments: AttachmentStore,
    private readonly replyTokens: ReplyTokens,
  ) {}

  async ingest(input: InboundMessage): Promise<IngestResult> {
    const parsed = InboundSchema.safeParse(input);
    if (!parsed.success) throw new AppError('validation_failed', `Invalid inbound message: ${parsed.error.issues[0]?.message}`, parsed.error.issues);
    const msg = parsed.data;
    const channel = await this.channels.get(msg.channelId);
    return this.db.write(async (tx) => {
      const m = tx.manager;
      const existing = await m.findOne(MessageEntity, { where: { channelId: channel.id, externalId: msg.externalId } });
      if (existing) {
        const conv = await m.findOneByOrFail(ConversationEntity, { id: existing.conversationId });
        return { messageId: existing.id, conversationId: conv.id, contactId: conv.contactId, duplicate: true };
      }
      const now = Date.now();
      const contact = await this.findOrCreateContact(tx, channel.type, msg, now);
      const found = await this.resolveConversation(tx, channel.id, contact.id, msg);
      const isNew = !found;
      let conv = found ?? await m.save(ConversationEntity, {
        lineId: channel.lineId, channelId: channel.id, contactId: contact.id, contactExternalId: msg.sender.externalId,
        threadKey: msg.threadKey ?? '', status: 'queued' as const, assigneeId: null, lastMessagePreview: '', lastMessageAt: now,
        waitingSince: null, unreadCount: 0, firstReplyAt: null, closedAt: null, createdAt: now, updatedAt: now,
      });
      const reopened = conv.status === 'closed';
      if (reopened) Object.assign(conv, { status: conv.assigneeId === null ? 'queued' : 'open', closedAt: null });
      const message = await m.save(MessageEntity, {
        conversationId: conv.id, channelId: channel.id, direction: 'in' as const, visibility: 'public' as const, kind: 'text' as const,
        authorId: null, text: msg.text, html: msg.html === undefined ? null : sanitizeCustomerHtml(msg.html), externalId: msg.externalId, deliveryStatus: null, deliveryError: null,
        meta: msg.meta, createdAt: msg.sentAt ? Math.min(Date.parse(msg.sentAt), now) : now,
      } as Omit<Message, 'id'>);
      const files = await this.attachments.link(m, msg.attachmentIds, `${channel.id}:${msg.sender.externalId}`, message.id);
      Object.assign(conv, {
        lastMessagePreview: preview(msg.text, files), lastMessageAt: now, unreadCount: conv.unreadCount + 1,
        waitingSince: conv.waitingSince ?? now, status: conv.status === 'waiting' ? 'open' : conv.status, updatedAt: now,
      } satisfies Partial<Conversation>);
      conv = await m.save(ConversationEntity, conv);
      const convDto = await toConversationDto(m, conv);
      const scope = scopeOf(conv);
      if (isNew) await this.events.append(tx, 'conversation.created', { conversation: convDto }, scope);
      else if (reopened) await this.events.append(tx, 'conversation.updated', { conversation: convDto }, scope);
      await this.events.append(tx, 'message.created', { message: await toMessageDto(m, message), conversation: convDto }, scope);
      const leadSource = typeof msg.meta.leadSource === 'string' ? msg.meta.leadSource : undefined;
      await this.leads.createForInbound(tx, { contact, lineId: channel.lineId, channelName: channel.name, source: leadSource, conversationScope: scope });
      return { messageId: message.id, conversationId: conv.id, contactId: contact.id, duplicate: false };
    }, { retryOnConflict: true });
  }

  /**
   * Which conversation a message continues: the one its thread references point to, then the one its
   * reply token names (only for that conversation's own contact), then the contact's live one on
   * this channel and thread. A closed match is reopened unless the contact has since started another.
   */
  private async resolveConversation(tx: Tx, channelId: number, contactId: number, msg: ParsedInboundMessage): Promise<Conversation | null> {
    const m = tx.manager;
    let match: Conversation | null = null;
    if (msg.threadRefs.length) {
      const earlier = await m.findOne(MessageEntity, { where: { channelId, externalId: In(msg.threadRefs) }, order: { id: 'DESC' } });
      if (earlier) match = await m.findOne(ConversationEntity, { where: { id: earlier.conversationId }, lock: tx.forUpdate });
    }
    if (!match && msg.replyToken) {
      const id = this.replyTokens.read(msg.replyToken);
      const byToken = id === null ? null : await m.findOne(ConversationEntity, { where: { id, channelId }, lock: tx.forUpdate });
      if (byToken?.contactId === contactId) match = byToken;
    }
    const live = (ofContact: number, threadKey: string) =>
      m.findOne(ConversationEntity, { where: { channelId, contactId: ofContact, threadKey, status: Not('closed' as const) }, lock: tx.forUpdate });
    if (!match) return live(contactId, msg.threadKey ?? '');
    if (match.status !== 'closed') return match;
    return (await live(match.contactId, match.threadKey)) ?? match;
  }

  private async findOrCreateContact(tx: Tx, channelType: string, msg: ParsedInboundMessage, now: number): Promise<Contact> {
    const m: EntityManager = tx.manager;
    const s = msg.sender;
    const identity = await m.findOne(ContactIdentityEntity, { where: { channelType: channelType as never, externalId: s.externalId } });
    if (!identity) {
      const contact = await m.save(ContactEntity, {
        name: s.name || s.email || s.phone || `Visitor ${s.externalId.slice(0, 6)}`, email: s.email ?? null, phone: s.phone ?? null,
        createdAt: now, updatedAt: now,
      });
      await m.insert(ContactIdentityEntity, { contactId: contact.id, channelType: channelType as never, externalId: s.externalId });
      return contact;
    }
    const contact = await m.findOneByOrFail(ContactEntity, { id: identity.contactId });
    // Details the client gave (pre-chat form, From header) fill gaps; they never overwrite what an operator entered.
    const fill: Partial<Contact> = {};
    if (s.email && !contact.email) fill.email = s.email;
    if (s.phone && !contact.phone) fill.phone = s.phone;
    if (s.name && contact.name.startsWith('Visitor ')) fill.name = s.name;
    if (!Object.keys(fill).length) return contact;
    const updated = await m.save(ContactEntity, { ...contact, ...fill, updatedAt: now });
    const conv = await m.findOne(ConversationEntity, { where: { contactId: contact.id }, order: { id: 'DESC' } });
    await this.events.append(tx, 'contact.updated', { contact: await toContactDto(m, updated) }, conv ? scopeOf(conv) : { lineId: null, conversationId: null, assigneeId: null, prevAssigneeId: null });
    return updated;
  }
}
