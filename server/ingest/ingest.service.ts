import { In, type EntityManager } from 'typeorm';
import { InboundMessage as InboundSchema, type InboundMessage, type IngestResult, type ParsedInboundMessage } from '../../shared/inbound.js';
import type { AttachmentStore } from '../attachments/attachment.store.js';
import type { ChannelDirectory } from '../channels/channel-directory.js';
import type { Database, Tx } from '../db/database.js';
import { ContactEntity, ContactIdentityEntity, type Contact } from '../contacts/contact.entity.js';
import { toContactDto } from '../contacts/contact.dto.js';
import { ConversationEntity, type Conversation } from '../conversations/conversation.entity.js';
import { CONVERSATION_COLUMNS, conversationOf } from '../conversations/conversation.row.js';
import { conversationDtoOf, messageDtoOf, preview, scopeOf } from '../conversations/conversation.dto.js';
import { MessageEntity, type Message } from '../conversations/message.entity.js';
import type { LeadService } from '../crm/lead.service.js';
import type { ReplyTokens } from '../conversations/reply-token.js';
import { AppError } from '../errors/app-error.js';
import { sanitizeCustomerHtml } from './sanitize-html.js';
import { LineEntity } from '../lines/line.entity.js';
import type { CallDetails } from '../../shared/conversations.js';
import { settingsOf } from '../lines/line.service.js';
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
      // Independent reads go out together: the duplicate check, the sender's contact, and (for a message
      // that names no thread) that contact's live dialog here, which is where the message usually goes.
      const plain = !msg.threadRefs.length && !msg.replyToken;
      const [[existing], known, live, reservedId] = await tx.together(
        () => tx.sql<{ id: number; conversationId: number; contactId: number; createdAt: string | number }>(
          `SELECT m.id, m.conversation_id AS "conversationId", c.contact_id AS "contactId", m.created_at AS "createdAt"
           FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.channel_id = ? AND m.external_id = ?`,
          [channel.id, msg.externalId],
        ),
        () => contactByIdentity(tx, channel.type, msg.sender.externalId),
        () => (plain ? liveOfIdentity(tx, channel.id, channel.type, msg) : Promise.resolve(null)),
        // Files are linked to the message by its id before its event is written; without files, an id
        // known now lets the message, the dialog's row and the event go to the database together.
        () => (msg.attachmentIds.length ? Promise.resolve(null) : tx.nextId('messages')),
      );
      if (existing) {
        return { messageId: Number(existing.id), conversationId: Number(existing.conversationId), contactId: Number(existing.contactId), duplicate: true,
          createdAt: new Date(Number(existing.createdAt)).toISOString() };
      }
      const now = Date.now();
      const contact = await this.findOrCreateContact(tx, channel.type, msg, now, known);
      // "4" in answer to the rating request of a just-closed dialog is the rating, not a new question.
      const rated = await this.awaitingRating(tx, channel.id, contact.id, msg, now);
      const found = rated ?? (await this.resolveConversation(tx, channel.id, contact.id, msg, plain && known ? live : undefined));
      const conv: Conversation = found ?? {
        id: 0, lineId: channel.lineId, channelId: channel.id, contactId: contact.id, contactExternalId: msg.sender.externalId,
        threadKey: msg.threadKey ?? '', status: 'queued', assigneeId: null, lastMessagePreview: '', lastMessageAt: now,
        waitingSince: null, unreadCount: 0, firstReplyAt: null, closedAt: null, flags: {}, createdAt: now, updatedAt: now,
      };
      const reopened = conv.status === 'closed' && !rated;
      // Most messages change only their dialog's row and add themselves and their event: such ingests
      // run side by side with the others of their transaction. Anything more runs alone.
      if (found && !reopened && !rated && !msg.attachmentIds.length && !msg.call) tx.claim(`conversation:${conv.id}`, `message:${channel.id}:${msg.externalId}`);
      else tx.alone();
      if (!found) {
        conv.id = await tx.insertRow('conversations', {
          line_id: conv.lineId, channel_id: conv.channelId, contact_id: conv.contactId, contact_external_id: conv.contactExternalId,
          thread_key: conv.threadKey, status: conv.status, last_message_preview: '', last_message_at: now, unread_count: 0, created_at: now, updated_at: now,
        });
      }
      const call = msg.call ? callDetailsOf(msg.call, now) : null;
      const outgoing = call?.direction === 'out';
      const message: Message = {
        id: 0, conversationId: conv.id, channelId: channel.id, direction: outgoing ? 'out' : 'in', visibility: 'public', kind: call ? 'call' : 'text',
        authorId: outgoing ? (msg.call?.operatorId ?? null) : null, text: call ? msg.text || (outgoing ? 'Outgoing call' : 'Incoming call') : msg.text,
        html: msg.html === undefined ? null : sanitizeCustomerHtml(msg.html), externalId: msg.externalId, deliveryStatus: null, deliveryError: null,
        meta: call ? { ...msg.meta, call } : msg.meta, createdAt: msg.sentAt ? Math.min(Date.parse(msg.sentAt), now) : now,
      };
      const messageRow = {
        conversation_id: message.conversationId, channel_id: message.channelId, direction: message.direction, visibility: 'public', kind: message.kind,
        author_id: message.authorId, text: message.text, html: message.html, external_id: message.externalId, meta: JSON.stringify(message.meta),
        created_at: message.createdAt,
      };
      if (reservedId === null) message.id = await tx.insertRow('messages', messageRow);
      else message.id = reservedId;
      const files = msg.attachmentIds.length ? await this.attachments.link(m, msg.attachmentIds, `${channel.id}:${msg.sender.externalId}`, message.id) : [];
      const shown = call ? `📞 ${message.text}` : msg.text;
      const changes = rated
        ? { lastMessagePreview: preview(msg.text, files.length), lastMessageAt: now, unreadCount: conv.unreadCount, waitingSince: conv.waitingSince,
            status: conv.status, closedAt: conv.closedAt, updatedAt: now, flags: { ...conv.flags, rating: { score: Number(msg.text.trim()), comment: null, at: now } } }
        : outgoing
          ? {
              // The operator called: the dialog is theirs if nobody has it, and nobody waits on the client's side.
              lastMessagePreview: preview(shown, 0), lastMessageAt: now, unreadCount: conv.unreadCount, waitingSince: conv.waitingSince,
              status: 'open' as const, assigneeId: conv.assigneeId ?? message.authorId, closedAt: null, updatedAt: now, flags: conv.flags,
            }
          : {
              lastMessagePreview: preview(shown, files.length), lastMessageAt: now, unreadCount: conv.unreadCount + 1, waitingSince: conv.waitingSince ?? now,
              status: reopened ? (conv.assigneeId === null ? 'queued' : 'open') : conv.status === 'waiting' ? 'open' : conv.status, closedAt: null, updatedAt: now,
              flags: conv.flags,
            } satisfies Partial<Conversation>;
      const assigneeId = 'assigneeId' in changes ? changes.assigneeId : conv.assigneeId;
      const updateConversation = () => tx.sql(
        'UPDATE conversations SET last_message_preview = ?, last_message_at = ?, unread_count = ?, waiting_since = ?, status = ?, assignee_id = ?, closed_at = ?, flags = ?, updated_at = ? WHERE id = ?',
        [changes.lastMessagePreview, now, changes.unreadCount, changes.waitingSince, changes.status, assigneeId, changes.closedAt, JSON.stringify(changes.flags), now, conv.id],
      );
      Object.assign(conv, changes);
      const convDto = conversationDtoOf(conv, channel.type, contact.name);
      const scope = scopeOf(conv);
      if (!found) await this.events.append(tx, 'conversation.created', { conversation: convDto }, scope);
      else if (reopened || rated) await this.events.append(tx, 'conversation.updated', { conversation: convDto }, scope);
      // The message (when its id was known up front), the dialog's row and the message's event do not
      // depend on each other: one round trip for all.
      await tx.together(
        () => (reservedId === null ? Promise.resolve(message.id) : tx.insertRow('messages', { id: reservedId, ...messageRow })),
        updateConversation,
        () => this.events.append(tx, 'message.created', { message: messageDtoOf(message, null, files), conversation: convDto }, scope),
      );
      // A lead belongs to the start of a dialog; later messages of it cannot change the answer.
      if (!found || reopened) {
        const leadSource = typeof msg.meta.leadSource === 'string' ? msg.meta.leadSource : undefined;
        await this.leads.createForInbound(tx, { contact, lineId: channel.lineId, channelName: channel.name, source: leadSource, conversationScope: scope });
      }
      return { messageId: message.id, conversationId: conv.id, contactId: contact.id, duplicate: false, createdAt: new Date(message.createdAt).toISOString() };
    }, { retryOnConflict: true, concurrent: true });
  }

  /** The just-closed dialog whose rating request a lone digit 1–5 answers (within a week, while the client has no open one). */
  private async awaitingRating(tx: Tx, channelId: number, contactId: number, msg: ParsedInboundMessage, now: number): Promise<Conversation | null> {
    if (!/^\s*[1-5]\s*$/.test(msg.text) || msg.attachmentIds.length) return null;
    const [row] = await tx.sql(
      `SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE channel_id = ? AND contact_id = ? ORDER BY id DESC LIMIT 1${tx.forUpdate ? ' FOR UPDATE' : ''}`,
      [channelId, contactId],
    );
    const conv = row ? conversationOf(row) : null;
    if (!conv || conv.status !== 'closed' || !conv.flags.ratingRequested || conv.flags.rating || (conv.closedAt ?? 0) < now - 7 * 86_400_000) return null;
    return conv;
  }

  /**
   * Which conversation a message continues: the one its thread references point to, then the one its
   * reply token names (only for that conversation's own contact), then the contact's live one on
   * this channel and thread (`live`, when already read), then a recently closed one within the line's
   * reopen window. A closed match is reopened unless the contact has since started another.
   */
  private async resolveConversation(tx: Tx, channelId: number, contactId: number, msg: ParsedInboundMessage, live?: Conversation | null): Promise<Conversation | null> {
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
    const liveOf = async (ofContact: number, threadKey: string) => {
      const [row] = await tx.sql(
        `SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE channel_id = ? AND contact_id = ? AND thread_key = ? AND status <> 'closed'${tx.forUpdate ? ' FOR UPDATE' : ''}`,
        [channelId, ofContact, threadKey],
      );
      return row ? conversationOf(row) : null;
    };
    if (!match) return (live !== undefined ? live : await liveOf(contactId, msg.threadKey ?? '')) ?? this.recentlyClosed(tx, channelId, contactId, msg.threadKey ?? '');
    if (match.status !== 'closed') return match;
    return (await liveOf(match.contactId, match.threadKey)) ?? match;
  }

  /** Details a known sender gave outside a message (a widget form): they fill gaps like a message's would. */
  async identify(channelId: number, sender: ParsedInboundMessage['sender']): Promise<void> {
    const channel = await this.channels.get(channelId);
    await this.db.write(async (tx) => {
      const known = await contactByIdentity(tx, channel.type, sender.externalId);
      if (known) await this.findOrCreateContact(tx, channel.type, { sender } as ParsedInboundMessage, Date.now(), known);
    });
  }

  /**
   * A phone number the client gave as their own (a Telegram shared contact, a WhatsApp sender) is how
   * WhatsApp knows them: it joins their identities, so writing over WhatsApp later finds this contact.
   * A number that already belongs to someone else stays theirs.
   */
  private async phoneIdentities(tx: Tx, contactId: number, channelType: string, phone: string): Promise<void> {
    if (!/^\+[1-9]\d{6,14}$/.test(phone)) return;
    for (const type of PHONE_CHANNELS) {
      if (type === channelType) continue;
      await tx.sql('INSERT INTO contact_identities (contact_id, channel_type, external_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [contactId, type, phone]);
    }
  }

  /**
   * A caller or WhatsApp sender new to this channel whose number the CRM already knows (another phone
   * channel's identity, or the number an operator entered on the contact) is that contact.
   */
  private async knownByPhone(tx: Tx, channelType: string, s: ParsedInboundMessage['sender']): Promise<Record<string, unknown> | null> {
    if (!s.phone || !/^\+[1-9]\d{6,14}$/.test(s.phone) || !(PHONE_CHANNELS as readonly string[]).includes(channelType)) return null;
    const [row] = await tx.sql<Record<string, unknown>>(
      `SELECT c.id, c.name, c.email, c.phone, c.created_at AS "createdAt", c.updated_at AS "updatedAt" FROM contacts c
       WHERE c.id IN (SELECT contact_id FROM contact_identities WHERE external_id = ? AND channel_type IN (${PHONE_CHANNELS.map(() => '?').join(', ')}))
          OR c.phone = ?
       ORDER BY c.id LIMIT 1`,
      [s.phone, ...PHONE_CHANNELS, s.phone],
    );
    return row ?? null;
  }

  /** Within the line's reopen window, a client writing again continues the dialog that was just closed. */
  private async recentlyClosed(tx: Tx, channelId: number, contactId: number, threadKey: string): Promise<Conversation | null> {
    const { lineId } = await this.channels.get(channelId);
    const line = await tx.manager.findOneBy(LineEntity, { id: lineId });
    const minutes = line ? settingsOf(line).routing.reopenMinutes : 0;
    if (!minutes) return null;
    const [row] = await tx.sql(
      `SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE channel_id = ? AND contact_id = ? AND thread_key = ? AND status = 'closed' AND closed_at >= ?
       ORDER BY closed_at DESC LIMIT 1`,
      [channelId, contactId, threadKey, Date.now() - minutes * 60_000],
    );
    return row ? conversationOf(row) : null;
  }

  /** `row`: the contact the sender's identity on this channel type already points to, if any. */
  private async findOrCreateContact(tx: Tx, channelType: string, msg: ParsedInboundMessage, now: number, row: ContactRow | undefined): Promise<Contact> {
    const m: EntityManager = tx.manager;
    const s = msg.sender;
    const byPhone = row ? null : await this.knownByPhone(tx, channelType, s);
    const found = row ?? byPhone;
    const known: Contact | null = found
      ? { id: Number(found.id), name: String(found.name), email: (found.email as string | null) ?? null, phone: (found.phone as string | null) ?? null,
          createdAt: Number(found.createdAt), updatedAt: Number(found.updatedAt) }
      : null;
    if (!known || byPhone) tx.alone();
    if (known && byPhone) await m.insert(ContactIdentityEntity, { contactId: known.id, channelType: channelType as never, externalId: s.externalId });
    if (!known) {
      const contact = await m.save(ContactEntity, {
        name: s.name || s.email || s.phone || placeholderName(s.externalId), email: s.email ?? null, phone: s.phone ?? null,
        createdAt: now, updatedAt: now,
      });
      await m.insert(ContactIdentityEntity, { contactId: contact.id, channelType: channelType as never, externalId: s.externalId });
      if (s.phone) await this.phoneIdentities(tx, contact.id, channelType, s.phone);
      return contact;
    }
    const contact = known;
    // Details the client gave (pre-chat form, From header) fill gaps; they never overwrite what an operator entered.
    const fill: Partial<Contact> = {};
    if (s.email && !contact.email) fill.email = s.email;
    if (s.phone && !contact.phone) fill.phone = s.phone;
    if (s.name && s.name !== contact.name && contact.name === placeholderName(s.externalId)) fill.name = s.name;
    if (!Object.keys(fill).length) return contact;
    tx.alone();
    if (fill.phone) await this.phoneIdentities(tx, contact.id, channelType, fill.phone);
    const updated = await m.save(ContactEntity, { ...contact, ...fill, updatedAt: now });
    const conv = await m.findOne(ConversationEntity, { where: { contactId: contact.id }, order: { id: 'DESC' } });
    await this.events.append(tx, 'contact.updated', { contact: await toContactDto(m, updated) }, conv ? scopeOf(conv) : { lineId: null, conversationId: null, assigneeId: null, prevAssigneeId: null });
    return updated;
  }
}

type ContactRow = Record<string, unknown>;

/** The contact an identity (channel type + the sender's id there) belongs to. */
async function contactByIdentity(tx: Tx, channelType: string, externalId: string): Promise<ContactRow | undefined> {
  const [row] = await tx.sql<ContactRow>(
    `SELECT c.id, c.name, c.email, c.phone, c.created_at AS "createdAt", c.updated_at AS "updatedAt"
     FROM contacts c JOIN contact_identities i ON i.contact_id = c.id WHERE i.channel_type = ? AND i.external_id = ?`,
    [channelType, externalId],
  );
  return row;
}

/** The live dialog, on this channel and the message's thread, of the contact the sender's identity belongs to. */
async function liveOfIdentity(tx: Tx, channelId: number, channelType: string, msg: ParsedInboundMessage): Promise<Conversation | null> {
  const [row] = await tx.sql(
    `SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE channel_id = ? AND thread_key = ? AND status <> 'closed'
       AND contact_id = (SELECT contact_id FROM contact_identities WHERE channel_type = ? AND external_id = ?)${tx.forUpdate ? ' FOR UPDATE' : ''}`,
    [channelId, msg.threadKey ?? '', channelType, msg.sender.externalId],
  );
  return row ? conversationOf(row) : null;
}

/** Channels whose contacts are known by their E.164 phone number. */
const PHONE_CHANNELS = ['whatsapp', 'whatsapp_cloud', 'twilio', 'sip'] as const;

/** A call as first stored; the connector completes it through `updateCall`. */
function callDetailsOf(c: NonNullable<ParsedInboundMessage['call']>, now: number): CallDetails {
  return {
    direction: c.direction, from: c.from, to: c.to, outcome: c.outcome, answeredBy: null, startedAt: c.startedAt ?? new Date(now).toISOString(),
    answeredAt: null, endedAt: null, durationSeconds: null, recordingUrl: null,
  };
}

/** The name of a contact who has not said who they are yet. */
const placeholderName = (externalId: string) => `Visitor ${externalId.slice(0, 6)}`;
