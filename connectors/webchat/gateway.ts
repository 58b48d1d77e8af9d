import type { Namespace, Server, Socket } from 'socket.io';
import { VISITOR_NAMESPACE, VisitorHandshake, VisitorRateRequest, VisitorSendRequest, VisitorSyncRequest, VisitorTypingRequest,
  type VisitorClientEvents, type VisitorMessage, type VisitorServerEvents } from '../../shared/visitor-socket.js';
import type { ConnectorContext, PublicMessage } from '../contract.js';
import { originAllowed } from './origin.js';
import type { WebchatSettings } from './settings.js';
import { fileToken, readVisitorToken, type Signer, type Visitor } from './visitor-token.js';
import { ackError, toAckError } from './ack.js';
import { SendBudget } from './send-budget.js';

/** One running site-chat channel, as the gateway needs it. */
export interface WebchatChannel {
  id: number;
  key: string;
  settings: WebchatSettings;
  ctx: ConnectorContext;
}

type VisitorSocket = Socket<VisitorClientEvents, VisitorServerEvents, Record<string, never>, { key: string; visitor: Visitor }>;

/**
 * The visitor side of every site-chat channel: one Socket.IO namespace shared by all widgets, each
 * visitor in a room of their own. Widgets are found by their public key.
 */
export class WebchatGateway {
  private readonly byKey = new Map<string, WebchatChannel>();
  private readonly byId = new Map<number, WebchatChannel>();
  private nsp: Namespace<VisitorClientEvents, VisitorServerEvents> | null = null;

  constructor(
    readonly signer: Signer,
    readonly hubOrigin: string,
    /** Why the hub refuses new work right now (overloaded), or null; the widget keeps the message and retries. */
    private readonly overloaded: () => string | null = () => null,
  ) {}

  register(channel: WebchatChannel): void {
    this.byKey.set(channel.key, channel);
    this.byId.set(channel.id, channel);
  }

  /** Visitors stay connected: a restarted channel (new settings) picks them up again by key. */
  unregister(channelId: number): void {
    const ch = this.byId.get(channelId);
    if (!ch) return;
    this.byKey.delete(ch.key);
    this.byId.delete(channelId);
  }

  channelByKey(key: string): WebchatChannel | undefined {
    return this.byKey.get(key);
  }

  attach(io: Server): void {
    const nsp = io.of(VISITOR_NAMESPACE) as unknown as Namespace<VisitorClientEvents, VisitorServerEvents>;
    this.nsp = nsp;
    nsp.use((socket, next) => {
      const hs = VisitorHandshake.safeParse(socket.handshake.auth);
      const channel = hs.success ? this.byKey.get(hs.data.key) : undefined;
      if (!hs.success || !channel) return next(new Error('unknown widget key'));
      if (!originAllowed(socket.handshake.headers.origin, channel.settings.allowedOrigins, this.hubOrigin, socket.handshake.headers.host)) {
        return next(new Error('this site is not allowed to embed the widget'));
      }
      const visitor = readVisitorToken(this.signer, hs.data.token, channel.id);
      if (!visitor) return next(new Error('invalid visitor token'));
      (socket as VisitorSocket).data = { key: channel.key, visitor };
      next();
    });
    nsp.on('connection', (s) => this.onConnection(s as VisitorSocket));
  }

  private onConnection(socket: VisitorSocket): void {
    const { key, visitor } = socket.data;
    const first = this.byKey.get(key)!;
    void socket.join([visitorRoom(first.id, visitor.visitorId), channelRoom(first.id)]);
    const budget = new SendBudget(20, 10_000);
    void first.ctx.isLineAvailable().then((online) => socket.emit('status', { online }), () => undefined);
    // Looked up per event: the channel may have restarted with new settings, or been turned off.
    const current = () => this.byKey.get(key);

    socket.on('send', async (raw, ack) => {
      if (typeof ack !== 'function') return;
      const channel = current();
      if (!channel) return ack(ackError('unavailable', 'The chat is turned off right now'));
      const req = VisitorSendRequest.safeParse(raw);
      if (!req.success) return ack(ackError('validation_failed', req.error.issues[0]?.message ?? 'invalid message'));
      const busy = this.overloaded();
      if (busy) return ack(ackError('unavailable', `Try again in a moment: ${busy}`));
      if (!budget.take()) return ack(ackError('rate_limited', 'You are sending messages too fast; wait a few seconds'));
      try {
        const result = await channel.ctx.ingest({
          externalId: `${visitor.visitorId}:${req.data.clientId}`,
          sender: { externalId: visitor.visitorId, name: visitor.name, email: visitor.email, phone: visitor.phone },
          text: req.data.text,
          attachmentIds: req.data.attachmentIds,
        });
        // Only a message with files needs reading back (for their names and links); text is in hand.
        const [message] = req.data.attachmentIds.length
          ? await channel.ctx.publicHistory(visitor.visitorId, result.messageId - 1, 1)
          : [{ id: result.messageId, externalId: `${visitor.visitorId}:${req.data.clientId}`, direction: 'in' as const, text: req.data.text, authorName: null, attachments: [], createdAt: result.createdAt }];
        if (!message || message.id !== result.messageId) return ack(ackError('internal', 'The message was stored but could not be read back'));
        const dto = this.toVisitorMessage(channel, visitor.visitorId, message);
        socket.to(visitorRoom(channel.id, visitor.visitorId)).emit('message', dto);
        ack({ ok: true, message: dto });
      } catch (err) {
        ack(toAckError(err));
      }
    });

    socket.on('sync', async (raw, ack) => {
      if (typeof ack !== 'function') return;
      const channel = current();
      if (!channel) return ack(ackError('unavailable', 'The chat is turned off right now'));
      const req = VisitorSyncRequest.safeParse(raw ?? {});
      if (!req.success) return ack(ackError('validation_failed', req.error.issues[0]?.message ?? 'invalid sync'));
      try {
        const history = await channel.ctx.publicHistory(visitor.visitorId, req.data.afterId, 500);
        ack({ ok: true, messages: history.map((m) => this.toVisitorMessage(channel, visitor.visitorId, m)) });
      } catch (err) {
        ack(toAckError(err));
      }
    });

    socket.on('rate', async (raw, ack) => {
      if (typeof ack !== 'function') return;
      const channel = current();
      if (!channel) return ack(ackError('unavailable', 'The chat is turned off right now'));
      const req = VisitorRateRequest.safeParse(raw);
      if (!req.success) return ack(ackError('validation_failed', req.error.issues[0]?.message ?? 'invalid rating'));
      try {
        const rated = await channel.ctx.rate(visitor.visitorId, req.data.score, req.data.comment);
        ack(rated ? { ok: true } : ackError('not_found', 'There is no finished conversation to rate'));
      } catch (err) {
        ack(toAckError(err));
      }
    });

    socket.on('typing', (raw) => {
      const req = VisitorTypingRequest.safeParse(raw);
      if (req.success) current()?.ctx.clientTyping(visitor.visitorId, req.data.typing);
    });
  }

  /** Pushes a message to every open tab of the visitor; it waits in history for tabs that are closed. */
  deliver(channelId: number, visitorId: string, message: PublicMessage): void {
    const channel = this.byId.get(channelId);
    if (!channel || !this.nsp) return;
    this.nsp.to(visitorRoom(channelId, visitorId)).emit('message', this.toVisitorMessage(channel, visitorId, message));
  }

  askRating(channelId: number, visitorId: string, prompt: string): void {
    this.nsp?.to(visitorRoom(channelId, visitorId)).emit('rating-request', { prompt });
  }

  /** Tells every visitor of the channel whether someone is there to answer. */
  status(channelId: number, online: boolean): void {
    this.nsp?.to(channelRoom(channelId)).emit('status', { online });
  }

  typing(channelId: number, visitorId: string, typing: boolean, name: string): void {
    this.nsp?.to(visitorRoom(channelId, visitorId)).emit('typing', { typing, name });
  }

  private toVisitorMessage(channel: WebchatChannel, visitorId: string, m: PublicMessage): VisitorMessage {
    const own = m.externalId?.startsWith(`${visitorId}:`) ? m.externalId.slice(visitorId.length + 1) : null;
    return {
      id: m.id,
      clientId: own,
      direction: m.direction,
      text: m.text,
      authorName: m.authorName,
      createdAt: m.createdAt,
      attachments: m.attachments.map((a) => ({ ...a, url: this.fileUrl(channel, visitorId, a.id) })),
    };
  }

  /** A download link only this visitor's token could have produced. */
  fileUrl(channel: WebchatChannel, visitorId: string, attachmentId: number): string {
    const t = encodeURIComponent(fileToken(this.signer, channel.id, visitorId, attachmentId));
    return `${this.hubOrigin}/api/widget/${channel.key}/attachments/${attachmentId}?t=${t}`;
  }
}

const visitorRoom = (channelId: number, visitorId: string) => `v:${channelId}:${visitorId}`;
const channelRoom = (channelId: number) => `c:${channelId}`;
