import type { Logger } from 'pino';
import { CallUpdate, type IncomingCallDto } from '../../shared/calls.js';
import type { InboundMessage, IngestResult } from '../../shared/inbound.js';
import type { ChannelDirectory } from '../channels/channel-directory.js';
import { scopeOf, toConversationDto, toMessageDto } from '../conversations/conversation.dto.js';
import { ConversationEntity, type Conversation } from '../conversations/conversation.entity.js';
import { CONVERSATION_COLUMNS, conversationOf } from '../conversations/conversation.row.js';
import { MessageEntity } from '../conversations/message.entity.js';
import type { Database, Tx } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import type { EventLog } from '../events/event-log.js';
import type { IngestService } from '../ingest/ingest.service.js';
import { UserEntity } from '../users/user.entity.js';
import { applyCallToConversation, mergeCall, storedCallOf, type StoredCall } from './call-merge.js';
import type { CallTargetsService } from './call-targets.js';
import { contactCard } from './contact-card.js';

/** A stored call: its message and dialog. */
export interface CallRef {
  messageId: number;
  conversationId: number;
  call: StoredCall;
}

/**
 * Calls as messages of kind `call`: taking one in (and announcing it while it rings), and following
 * it as the provider or the softphone reports it, with what that means for its dialog.
 */
export class CallService {
  constructor(
    private readonly db: Database,
    private readonly events: EventLog,
    private readonly ingestService: IngestService,
    private readonly directory: ChannelDirectory,
    private readonly targets: CallTargetsService,
    private readonly logger: Logger,
  ) {}

  /**
   * Ingests a call; an incoming one that rings is announced (`call.ringing`) to who may take it, once.
   * `incoming` is the popup's card for a ringing incoming call, repeats included (a second phone ringing).
   */
  async ingest(channelId: number, message: Omit<InboundMessage, 'channelId'>, callId = message.externalId): Promise<{ result: IngestResult; incoming: IncomingCallDto | null }> {
    const result = await this.ingestService.ingest({ ...message, channelId });
    const call = message.call;
    if (call?.direction !== 'in' || (call.outcome ?? 'ringing') !== 'ringing') return { result, incoming: null };
    try {
      const { dto, conv } = await this.incoming(channelId, result, callId, call.from);
      if (!result.duplicate) await this.db.write((tx) => this.events.append(tx, 'call.ringing', { call: dto }, scopeOf(conv)));
      return { result, incoming: dto };
    } catch (err) {
      // The call is stored either way; operators still see it in the dialog.
      this.logger.error({ err, channelId, callId }, 'could not announce a ringing call');
      return { result, incoming: null };
    }
  }

  /** The stored call with this external id on the channel, or null. */
  async find(channelId: number, externalId: string): Promise<CallRef | null> {
    const msg = await this.db.manager.findOneBy(MessageEntity, { channelId, externalId, kind: 'call' });
    const call = msg && storedCallOf(msg.meta);
    return msg && call ? { messageId: msg.id, conversationId: msg.conversationId, call } : null;
  }

  /**
   * Applies a provider's word on a call (`ConnectorContext.updateCall`); null when the channel has no
   * such call. Outcomes move forward only and facts once known are kept, so a repeat changes nothing.
   */
  async update(channelId: number, externalId: string, raw: CallUpdate): Promise<CallRef | null> {
    const parsed = CallUpdate.safeParse(raw);
    if (!parsed.success) throw new AppError('validation_failed', `Invalid call update: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    const update = parsed.data;
    // Who answered must still exist: a deleted operator's late report cannot assign a dialog to nobody.
    if (update.answeredBy && !(await this.db.manager.existsBy(UserEntity, { id: update.answeredBy }))) update.answeredBy = null;
    return this.db.write(async (tx) => {
      const msg = await tx.manager.findOne(MessageEntity, { where: { channelId, externalId, kind: 'call' }, lock: tx.forUpdate });
      const before = msg && storedCallOf(msg.meta);
      if (!msg || !before) return null;
      const now = Date.now();
      const after = mergeCall(before, update, { now, recordingUrl: `/api/messages/${msg.id}/recording` });
      const ref = { messageId: msg.id, conversationId: msg.conversationId, call: after };
      if (JSON.stringify(after) === JSON.stringify(before)) return ref;
      msg.meta = { ...msg.meta, call: after };
      const saved = await tx.manager.save(MessageEntity, msg);
      const conv = await tx.manager.findOneOrFail(ConversationEntity, { where: { id: msg.conversationId }, lock: tx.forUpdate });
      // The client has since started another dialog on this channel: that live one carries the call-back.
      // (Rows are locked before the first event: event appends take the log's lock, which comes last.)
      const outcomeChanged = after.outcome !== before.outcome;
      const live = outcomeChanged && conv.status === 'closed' ? await this.liveAfter(tx, conv) : null;
      await this.events.append(tx, 'message.updated', { message: await toMessageDto(tx.manager, saved) }, scopeOf(conv));
      if (outcomeChanged) await this.settle(tx, live ?? conv, before, after, now);
      return ref;
    }, { retryOnConflict: true });
  }

  /** The call's consequences for its dialog, saved and announced when there are any. */
  private async settle(tx: Tx, conv: Conversation, before: StoredCall, after: StoredCall, now: number): Promise<void> {
    const prev = JSON.stringify(conv);
    const prevAssigneeId = conv.assigneeId;
    applyCallToConversation(conv, before, after, now);
    if (JSON.stringify(conv) === prev) return;
    conv.updatedAt = now;
    const saved = await tx.manager.save(ConversationEntity, conv);
    const scope = scopeOf(saved, prevAssigneeId !== saved.assigneeId ? prevAssigneeId : null);
    await this.events.append(tx, 'conversation.updated', { conversation: await toConversationDto(tx.manager, saved) }, scope);
  }

  private async liveAfter(tx: Tx, c: Conversation): Promise<Conversation | null> {
    const [row] = await tx.sql(
      `SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE channel_id = ? AND contact_id = ? AND thread_key = ? AND status <> 'closed'${tx.forUpdate ? ' FOR UPDATE' : ''}`,
      [c.channelId, c.contactId, c.threadKey],
    );
    return row ? conversationOf(row) : null;
  }

  /** The popup's card: the caller's contact and open lead on this line, and who it rings for. */
  private async incoming(channelId: number, r: IngestResult, callId: string, from: string): Promise<{ dto: IncomingCallDto; conv: Conversation }> {
    const m = this.db.manager;
    const [channel, conv] = await Promise.all([this.directory.get(channelId), m.findOneByOrFail(ConversationEntity, { id: r.conversationId })]);
    const [card, targets] = await Promise.all([
      contactCard(m, r.contactId, (l) => l.lineId === null || l.lineId === conv.lineId),
      this.targets.targets(conv.lineId),
    ]);
    return {
      dto: { messageId: r.messageId, conversationId: r.conversationId, channelId, channelType: channel.type, callId, from, ...card, operatorIds: targets.operatorIds, at: r.createdAt },
      conv,
    };
  }
}
