import type { Logger } from 'pino';
import { In, IsNull, LessThan, Not, type EntityManager } from 'typeorm';
import { SendError, type Connector } from '../../connectors/contract.js';
import type { OutboundMessage } from '../../shared/outbound.js';
import { AttachmentEntity } from '../attachments/attachment.entity.js';
import type { Database, Tx } from '../db/database.js';
import { ConversationEntity } from '../conversations/conversation.entity.js';
import { MessageEntity, type Message } from '../conversations/message.entity.js';
import { UserEntity } from '../users/user.entity.js';
import { OutboxEntity, type OutboxItem } from './outbox.entity.js';
import { backoffMs } from './backoff.js';
import type { ReplyTokens } from '../conversations/reply-token.js';

export interface OutboxOptions {
  maxAttempts: number;
  /** How long a claimed item stays with the worker that claimed it before another may retry it. */
  leaseMs: number;
  pollMs: number;
  baseDelayMs: number;
  /**
   * Channels this node must not claim for (several nodes: a channel with an inbound loop sends from the
   * one node that runs it). @default none
   */
  skipChannels?: () => number[];
  /** A reply was queued and committed: several nodes tell the others, since its channel may send elsewhere. */
  queued?: () => void;
}

const INTERRUPTED = 'Sending was interrupted (the server stopped mid-send); the client may have received it. Check before sending again.';

const DEFAULTS: OutboxOptions = { maxAttempts: 8, leaseMs: 60_000, pollMs: 1_000, baseDelayMs: 2_000 };

/**
 * The durable queue between "the operator pressed send" and the provider. An item is written in the
 * same transaction as its message, so a reply is never stored without being queued, nor queued twice.
 */
export class Outbox {
  readonly options: OutboxOptions;
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private again = false;
  private stopping = false;

  constructor(
    private readonly db: Database,
    private readonly connectorOf: (channelId: number) => Connector | undefined,
    private readonly saveDelivery: (tx: Tx, msg: Message) => Promise<void>,
    private readonly storagePath: (key: string) => Promise<string>,
    private readonly replyTokens: ReplyTokens,
    private readonly logger: Logger,
    options: Partial<OutboxOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Queues a public outbound message. Internal notes and system events are refused: they never leave. */
  async enqueue(tx: Tx, msg: Message): Promise<void> {
    if (msg.visibility !== 'public' || msg.direction !== 'out') {
      throw new Error(`outbox refuses message ${msg.id}: only public outbound messages may leave the hub`);
    }
    await tx.manager.save(OutboxEntity, {
      messageId: msg.id, channelId: msg.channelId, attempts: 0, nextAttemptAt: Date.now(), lockedUntil: null, lastError: null, sendStartedAt: null, createdAt: Date.now(),
    });
    tx.afterCommit(() => {
      this.wake();
      this.options.queued?.();
    });
  }

  start(): void {
    if (this.timer) return;
    this.stopping = false;
    this.timer = setInterval(() => this.wake(), this.options.pollMs);
    this.timer.unref();
    this.wake();
  }

  /** Finishes the send in progress; items claimed but not yet started go back to the queue for any node. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.stopping = true;
    await this.draining;
  }

  /** Drains now; a wake during a drain schedules one more pass so nothing queued meanwhile waits for the poll. */
  wake(): void {
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain()
      .catch((err) => this.logger.error({ err }, 'outbox drain failed'))
      .finally(() => {
        this.draining = null;
        if (this.again && this.timer) {
          this.again = false;
          this.wake();
        }
      });
  }

  async drain(): Promise<void> {
    while (!this.stopping) {
      const batch = await this.claim(20);
      if (!batch.length) return;
      for (const [i, item] of batch.entries()) {
        if (this.stopping) {
          const rest = batch.slice(i).map((b) => b.id);
          await this.db.write(({ manager }) => manager.update(OutboxEntity, { id: In(rest) }, { lockedUntil: null }));
          return;
        }
        await this.process(item);
      }
    }
  }

  private async claim(limit: number): Promise<OutboxItem[]> {
    const now = Date.now();
    return this.db.write(async ({ manager }) => {
      const due = await this.dueItems(manager, now, limit);
      if (!due.length) return [];
      await manager.update(OutboxEntity, { id: In(due.map((d) => d.id)) }, { lockedUntil: now + this.options.leaseMs });
      return due;
    });
  }

  private dueItems(manager: EntityManager, now: number, limit: number): Promise<OutboxItem[]> {
    const qb = manager.createQueryBuilder(OutboxEntity, 'o')
      .where('o.next_attempt_at <= :now', { now })
      .andWhere('(o.locked_until IS NULL OR o.locked_until < :now)', { now })
      .orderBy('o.id', 'ASC').limit(limit);
    const skip = this.options.skipChannels?.() ?? [];
    if (skip.length) qb.andWhere('o.channel_id NOT IN (:...skip)', { skip });
    // Several nodes drain one PostgreSQL outbox: each claims rows the others have not locked.
    if (this.db.kind === 'postgres') qb.setLock('pessimistic_write').setOnLocked('skip_locked');
    return qb.getMany();
  }

  private async process(item: OutboxItem): Promise<void> {
    const m = this.db.manager;
    const msg = await m.findOneBy(MessageEntity, { id: item.messageId });
    if (!msg || msg.visibility !== 'public') {
      this.logger.error({ messageId: item.messageId }, 'outbox item without a public message dropped');
      await this.db.write(({ manager }) => manager.delete(OutboxEntity, { id: item.id }));
      return;
    }
    const connector = this.connectorOf(item.channelId);
    if (item.sendStartedAt !== null && connector && !connector.idempotentSends) {
      // The last attempt began and never reported back (the hub died mid-send): it may have arrived.
      // Sending again could show the client the message twice, so the operator decides.
      this.logger.warn({ messageId: msg.id }, 'send was interrupted; marked failed instead of sending twice');
      await this.finish(item, msg, { deliveryStatus: 'failed', deliveryError: INTERRUPTED, externalId: msg.externalId });
      return;
    }
    let started = false;
    try {
      if (!connector) throw new SendError('The channel is not running', true);
      const outbound = await this.toOutbound(m, msg);
      await this.db.write(({ manager }) => manager.update(OutboxEntity, { id: item.id }, { sendStartedAt: Date.now() }));
      started = true;
      const { externalId } = await connector.send(outbound);
      await this.finish(item, msg, { deliveryStatus: 'sent', deliveryError: null, externalId });
    } catch (err) {
      const transient = err instanceof SendError ? err.transient : true;
      const reason = (err as Error).message?.slice(0, 1000) || 'Sending failed';
      const attempts = item.attempts + 1;
      if (transient && attempts < this.options.maxAttempts) {
        this.logger.warn({ messageId: msg.id, attempts, reason }, 'send failed; will retry');
        await this.db.write(({ manager }) => manager.update(OutboxEntity, { id: item.id }, {
          // A failure before this attempt reached the provider leaves an earlier cut-off send on record.
          attempts, lastError: reason, lockedUntil: null, sendStartedAt: started ? null : item.sendStartedAt, nextAttemptAt: Date.now() + backoffMs(attempts, this.options.baseDelayMs),
        }));
        return;
      }
      this.logger.warn({ messageId: msg.id, attempts, reason }, 'send failed for good');
      await this.finish(item, msg, { deliveryStatus: 'failed', deliveryError: reason, externalId: msg.externalId });
    }
  }

  private async finish(item: OutboxItem, msg: Message, change: Pick<Message, 'deliveryStatus' | 'deliveryError' | 'externalId'>): Promise<void> {
    await this.db.write(async (tx) => {
      await tx.manager.delete(OutboxEntity, { id: item.id });
      const fresh = await tx.manager.findOneByOrFail(MessageEntity, { id: msg.id });
      // A provider may have reported on the message while we were sending (a fast bounce, a read
      // receipt): "sent" never overwrites a later status, it only records the provider's id.
      const later = change.deliveryStatus === 'sent' && fresh.deliveryStatus !== 'pending';
      await this.saveDelivery(tx, later ? { ...fresh, externalId: change.externalId } : { ...fresh, ...change });
    });
  }

  private async toOutbound(m: EntityManager, msg: Message): Promise<OutboundMessage> {
    const [conv, author, files, thread, lastIn] = await Promise.all([
      m.findOneByOrFail(ConversationEntity, { id: msg.conversationId }),
      msg.authorId ? m.findOneBy(UserEntity, { id: msg.authorId }) : null,
      m.find(AttachmentEntity, { where: { messageId: msg.id }, order: { id: 'ASC' } }),
      m.find(MessageEntity, {
        where: { conversationId: msg.conversationId, visibility: 'public', externalId: Not(IsNull()), id: LessThan(msg.id) },
        order: { id: 'DESC' }, take: 20, select: { id: true, externalId: true },
      }),
      m.findOne(MessageEntity, { where: { conversationId: msg.conversationId, direction: 'in', id: LessThan(msg.id) }, order: { id: 'DESC' } }),
    ]);
    return {
      messageId: msg.id, channelId: msg.channelId, conversationId: conv.id, recipientExternalId: conv.contactExternalId, text: msg.text,
      automatic: msg.authorId === null,
      html: msg.html ?? undefined, authorName: author?.name, createdAt: new Date(msg.createdAt).toISOString(),
      attachments: await Promise.all(files.map(async (f) => ({ id: f.id, fileName: f.fileName, mimeType: f.mimeType, size: f.size, path: await this.storagePath(f.storageKey) }))),
      replyToken: this.replyTokens.issue(conv.id),
      inReplyTo: lastIn?.externalId ? { externalId: lastIn.externalId, meta: lastIn.meta } : null,
      references: thread.map((t) => t.externalId!).reverse(),
      ...(msg.meta.template ? { template: msg.meta.template as OutboundMessage['template'] } : {}),
    };
  }

  /** Items still waiting, for health and metrics. */
  backlog(): Promise<number> {
    return this.db.manager.count(OutboxEntity);
  }
}
