import { Not, type EntityManager } from 'typeorm';
import type { z } from 'zod';
import type { ConversationDto, ConversationListQuery, ConversationPage } from '../../shared/conversations.js';
import type { Database, Tx } from '../db/database.js';
import { LineEntity } from '../lines/line.entity.js';
import { AppError } from '../errors/app-error.js';
import type { EventLog, Viewer } from '../events/event-log.js';
import { LineMemberEntity } from '../lines/line.entity.js';
import { UserEntity } from '../users/user.entity.js';
import { assertCanSee } from './access.js';
import { ConversationEntity, type Conversation } from './conversation.entity.js';
import { scopeOf, toConversationDto, toConversationDtos } from './conversation.dto.js';
import { conversationListQuery } from './conversation.query.js';

export class ConversationService {
  constructor(private readonly db: Database, private readonly events: EventLog) {}

  async list(viewer: Viewer, q: z.output<typeof ConversationListQuery>): Promise<ConversationPage> {
    const rows = await conversationListQuery(this.db.manager, viewer, q).getMany();
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: await toConversationDtos(this.db.manager, page),
      nextCursor: rows.length > q.limit && last ? `${last.lastMessageAt}_${last.id}` : null,
    };
  }

  async get(viewer: Viewer, id: number): Promise<ConversationDto> {
    const conv = await this.db.manager.findOneBy(ConversationEntity, { id });
    assertCanSee(viewer, conv);
    return toConversationDto(this.db.manager, conv);
  }

  /**
   * Operators may take a queued dialog or hand their own to a colleague of the line; supervisors
   * and admins may assign anyone's. `null` returns the dialog to the queue.
   */
  async assign(viewer: Viewer & { role: string }, id: number, assigneeId: number | null): Promise<ConversationDto> {
    return this.change(viewer, id, async (conv, m) => {
      const staff = viewer.role !== 'operator';
      if (!staff && conv.assigneeId !== null && conv.assigneeId !== viewer.userId) {
        throw new AppError('forbidden', 'This dialog is assigned to a colleague; ask a supervisor to reassign it');
      }
      if (assigneeId !== null) {
        const target = await m.findOneBy(UserEntity, { id: assigneeId });
        if (!target) throw new AppError('validation_failed', 'assigneeId names a user that does not exist');
        const member = await m.existsBy(LineMemberEntity, { lineId: conv.lineId, userId: assigneeId });
        if (!member && target.role === 'operator') throw new AppError('validation_failed', `${target.name} is not a member of this dialog's line`);
      }
      if (conv.status === 'closed') throw new AppError('conflict', 'Reopen the dialog before assigning it');
      conv.assigneeId = assigneeId;
      conv.status = assigneeId === null ? 'queued' : conv.status === 'queued' ? 'open' : conv.status;
      if (assigneeId !== null && conv.flags.assignedAt === undefined) conv.flags = { ...conv.flags, assignedAt: Date.now() };
    });
  }

  async close(viewer: Viewer & { role: string }, id: number): Promise<ConversationDto> {
    return this.change(viewer, id, async (conv) => {
      if (conv.status === 'closed') throw new AppError('conflict', 'The dialog is already closed');
      this.assertMayHandle(viewer, conv);
      Object.assign(conv, closing());
    });
  }

  /** Closes inside another transaction (the auto-close timer); `actorId` null means the hub did it. */
  async closeInTx(tx: Tx, conv: Conversation, actorId: number | null): Promise<ConversationDto> {
    Object.assign(conv, closing());
    return this.save(tx, conv, conv.assigneeId, actorId);
  }

  /** Saves a change made inside another transaction and tells the operators. */
  saveInTx(tx: Tx, conv: Conversation, actorId: number | null): Promise<ConversationDto> {
    return this.save(tx, conv, conv.assigneeId, actorId);
  }

  /**
   * Hands the dialog to another line's queue (a transfer, or the fallback when nobody answers):
   * members of both lines hear about it.
   */
  async moveToLine(tx: Tx, conv: Conversation, lineId: number, actorId: number | null = null): Promise<ConversationDto> {
    if (!(await tx.manager.existsBy(LineEntity, { id: lineId }))) throw new AppError('validation_failed', `Line ${lineId} does not exist`);
    const from = { ...conv };
    Object.assign(conv, { lineId, assigneeId: null, status: conv.status === 'closed' ? 'closed' : 'queued', updatedAt: Date.now() });
    const dto = await this.save(tx, conv, from.assigneeId, actorId);
    await this.events.append(tx, 'conversation.updated', { conversation: dto }, scopeOf(from), actorId);
    return dto;
  }

  /** A supervisor's 1–5 review of how the dialog was handled, kept with the dialog and its event. */
  async review(viewer: Viewer & { role: string }, id: number, score: number, comment: string | null): Promise<ConversationDto> {
    if (viewer.role === 'operator') throw new AppError('forbidden', 'Only supervisors and admins review dialogs');
    return this.change(viewer, id, async (conv) => {
      conv.flags = { ...conv.flags, review: { score, comment, by: viewer.userId, at: Date.now() } };
    });
  }

  /**
   * The client's rating of a session they were asked to rate; a later rating replaces an earlier one.
   * Returns null when the client has no dialog waiting for a rating on this channel.
   */
  async rate(tx: Tx, channelId: number, contactExternalId: string, score: number, comment: string | null): Promise<Conversation | null> {
    const conv = await tx.manager.findOne(ConversationEntity, {
      where: { channelId, contactExternalId, status: 'closed' }, order: { closedAt: 'DESC' }, lock: tx.forUpdate,
    });
    if (!conv?.flags.ratingRequested) return null;
    conv.flags = { ...conv.flags, rating: { score, comment, at: Date.now() } };
    await this.save(tx, conv, conv.assigneeId, null);
    return conv;
  }

  /** Transfer to another open line, with its queue and routing. */
  async transferToLine(viewer: Viewer & { role: string }, id: number, lineId: number): Promise<ConversationDto> {
    return this.db.write(async (tx) => {
      const conv = await tx.manager.findOne(ConversationEntity, { where: { id }, lock: tx.forUpdate });
      assertCanSee(viewer, conv);
      this.assertMayHandle(viewer, conv);
      if (conv.status === 'closed') throw new AppError('conflict', 'Reopen the dialog before transferring it');
      if (conv.lineId === lineId) throw new AppError('conflict', 'The dialog is already on that line');
      return this.moveToLine(tx, conv, lineId, viewer.userId);
    });
  }

  async reopen(viewer: Viewer & { role: string }, id: number): Promise<ConversationDto> {
    return this.change(viewer, id, async (conv, m) => {
      if (conv.status !== 'closed') throw new AppError('conflict', 'The dialog is not closed');
      // The client may have started a new dialog on the same channel since; two live ones would split the history.
      const live = await m.findOne(ConversationEntity, { where: { channelId: conv.channelId, contactId: conv.contactId, status: Not('closed' as const) } });
      if (live) throw new AppError('conflict', `The client already has an open dialog (#${live.id}) on this channel`, { conversationId: live.id });
      Object.assign(conv, { status: conv.assigneeId === null ? 'queued' : 'open', closedAt: null });
    });
  }

  assertMayHandle(viewer: Viewer & { role: string }, conv: Conversation): void {
    if (viewer.role === 'operator' && conv.assigneeId !== null && conv.assigneeId !== viewer.userId) {
      throw new AppError('forbidden', 'This dialog is assigned to a colleague');
    }
  }

  private async change(
    viewer: Viewer,
    id: number,
    mutate: (conv: Conversation, m: EntityManager) => Promise<void>,
  ): Promise<ConversationDto> {
    return this.db.write(async (tx) => {
      const conv = await tx.manager.findOne(ConversationEntity, { where: { id }, lock: tx.forUpdate });
      assertCanSee(viewer, conv);
      const before = conv.assigneeId;
      await mutate(conv, tx.manager);
      return this.save(tx, conv, before, viewer.userId);
    });
  }

  private async save(tx: Tx, conv: Conversation, prevAssigneeId: number | null, actorId: number | null): Promise<ConversationDto> {
    conv.updatedAt = Date.now();
    const saved = await tx.manager.save(ConversationEntity, conv);
    const dto = await toConversationDto(tx.manager, saved);
    await this.events.append(tx, 'conversation.updated', { conversation: dto }, scopeOf(saved, prevAssigneeId !== saved.assigneeId ? prevAssigneeId : null), actorId);
    return dto;
  }
}

const closing = () => ({ status: 'closed' as const, closedAt: Date.now(), waitingSince: null, unreadCount: 0 });
