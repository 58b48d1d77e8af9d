import { In } from 'typeorm';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import type { EventLog, Viewer } from '../events/event-log.js';
import { LeadEntity } from '../crm/lead.entity.js';
import { UserEntity } from '../users/user.entity.js';
import { assertCanSee } from './access.js';
import { ConversationEntity } from './conversation.entity.js';
import type { ConversationDto } from '../../shared/conversations.js';
import type { ConversationService } from './conversation.service.js';
import type { MessageService } from './message.service.js';
import { ParticipantEntity, PinEntity, type Participant } from './participant.entity.js';

type Actor = Viewer & { role: string };

/** Working on a dialog together: invited colleagues, supervisors following silently, pins, spam. */
export class CollaborationService {
  constructor(
    private readonly db: Database,
    private readonly events: EventLog,
    private readonly conversations: ConversationService,
    private readonly messages: MessageService,
  ) {}

  async participants(viewer: Viewer, conversationId: number): Promise<Participant[]> {
    assertCanSee(viewer, await this.db.manager.findOneBy(ConversationEntity, { id: conversationId }));
    return this.db.manager.find(ParticipantEntity, { where: { conversationId }, order: { addedAt: 'ASC' } });
  }

  /**
   * Invites a colleague, who then sees the whole history and is told live; or, for supervisors
   * joining themselves, follows it silently. The client is never told either way.
   */
  async add(actor: Actor, conversationId: number, userId: number, mode: Participant['mode']): Promise<Participant[]> {
    if (mode === 'silent' && (actor.role === 'operator' || userId !== actor.userId)) {
      throw new AppError('forbidden', 'Only supervisors and admins join dialogs silently, and only themselves');
    }
    await this.db.write(async (tx) => {
      const conv = await tx.manager.findOne(ConversationEntity, { where: { id: conversationId }, lock: tx.forUpdate });
      assertCanSee(actor, conv);
      const [who, by] = await Promise.all([tx.manager.findOneBy(UserEntity, { id: userId }), tx.manager.findOneBy(UserEntity, { id: actor.userId })]);
      if (!who) throw new AppError('validation_failed', 'userId names a user that does not exist');
      if (userId === conv.assigneeId) throw new AppError('conflict', `${who.name} already handles this dialog`);
      await tx.manager.delete(ParticipantEntity, { conversationId, userId });
      await tx.manager.insert(ParticipantEntity, { conversationId, userId, mode, addedBy: actor.userId, addedAt: Date.now() });
      await this.events.append(tx, 'participant.added', { conversationId, userId, mode, by: actor.userId },
        { lineId: conv.lineId, conversationId, assigneeId: userId, prevAssigneeId: null }, actor.userId);
      await this.messages.event(tx, conv, mode === 'silent' ? `${who.name} joined silently` : `${by?.name ?? 'A colleague'} invited ${who.name}`, actor.userId);
    });
    return this.participants({ ...actor, conversationIds: [conversationId] }, conversationId);
  }

  async pin(viewer: Viewer, conversationId: number, pinned: boolean): Promise<void> {
    assertCanSee(viewer, await this.db.manager.findOneBy(ConversationEntity, { id: conversationId }));
    await this.db.write(async ({ manager }) => {
      await manager.delete(PinEntity, { userId: viewer.userId, conversationId });
      if (pinned) await manager.insert(PinEntity, { userId: viewer.userId, conversationId, pinnedAt: Date.now() });
    });
  }

  async pins(userId: number): Promise<number[]> {
    return (await this.db.manager.find(PinEntity, { where: { userId }, order: { pinnedAt: 'DESC' } })).map((p) => p.conversationId);
  }

  /** Spam: the dialog closes without closing texts, and the contact's open leads become junk. */
  async spam(actor: Actor, conversationId: number): Promise<ConversationDto> {
    return this.db.write(async (tx) => {
      const conv = await tx.manager.findOne(ConversationEntity, { where: { id: conversationId }, lock: tx.forUpdate });
      assertCanSee(actor, conv);
      this.conversations.assertMayHandle(actor, conv);
      if (conv.flags.spam) throw new AppError('conflict', 'The dialog is already marked as spam');
      await tx.manager.update(LeadEntity, { contactId: conv.contactId, status: In(['new', 'in_progress']) }, { status: 'junk', updatedAt: Date.now() });
      conv.flags = { ...conv.flags, spam: true };
      await this.messages.event(tx, conv, 'Marked as spam', actor.userId);
      if (conv.status === 'closed') return this.conversations.saveInTx(tx, conv, actor.userId);
      return this.conversations.closeInTx(tx, conv, actor.userId);
    });
  }
}
