import type { Logger } from 'pino';
import type { Database, Tx } from '../db/database.js';
import { ConversationEntity, type Conversation } from '../conversations/conversation.entity.js';
import { CONVERSATION_COLUMNS, conversationOf } from '../conversations/conversation.row.js';
import { scopeOf, toConversationDto } from '../conversations/conversation.dto.js';
import { AppError } from '../errors/app-error.js';
import type { PublishedEvent } from '../events/event-bus.js';
import type { EventLog, Viewer } from '../events/event-log.js';
import { LineEntity } from '../lines/line.entity.js';
import { settingsOf } from '../lines/line.service.js';
import type { TimerService } from '../timers/timer.service.js';
import { pickOperator, type Candidate } from './distribute.js';
import { lineCandidates } from './candidates.js';
import { isOpen, nextOpening } from './working-hours.js';
import type { LineSettings } from '../../shared/routing.js';
import { assertCanSee } from '../conversations/access.js';

const QUEUE_SCAN = 50;
/** How often, and how soon, a line looks again at dialogs it skipped because another transaction held them. */
const LOCKED_RETRIES = 20;
const LOCKED_RETRY_MS = 25;

type Pass = 'assigned' | 'none' | 'locked';

/**
 * Hands queued dialogs to operators. Runs when something that changes the answer happens (a new
 * dialog, a dialog closed or returned, presence, membership, a line opening) — never by polling —
 * and at most once at a time per line, re-running if more happened meanwhile.
 */
export class RoutingService {
  private readonly running = new Map<number, Promise<void>>();
  private readonly dirty = new Set<number>();
  private readonly openingTimers = new Map<number, NodeJS.Timeout>();
  /** Strictly increasing assignment stamps: two dialogs handed out in one millisecond still have an order. */
  private lastStamp = 0;

  constructor(
    private readonly db: Database,
    private readonly events: EventLog,
    private readonly timers: TimerService,
    private readonly clock: () => number,
    private readonly logger: Logger,
  ) {
    timers.on('pass_on', (tx, t) => this.passOn(tx, t.conversationId, Number(t.payload.userId)));
  }

  /** The bus listener: which lines may now have work for whom. */
  async onEvent(e: PublishedEvent): Promise<void> {
    switch (e.type) {
      case 'conversation.created':
      case 'conversation.updated':
        this.kick(e.payload.conversation.lineId);
        for (const userId of [e.scope.prevAssigneeId, e.payload.conversation.status === 'closed' ? e.payload.conversation.assigneeId : null]) {
          if (userId !== null) for (const lineId of await this.linesOf(userId)) this.kick(lineId);
        }
        break;
      case 'user.updated':
        for (const lineId of await this.linesOf(e.payload.user.id)) this.kick(lineId);
        break;
      case 'line.updated':
        this.planOpening(e.payload.line.id);
        this.kick(e.payload.line.id);
        break;
    }
  }

  /** At start-up: every line gets a pass, and closed lines a wake-up at their next opening. */
  async startAll(): Promise<void> {
    for (const line of await this.db.manager.find(LineEntity, { select: { id: true } })) {
      this.planOpening(line.id);
      this.kick(line.id);
    }
  }

  stop(): void {
    for (const t of this.openingTimers.values()) clearTimeout(t);
    this.openingTimers.clear();
  }

  /** Resolves once every line that had work has been distributed (tests and benchmarks wait on it). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running.values()]);
  }

  kick(lineId: number): void {
    if (this.running.has(lineId)) {
      this.dirty.add(lineId);
      return;
    }
    const run = (async () => {
      let retries = 0;
      do {
        this.dirty.delete(lineId);
        let pass: Pass;
        while ((pass = await this.db.write((tx) => this.assignOne(tx, lineId), { retryOnConflict: true })) === 'assigned');
        // A dialog another transaction held (automation greeting it) was skipped, not refused: look again shortly.
        if (pass === 'locked' && retries++ < LOCKED_RETRIES) {
          await new Promise((r) => setTimeout(r, LOCKED_RETRY_MS));
          this.dirty.add(lineId);
        }
      } while (this.dirty.has(lineId));
    })()
      .catch((err) => this.logger.error({ err, lineId }, 'distribution failed'))
      .finally(() => this.running.delete(lineId));
    this.running.set(lineId, run);
  }

  /**
   * Assigns the longest-waiting queued dialog someone may take. `locked`: nothing assigned, but on
   * PostgreSQL the scan skipped queued dialogs other transactions hold at the moment.
   */
  private async assignOne(tx: Tx, lineId: number): Promise<Pass> {
    const line = await tx.manager.findOneBy(LineEntity, { id: lineId });
    if (!line) return 'none';
    const settings = settingsOf(line);
    if (settings.routing.mode === 'everyone' || !isOpen(settings.hours, this.clock())) return 'none';
    const where = "line_id = ? AND assignee_id IS NULL AND status = 'queued'";
    const queued = (await tx.sql(
      `SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE ${where}
       ORDER BY COALESCE(waiting_since, created_at), id LIMIT ${QUEUE_SCAN}${tx.forUpdate ? ' FOR UPDATE SKIP LOCKED' : ''}`,
      [lineId],
    )).map(conversationOf);
    if (queued.length) {
      const candidates = await lineCandidates(tx.sql, lineId, settings);
      for (const conv of queued) {
        const skipped = new Set(conv.flags.skipped ?? []);
        const preferred = await this.knownClientOperator(tx, conv, settings, candidates);
        const pick = preferred ?? pickOperator(settings.routing, candidates, skipped);
        if (!pick) continue;
        await this.assign(tx, conv, pick.userId, settings, null);
        return 'assigned';
      }
    }
    if (!tx.forUpdate || queued.length === QUEUE_SCAN) return 'none';
    const [all] = await tx.sql<{ n: number | string }>(`SELECT COUNT(*) AS n FROM conversations WHERE ${where}`, [lineId]);
    return Number(all?.n ?? 0) > queued.length ? 'locked' : 'none';
  }

  private async assign(tx: Tx, conv: Conversation, userId: number, settings: LineSettings, passedBy: number | null): Promise<void> {
    const now = this.clock();
    const prev = conv.assigneeId;
    Object.assign(conv, { assigneeId: userId, status: 'open', updatedAt: now, flags: { ...conv.flags, assignedAt: now } });
    await tx.manager.update(ConversationEntity, { id: conv.id }, { assigneeId: userId, status: 'open', updatedAt: now, flags: conv.flags });
    this.lastStamp = Math.max(now, this.lastStamp + 1);
    await tx.sql('UPDATE line_members SET last_assigned_at = ? WHERE line_id = ? AND user_id = ?', [this.lastStamp, conv.lineId, userId]);
    const dto = await toConversationDto(tx.manager, conv);
    await this.events.append(tx, 'conversation.updated', { conversation: dto }, scopeOf(conv, prev !== userId ? prev : null), passedBy);
    if (settings.routing.passOnSeconds > 0) {
      await this.timers.schedule(tx, 'pass_on', conv.id, now + settings.routing.passOnSeconds * 1000, { userId });
    }
  }

  /** A returning client's CRM responsible or last operator, when the line says so and they may take it. */
  private async knownClientOperator(tx: Tx, conv: Conversation, settings: LineSettings, candidates: Candidate[]): Promise<Candidate | null> {
    const how = settings.routing.knownClients;
    if (how === 'off') return null;
    const [row] = how === 'responsible'
      ? await tx.sql<{ userId: number | null }>('SELECT responsible_id AS "userId" FROM leads WHERE contact_id = ? AND responsible_id IS NOT NULL ORDER BY id DESC LIMIT 1', [conv.contactId])
      : await tx.sql<{ userId: number | null }>(
        'SELECT assignee_id AS "userId" FROM conversations WHERE contact_id = ? AND id <> ? AND assignee_id IS NOT NULL ORDER BY id DESC LIMIT 1', [conv.contactId, conv.id]);
    const c = row?.userId == null ? undefined : candidates.find((x) => x.userId === Number(row.userId));
    return c && pickOperator(settings.routing, [c], new Set()) ? c : null;
  }

  /**
   * The assignee did not answer in time (or skipped by hand): the next operator gets the dialog.
   * When nobody else may take it, it goes back to the queue for whoever becomes free first.
   */
  private async passOn(tx: Tx, conversationId: number, fromUserId: number): Promise<void> {
    const conv = await tx.manager.findOne(ConversationEntity, { where: { id: conversationId }, lock: tx.forUpdate });
    if (!conv || conv.assigneeId !== fromUserId || conv.status !== 'open' || conv.waitingSince === null) return;
    const line = await tx.manager.findOneByOrFail(LineEntity, { id: conv.lineId });
    const settings = settingsOf(line);
    let skipped = [...new Set([...(conv.flags.skipped ?? []), fromUserId])];
    const candidates = await lineCandidates(tx.sql, conv.lineId, settings);
    let pick = pickOperator(settings.routing, candidates, new Set(skipped), fromUserId);
    if (!pick) {
      // Everyone has let it pass once: start another round, still not back to the one passing it now.
      skipped = [fromUserId];
      pick = pickOperator(settings.routing, candidates, new Set(skipped), fromUserId);
    }
    conv.flags = { ...conv.flags, skipped, passOns: (conv.flags.passOns ?? 0) + 1 };
    if (pick) return this.assign(tx, conv, pick.userId, settings, null);
    const now = this.clock();
    Object.assign(conv, { assigneeId: null, status: 'queued', updatedAt: now });
    await tx.manager.update(ConversationEntity, { id: conv.id }, { assigneeId: null, status: 'queued', updatedAt: now, flags: conv.flags });
    await this.events.append(tx, 'conversation.updated', { conversation: await toConversationDto(tx.manager, conv) }, scopeOf(conv, fromUserId));
  }

  /** The assignee passes the dialog on by hand, without waiting for the timer. */
  async skip(viewer: Viewer, conversationId: number): Promise<void> {
    await this.db.write(async (tx) => {
      const conv = await tx.manager.findOneBy(ConversationEntity, { id: conversationId });
      assertCanSee(viewer, conv);
      if (conv.assigneeId !== viewer.userId) throw new AppError('conflict', 'Only the operator the dialog is assigned to can skip it');
      if (conv.status !== 'open' || conv.waitingSince === null) throw new AppError('conflict', 'Nobody is waiting for an answer in this dialog, so there is nothing to pass on');
      await this.timers.cancel(tx, 'pass_on', conv.id);
      await this.passOn(tx, conv.id, viewer.userId);
    });
  }

  private async linesOf(userId: number): Promise<number[]> {
    const rows = await this.db.manager.query(this.db.kind === 'postgres' ? 'SELECT line_id FROM line_members WHERE user_id = $1' : 'SELECT line_id FROM line_members WHERE user_id = ?', [userId]);
    return (rows as Array<{ line_id: number }>).map((r) => Number(r.line_id));
  }

  /** Working-hours transitions are derived from stored settings, so a restart simply plans them again. */
  private planOpening(lineId: number): void {
    const old = this.openingTimers.get(lineId);
    if (old) clearTimeout(old);
    void this.db.manager.findOneBy(LineEntity, { id: lineId }).then((line) => {
      if (!line) return;
      const at = nextOpening(settingsOf(line).hours, this.clock());
      if (at === null) return;
      const t = setTimeout(() => {
        this.kick(lineId);
        this.planOpening(lineId);
      }, Math.min(at - this.clock() + 1000, 2 ** 31 - 1));
      t.unref();
      this.openingTimers.set(lineId, t);
    }, (err) => this.logger.error({ err, lineId }, 'could not plan the line opening'));
  }
}

