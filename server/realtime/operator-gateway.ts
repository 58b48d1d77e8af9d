import type { Logger } from 'pino';
import type { Namespace, Server, Socket } from 'socket.io';
import { OPERATOR_NAMESPACE, PresenceRequest, SyncRequest, TypingRequest, type OperatorClientEvents, type OperatorServerEvents } from '../../shared/operator-socket.js';
import type { Presence } from '../../shared/users.js';
import { readCookie } from '../auth/cookies.js';
import { SESSION_COOKIE, type SessionService } from '../auth/session.service.js';
import type { Database } from '../db/database.js';
import { canSee, viewerOf } from '../conversations/access.js';
import { ConversationEntity, type Conversation } from '../conversations/conversation.entity.js';
import type { EventScope, PublishedEvent } from '../events/event-bus.js';
import type { EventEnvelope } from '../../shared/events.js';
import type { EventLog, Viewer } from '../events/event-log.js';
import type { User } from '../users/user.entity.js';
import { ackError, toAck } from './ack.js';
import { EventFanout } from './event-fanout.js';
import { encodeBatchesOnce } from './encode-once.js';
import { sameHost } from '../../shared/origin.js';

interface SocketData {
  user: User;
  viewer: Viewer;
}
type OperatorSocket = Socket<OperatorClientEvents, OperatorServerEvents, Record<string, never>, SocketData>;
type OperatorNamespace = Namespace<OperatorClientEvents, OperatorServerEvents, Record<string, never>, SocketData>;

export interface OperatorGatewayDeps {
  db: Database;
  sessions: SessionService;
  events: EventLog;
  /** Origins whose pages may open an operator socket with the session cookie. */
  allowedOrigins: string[];
  setPresence(userId: number, presence: Presence): Promise<void>;
  operatorTyping(conversation: Conversation, typing: boolean, operatorName: string): void;
  /** How long a user without any open socket stays "online" before going offline (a reload is not a logout). */
  presenceGraceMs: number;
  logger: Logger;
}

const SYNC_PAGE = 500;

/**
 * The operator namespace: authenticated by the session cookie, each socket in rooms for its user,
 * its lines, and (for staff) everything. Scope is decided here, on the server, never in the browser.
 */
export class OperatorGateway {
  private nsp!: OperatorNamespace;
  private fanout!: EventFanout;
  private readonly offlineTimers = new Map<number, NodeJS.Timeout>();

  constructor(private readonly d: OperatorGatewayDeps) {}

  attach(io: Server): void {
    const nsp = io.of(OPERATOR_NAMESPACE) as unknown as OperatorNamespace;
    this.nsp = nsp;
    // Local rooms and local emits: every node follows the whole log and serves its own sockets.
    this.fanout = new EventFanout({ rooms: () => nsp.adapter.rooms, emit: (socketIds, batch) => nsp.local.to(socketIds).emit('events', batch) });
    encodeBatchesOnce(nsp.adapter, 'events');
    // No connection-state recovery here (several nodes turn it on for the widget): the console catches
    // up from the event log with `sync`, and a recovered socket would be sent the packets it missed
    // (typing) before the middleware below has checked that its session still stands.
    nsp.adapter.persistSession = () => undefined;
    nsp.adapter.restoreSession = () => Promise.resolve(null as never);
    this.nsp.use(async (socket, next) => {
      try {
        const origin = socket.handshake.headers.origin;
        if (origin && !this.d.allowedOrigins.includes(origin) && !sameHost(origin, socket.handshake.headers.host)) return next(new Error('origin not allowed'));
        const auth = await this.d.sessions.resolve(readCookie(socket.handshake.headers.cookie, SESSION_COOKIE));
        if (!auth) return next(new Error('unauthenticated'));
        socket.data = { user: auth.user, viewer: await viewerOf(this.d.db.manager, auth.user) };
        next();
      } catch (err) {
        next(err as Error);
      }
    });
    this.nsp.on('connection', (s) => this.onConnection(s));
  }

  private onConnection(socket: OperatorSocket): void {
    const { user } = socket.data;
    this.joinRooms(socket);
    const timer = this.offlineTimers.get(user.id);
    if (timer) clearTimeout(timer);
    this.offlineTimers.delete(user.id);

    socket.on('sync', async (raw, ack) => {
      if (typeof ack !== 'function') return;
      const req = SyncRequest.safeParse(raw);
      if (!req.success) return ack(ackError('validation_failed', req.error.issues[0]?.message ?? 'invalid sync request'));
      await toAck(ack, async () => {
        if (req.data.afterSeq === null) return { events: [], lastSeq: await this.d.events.lastSeq(this.d.db.manager), hasMore: false };
        const events = await this.d.events.after(this.d.db.manager, socket.data.viewer, req.data.afterSeq, SYNC_PAGE);
        return { events, lastSeq: events.at(-1)?.seq ?? req.data.afterSeq, hasMore: events.length === SYNC_PAGE };
      });
    });

    socket.on('typing', async (raw, ack) => {
      const req = TypingRequest.safeParse(raw);
      if (!req.success) return ack?.(ackError('validation_failed', req.error.issues[0]?.message ?? 'invalid typing'));
      const conv = await this.d.db.manager.findOneBy(ConversationEntity, { id: req.data.conversationId });
      if (!conv || !canSee(socket.data.viewer, conv)) return ack?.(ackError('not_found', 'Conversation not found'));
      socket.to(roomsOf(scope(conv))).emit('typing', { conversationId: conv.id, who: 'operator', userId: user.id, typing: req.data.typing, mode: req.data.mode });
      // Typing in note mode stays among colleagues: the client is only told about reply typing.
      if (req.data.mode === 'reply') this.d.operatorTyping(conv, req.data.typing, user.name);
      ack?.({ ok: true });
    });

    socket.on('presence', async (raw, ack) => {
      const req = PresenceRequest.safeParse(raw);
      if (!req.success) return ack?.(ackError('validation_failed', req.error.issues[0]?.message ?? 'invalid presence'));
      await this.d.setPresence(user.id, req.data.presence);
      ack?.({ ok: true });
    });

    socket.on('disconnect', () => this.onDisconnect(user.id));
  }

  private onDisconnect(userId: number): void {
    if (this.socketsOf(userId).length) return;
    const timer = setTimeout(() => {
      this.offlineTimers.delete(userId);
      // Asked of every node (the adapter): a tab open on another node keeps the user online.
      void this.nsp.in(`user:${userId}`).fetchSockets().then(
        (sockets) => (sockets.length ? undefined : this.d.setPresence(userId, 'offline')),
        (err) => this.d.logger.warn({ err, userId }, 'could not count the user\'s sockets; presence left as it is'),
      ).catch(() => undefined);
    }, this.d.presenceGraceMs);
    timer.unref();
    this.offlineTimers.set(userId, timer);
  }

  private socketsOf(userId: number): OperatorSocket[] {
    return [...this.nsp.sockets.values()].filter((s) => s.data.user?.id === userId);
  }

  private joinRooms(socket: OperatorSocket): void {
    const { user, viewer } = socket.data;
    for (const room of socket.rooms) if (room !== socket.id) void socket.leave(room);
    void socket.join([
      `user:${user.id}`,
      ...(viewer.allLines ? ['staff'] : [...viewer.lineIds.map((id) => `line:${id}`), ...viewer.conversationIds.map((id) => `conv:${id}`)]),
    ]);
  }

  /**
   * Queues a committed event for this node's sockets whose scope covers it (sent once any room changes
   * it brings are made). Every node runs it for every event, in seq order (with several nodes each follows the shared log),
   * so a client has had every event of its scope up to the last seq it saw, whichever node it is on.
   */
  async onEvent(e: PublishedEvent): Promise<void> {
    if (!this.nsp) return;
    const { scope: s, ...envelope } = e;
    this.fanout.push(envelope as EventEnvelope, roomsOf(s));
    const bookkeeping = this.bookkeeping(e);
    // Rooms change before the event goes out: an invited operator gets the invitation, a removed one nothing more.
    if (bookkeeping) await this.fanout.holding(bookkeeping);
  }

  /** How an event changes who is connected and in which rooms, if it does. */
  private bookkeeping(e: PublishedEvent): (() => Promise<void>) | null {
    switch (e.type) {
      case 'user.removed':
        return async () => void this.nsp.local.in(`user:${e.payload.userId}`).disconnectSockets(true);
      case 'user.updated':
        return async () => {
          this.nsp.local.emit('presence', { userId: e.payload.user.id, presence: e.payload.user.presence });
          await this.refreshViewers((s) => s.data.user.id === e.payload.user.id);
        };
      case 'participant.added':
        return () => this.refreshViewers((s) => s.data.user.id === e.payload.userId);
      // Membership changed: operators' rooms are recomputed; staff see every line anyway.
      case 'line.updated':
        return () => this.refreshViewers((s) => !s.data.viewer.allLines);
      default:
        return null;
    }
  }

  clientTyping(conv: Conversation, typing: boolean): void {
    this.nsp?.to(roomsOf(scope(conv))).emit('typing', { conversationId: conv.id, who: 'client', userId: null, typing, mode: 'reply' });
  }

  private async refreshViewers(which: (s: OperatorSocket) => boolean): Promise<void> {
    for (const socket of [...this.nsp.sockets.values()].filter(which)) {
      const fresh = await this.d.sessions.resolveUser(socket.data.user.id);
      if (!fresh) {
        socket.disconnect(true);
        continue;
      }
      socket.data = { user: fresh, viewer: await viewerOf(this.d.db.manager, fresh) };
      this.joinRooms(socket);
    }
  }
}

const scope = (c: Conversation): EventScope => ({ lineId: c.lineId, conversationId: c.id, assigneeId: c.assigneeId, prevAssigneeId: null });

function roomsOf(s: EventScope): string[] {
  const rooms = ['staff'];
  if (s.lineId !== null) rooms.push(`line:${s.lineId}`);
  if (s.conversationId !== null) rooms.push(`conv:${s.conversationId}`);
  if (s.assigneeId !== null) rooms.push(`user:${s.assigneeId}`);
  if (s.prevAssigneeId !== null) rooms.push(`user:${s.prevAssigneeId}`);
  return rooms;
}
