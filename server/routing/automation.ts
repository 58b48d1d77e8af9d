import type { Logger } from 'pino';
import type { Database, Tx } from '../db/database.js';
import { ContactEntity } from '../contacts/contact.entity.js';
import { ConversationEntity, type Conversation, type ConversationFlags } from '../conversations/conversation.entity.js';
import { MessageEntity } from '../conversations/message.entity.js';
import type { MessageService } from '../conversations/message.service.js';
import type { ConversationService } from '../conversations/conversation.service.js';
import type { PublishedEvent } from '../events/event-bus.js';
import { LineEntity, type Line } from '../lines/line.entity.js';
import { settingsOf } from '../lines/line.service.js';
import type { TimerService } from '../timers/timer.service.js';
import { UserEntity } from '../users/user.entity.js';
import { isOpen } from './working-hours.js';
import type { LineSettingsCache } from '../lines/line-settings.cache.js';

/** `{{contact.name}}`, `{{operator.name}}`, `{{line.name}}`; an unknown placeholder is left out. */
export function fillPlaceholders(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{\s*([a-z]+\.[a-z]+)\s*\}\}/g, (_m, key: string) => values[key] ?? '');
}

/**
 * The line's automatic messages and lifecycle timers, hung off domain events: welcome, out of
 * hours, no answer, closing, auto-close. Auto-replies and bulk mail from the client never trigger
 * any of them, so two robots cannot answer each other forever.
 */
export class Automation {
  constructor(
    private readonly db: Database,
    private readonly messages: MessageService,
    private readonly conversations: ConversationService,
    private readonly timers: TimerService,
    private readonly clock: () => number,
    private readonly logger: Logger,
    /** Tells the dialog's channel to show rating buttons, where it has them. */
    private readonly askRating: (conv: Conversation, prompt: string) => void,
    private readonly lines: LineSettingsCache,
    /** Whether the channel carries calls only, so no automatic text is sent there. */
    private readonly callsOnly: (channelId: number) => Promise<boolean> = async () => false,
  ) {
    timers.on('no_answer', (tx, t) => this.noAnswer(tx, t.conversationId));
    timers.on('auto_close', (tx, t) => this.autoClose(tx, t.conversationId));
  }

  async onEvent(e: PublishedEvent): Promise<void> {
    if (e.type === 'conversation.created') await this.write(e.payload.conversation.id, (tx, conv, line) => this.started(tx, conv, line));
    if (e.type === 'message.created' && e.payload.message.visibility === 'public') {
      const m = e.payload.message;
      // Most messages need nothing here: skip the write transaction unless the line has a timer or text that could apply.
      const s = await this.lines.get(e.payload.conversation.lineId);
      if (!s) return;
      if (m.direction === 'in') {
        const mayNeed = s.routing.autoCloseMinutes > 0 || (s.messages.outOfHours !== '' && !isOpen(s.hours, this.clock()));
        if (mayNeed) await this.write(m.conversationId, (tx, conv, line) => this.clientWrote(tx, conv, line, m.id));
      } else if (m.authorId !== null && (s.routing.autoCloseMinutes > 0 || s.routing.noAnswerSeconds > 0)) {
        await this.write(m.conversationId, (tx, conv, line) => this.operatorReplied(tx, conv, line));
      }
    }
    if (e.type === 'conversation.updated' && e.payload.conversation.status === 'closed') {
      await this.write(e.payload.conversation.id, (tx, conv, line) => this.closed(tx, conv, line));
    }
  }

  private async write(conversationId: number, fn: (tx: Tx, conv: Conversation, line: Line) => Promise<void>): Promise<void> {
    await this.db.write(async (tx) => {
      const conv = await tx.manager.findOne(ConversationEntity, { where: { id: conversationId }, lock: tx.forUpdate });
      const line = conv && (await tx.manager.findOneBy(LineEntity, { id: conv.lineId }));
      if (conv && line) await fn(tx, conv, line);
    }).catch((err) => this.logger.error({ err, conversationId }, 'automatic message failed'));
  }

  private async started(tx: Tx, conv: Conversation, line: Line): Promise<void> {
    // Handled already: with several nodes a new coordinator may see an event its predecessor handled.
    if (conv.flags.startedOutOfHours !== undefined) return;
    const { routing, messages, hours } = settingsOf(line);
    if (await this.isAutoReply(tx, conv.id)) return;
    const open = isOpen(hours, this.clock());
    const flags: ConversationFlags = { ...conv.flags, startedOutOfHours: !open };
    if (!open && messages.outOfHours) {
      await this.send(tx, conv, line, messages.outOfHours);
      flags.outOfHoursSent = true;
    } else if (open && messages.welcome && (messages.welcomeWhen === 'every_session' || (await this.firstSession(tx, conv)))) {
      await this.send(tx, conv, line, messages.welcome);
      flags.welcomeSent = true;
    }
    await this.setFlags(tx, conv, flags);
    if (!open && hours.whenClosed === 'fallback' && routing.fallbackLineId !== null) await this.conversations.moveToLine(tx, conv, routing.fallbackLineId);
    else if (routing.noAnswerSeconds > 0) await this.timers.schedule(tx, 'no_answer', conv.id, this.clock() + routing.noAnswerSeconds * 1000);
  }

  private async clientWrote(tx: Tx, conv: Conversation, line: Line, messageId: number): Promise<void> {
    await this.timers.cancel(tx, 'auto_close', conv.id);
    const { messages, hours } = settingsOf(line);
    if (conv.flags.outOfHoursSent || !messages.outOfHours || isOpen(hours, this.clock())) return;
    const msg = await tx.manager.findOneBy(MessageEntity, { id: messageId });
    if (!msg || msg.meta.autoReply === true) return;
    await this.send(tx, conv, line, messages.outOfHours);
    await this.setFlags(tx, conv, { ...conv.flags, outOfHoursSent: true });
  }

  private async operatorReplied(tx: Tx, conv: Conversation, line: Line): Promise<void> {
    const { routing } = settingsOf(line);
    await this.timers.cancel(tx, 'no_answer', conv.id);
    if (routing.autoCloseMinutes > 0 && conv.status === 'waiting') {
      await this.timers.schedule(tx, 'auto_close', conv.id, this.clock() + routing.autoCloseMinutes * 60_000);
    }
  }

  /** Once per close (a rating or review saved later on a closed dialog is not another close). */
  private async closed(tx: Tx, conv: Conversation, line: Line): Promise<void> {
    if (conv.status !== 'closed' || conv.closedAt === null || conv.flags.closeHandledAt === conv.closedAt) return;
    await this.timers.cancel(tx, 'no_answer', conv.id);
    await this.timers.cancel(tx, 'pass_on', conv.id);
    await this.timers.cancel(tx, 'auto_close', conv.id);
    const { messages } = settingsOf(line);
    const spam = conv.flags.spam === true;
    if (messages.closing && !conv.flags.autoClosed && !spam) await this.send(tx, conv, line, messages.closing);
    const flags = { ...conv.flags, closeHandledAt: conv.closedAt, autoClosed: false };
    if (messages.ratingRequest && !conv.flags.rating && !spam) {
      const prompt = await this.send(tx, conv, line, messages.ratingRequest);
      flags.ratingRequested = true;
      if (prompt) tx.afterCommit(() => this.askRating(conv, prompt));
    }
    await this.setFlags(tx, conv, flags);
  }

  /** Still nobody has answered: tell the client once per session; the dialog stays queued (or moves to the fallback line). */
  private async noAnswer(tx: Tx, conversationId: number): Promise<void> {
    const conv = await tx.manager.findOne(ConversationEntity, { where: { id: conversationId }, lock: tx.forUpdate });
    if (!conv || conv.status === 'closed' || conv.firstReplyAt !== null || conv.flags.noAnswerSent) return;
    const line = await tx.manager.findOneByOrFail(LineEntity, { id: conv.lineId });
    const { messages, routing } = settingsOf(line);
    if (routing.noAnswerSeconds === 0) return; // turned off since the timer was set
    if (messages.noAnswer) await this.send(tx, conv, line, messages.noAnswer);
    await this.setFlags(tx, conv, { ...conv.flags, noAnswerSent: true });
    if (conv.assigneeId === null && routing.fallbackLineId !== null) await this.conversations.moveToLine(tx, conv, routing.fallbackLineId);
  }

  /** The client went quiet after our answer: say goodbye with the line's text and close. */
  private async autoClose(tx: Tx, conversationId: number): Promise<void> {
    const conv = await tx.manager.findOne(ConversationEntity, { where: { id: conversationId }, lock: tx.forUpdate });
    if (!conv || conv.status !== 'waiting') return;
    const line = await tx.manager.findOneByOrFail(LineEntity, { id: conv.lineId });
    const { messages, routing } = settingsOf(line);
    if (routing.autoCloseMinutes === 0) return; // turned off since the timer was set
    if (messages.autoClose) await this.send(tx, conv, line, messages.autoClose);
    await this.setFlags(tx, conv, { ...conv.flags, autoClosed: true });
    await this.conversations.closeInTx(tx, conv, null);
  }

  private async send(tx: Tx, conv: Conversation, line: Line, text: string): Promise<string> {
    // A line that carries calls only (SIP): a text would just fail there in front of the operator.
    if (await this.callsOnly(conv.channelId)) return '';
    const [contact, operator] = await Promise.all([
      tx.manager.findOneBy(ContactEntity, { id: conv.contactId }),
      conv.assigneeId === null ? null : tx.manager.findOneBy(UserEntity, { id: conv.assigneeId }),
    ]);
    const filled = fillPlaceholders(text, { 'contact.name': contact?.name ?? '', 'operator.name': operator?.name ?? '', 'line.name': line.name }).trim();
    if (filled) await this.messages.system(tx, conv, filled);
    return filled;
  }

  private async setFlags(tx: Tx, conv: Conversation, flags: ConversationFlags): Promise<void> {
    conv.flags = flags;
    await tx.manager.update(ConversationEntity, { id: conv.id }, { flags });
  }

  private async isAutoReply(tx: Tx, conversationId: number): Promise<boolean> {
    const first = await tx.manager.findOne(MessageEntity, { where: { conversationId, direction: 'in' }, order: { id: 'DESC' } });
    return first?.meta.autoReply === true;
  }

  private async firstSession(tx: Tx, conv: Conversation): Promise<boolean> {
    const [row] = await tx.sql<{ n: number | string }>('SELECT COUNT(*) AS n FROM conversations WHERE contact_id = ? AND line_id = ? AND id <> ?', [conv.contactId, conv.lineId, conv.id]);
    return Number(row?.n ?? 0) === 0;
  }
}
