import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { pino, type Logger } from 'pino';
import { Server as SocketServer } from 'socket.io';
import type { HubConfig } from '../config/load.js';
import { WebchatGateway } from '../connectors/webchat/gateway.js';
import { widgetRoutes } from '../connectors/webchat/widget-routes.js';
import { attachmentRoutes } from './attachments/attachment.routes.js';
import { AttachmentStore } from './attachments/attachment.store.js';
import { authRoutes } from './auth/auth.routes.js';
import { readCookie } from './auth/cookies.js';
import { SESSION_COOKIE, SessionService } from './auth/session.service.js';
import { bootstrap, type BootstrapResult } from './bootstrap.js';
import { ChannelDirectory } from './channels/channel-directory.js';
import { ChannelEntity } from './channels/channel.entity.js';
import { channelRoutes } from './channels/channel.routes.js';
import { ChannelService } from './channels/channel.service.js';
import { ConnectorHost } from './channels/connector-host.js';
import { ConnectorRegistry } from './channels/connector-registry.js';
import { registerConnectors } from './channels/connector-catalog.js';
import { contactRoutes } from './contacts/contact.routes.js';
import { ContactService } from './contacts/contact.service.js';
import { conversationRoutes } from './conversations/conversation.routes.js';
import { ConversationService } from './conversations/conversation.service.js';
import { CollaborationService } from './conversations/collaboration.service.js';
import { cannedRoutes } from './canned/canned.routes.js';
import { createCalls } from './calls/calls.module.js';
import { Cluster } from './cluster/cluster.js';
import { nodeRoles } from './cluster/node-roles.js';
import { transcriptRelay } from './cluster/transcript-relay.js';
import { RedisRateLimiter } from './auth/redis-rate-limiter.js';
import { HubMetrics } from './metrics/hub-metrics.js';
import { metricsHandler } from './metrics/metrics.routes.js';
import { LoadGauge } from './http/load-shedding.js';
import { OPERATOR_NAMESPACE } from '../shared/operator-socket.js';
import { VISITOR_NAMESPACE } from '../shared/visitor-socket.js';
import { MessageService } from './conversations/message.service.js';
import { PublicHistory } from './conversations/public-history.js';
import { ReplyTokens } from './conversations/reply-token.js';
import { leadRoutes } from './crm/lead.routes.js';
import { LeadService } from './crm/lead.service.js';
import { Database } from './db/database.js';
import { EventBus, type PublishedEvent } from './events/event-bus.js';
import { EventLog } from './events/event-log.js';
import { ApiRouter } from './http/api-router.js';
import { errorHandler } from './http/error-handler.js';
import { buildOpenApi } from './http/openapi.js';
import { mountStaticAssets } from './http/static-assets.js';
import { IngestService } from './ingest/ingest.service.js';
import { LineEntity, LineMemberEntity } from './lines/line.entity.js';
import { ConversationEntity } from './conversations/conversation.entity.js';
import { ContactEntity } from './contacts/contact.entity.js';
import { lineRoutes } from './lines/line.routes.js';
import { LineService } from './lines/line.service.js';
import { LineSettingsCache } from './lines/line-settings.cache.js';
import { Outbox, type OutboxOptions } from './outbox/outbox.js';
import { Automation } from './routing/automation.js';
import { RoutingService } from './routing/routing.service.js';
import { TimerService } from './timers/timer.service.js';
import { isOpen } from './routing/working-hours.js';
import { OperatorGateway } from './realtime/operator-gateway.js';
import { SecretBox } from './secrets/secret-box.js';
import { userRoutes } from './users/user.routes.js';
import { UserService } from './users/user.service.js';

export interface HubOptions {
  logger?: Logger;
  /** The clock routing, working hours and timers read; tests move it by hand. */
  clock?: () => number;
  /** How often due timers are looked for (a timer due sooner is also fired on time). */
  timerPollMs?: number;
  outbox?: Partial<OutboxOptions>;
  presenceGraceMs?: number;
}

/** How long a client that lost its node can come back with its rooms and the packets it missed (several nodes). */
const RECOVERY_WINDOW_MS = 2 * 60_000;

export type Hub = Awaited<ReturnType<typeof createHub>>;

/** Wires every part of the hub together. Nothing listens or runs until `start()`. */
export async function createHub(config: HubConfig, opts: HubOptions = {}) {
  // Redaction applies to a logger handed in as well: secrets must not reach any log sink.
  const logger = (opts.logger ?? pino({ level: config.logLevel })).child({}, { redact: ['req.headers.cookie', 'req.headers.authorization', 'password', '*.password', 'settings', '*.settings'] });
  // Several nodes (REDIS_URL): connect first, so migrations and the first bootstrap run on one node at a time.
  const cluster = config.redisUrl
    ? await Cluster.connect({ url: config.redisUrl, prefix: config.redisKeyPrefix, leaseMs: config.clusterLeaseMs, secret: config.secret, logger: logger.child({ part: 'cluster' }) })
    : null;
  const db = cluster
    ? await cluster.exclusive('startup', () => Database.open(config.database)).catch(async (err) => {
      await cluster.close();
      throw err;
    })
    : await Database.open(config.database);
  const box = new SecretBox(config.secret);
  const bus = new EventBus();
  bus.onListenerError((err, e) => logger.error({ err, seq: e.seq, type: e.type }, 'event listener failed'));
  const events = new EventLog(bus);
  const app = express();
  const http: HttpServer = createServer(app);
  const hubOrigin = new URL(config.publicUrl).origin;
  // Polling from customers' sites needs CORS; without credentials no cookie rides along, and each
  // namespace checks the origin itself (the widget's allow-list, the console's own origin).
  // Several nodes: the Redis Streams adapter carries room emits, fetchSockets and server-side emits to
  // every node, and keeps what a disconnected widget missed so it recovers on whichever node it reaches
  // (the console opts out: it replays the event log). One node keeps no such copy: a restart would
  // lose it anyway, and every client catches up with `sync` after a reconnect.
  const io = new SocketServer(http, {
    serveClient: false, maxHttpBufferSize: 1e6, cors: { origin: true, credentials: false },
    ...(cluster ? { adapter: cluster.adapter(), connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_WINDOW_MS, skipMiddlewares: false } } : {}),
  });

  const sessions = new SessionService(db);
  const users = new UserService(db, events);
  const lines = new LineService(db, events);
  const registry = new ConnectorRegistry();
  const load = new LoadGauge(config.load);
  const webchat = new WebchatGateway(box, hubOrigin, () => load.overloaded());
  registerConnectors(registry, { webchat, publicUrl: config.publicUrl, dataDir: config.dataDir, logger: logger.child({ part: 'connectors' }), whatsapp: config.whatsapp });
  let host: ConnectorHost;
  const channels = new ChannelService(db, registry, box, async (id) => {
    await host.reload(id);
    cluster?.tell('channel', String(id));
  });
  const directory = new ChannelDirectory(db);
  const attachments = new AttachmentStore(db, path.join(config.dataDir, 'attachments'));
  const leads = new LeadService(db, events);
  const contacts = new ContactService(db, events);
  const replyTokens = new ReplyTokens(box);
  const ingest = new IngestService(db, directory, events, leads, attachments, replyTokens);
  const conversations = new ConversationService(db, events);
  let messages: MessageService;
  // Several nodes: a channel with an inbound loop sends from the node running it; the others are told to look.
  const outbox = new Outbox(db, (id) => host.get(id), (tx, m) => messages.saveDelivery(tx, m), (k) => attachments.localPath(k), replyTokens, logger.child({ part: 'outbox' }), {
    leaseMs: config.outboxLeaseMs, ...opts.outbox, ...(cluster ? { skipChannels: () => host.standby(), queued: () => cluster.tell('outbox', '') } : {}),
  });
  messages = new MessageService(db, events, outbox, attachments);
  const history = new PublicHistory(() => db.manager, (k) => attachments.localPath(k));
  const clock = opts.clock ?? Date.now;
  const lineSettings = new LineSettingsCache(db);
  const timers = new TimerService(db, logger.child({ part: 'timers' }), clock, opts.timerPollMs);
  const routing = new RoutingService(db, events, timers, clock, logger.child({ part: 'routing' }));
  const automation = new Automation(db, messages, conversations, timers, clock, logger.child({ part: 'automation' }),
    (conv, prompt) => host.get(conv.channelId)?.ratingRequested?.(conv.contactExternalId, prompt), lineSettings,
    async (channelId) => (await directory.get(channelId)).type === 'sip');

  const calls = createCalls({
    db, events, ingest, directory, channels, registry, box, lineSettings, clock, connector: (id) => host.get(id), logger: logger.child({ part: 'calls' }),
  });

  const operators = new OperatorGateway({
    db, sessions, events, logger, allowedOrigins: [hubOrigin], presenceGraceMs: opts.presenceGraceMs ?? 30_000,
    setPresence: async (id, p) => void (await users.setPresence(id, p)),
    operatorTyping: (conv, typing, name) => host.get(conv.channelId)?.operatorTyping?.(conv.contactExternalId, typing, name),
  });
  host = new ConnectorHost({
    channels, directory, registry, ingest, attachments, history, logger: logger.child({ part: 'connectors' }),
    updateDelivery: (channelId, externalId, status, reason) => messages.updateDelivery(channelId, externalId, status, reason),
    editMessage: (channelId, externalId, text) => messages.editInbound(channelId, externalId, text),
    identify: (channelId, sender, details) => ingest.identify(channelId, { externalId: sender, ...details }),
    rate: async (channelId, sender, score, comment) => (await db.write((tx) => conversations.rate(tx, channelId, sender, score, comment))) !== null,
    db, box,
    // Someone is there to answer: the line is within its working hours and a member is online.
    lineAvailable: async (lineId) => {
      const settings = await lineSettings.get(lineId);
      if (!settings || !isOpen(settings.hours, clock())) return false;
      return (await db.manager.createQueryBuilder(LineMemberEntity, 'lm').innerJoin('users', 'u', 'u.id = lm.user_id')
        .where('lm.line_id = :lineId', { lineId }).andWhere("u.presence = 'online'").getCount()) > 0;
    },
    clientTyping: (conv, typing) => operators.clientTyping(conv, typing),
    calls: calls.port,
    timeIngest: (type, work) => metrics.timeIngest(type, work),
    singletons: cluster,
  });
  const metrics = new HubMetrics({
    db, clock, outboxBacklog: () => outbox.backlog(),
    sockets: () => ({ [OPERATOR_NAMESPACE]: io.of(OPERATOR_NAMESPACE).sockets.size, [VISITOR_NAMESPACE]: io.of(VISITOR_NAMESPACE).sockets.size }),
  });
  // Widgets hear when a line's availability changes. The emit reaches every node's visitors (the
  // adapter), so with several nodes only the coordinator sends it.
  const pushesAvailability = () => !roles || roles.coordinating;
  const followCaches = (e: PublishedEvent) => {
    if (e.type === 'line.updated') lineSettings.forget(e.payload.line.id);
    if ((e.type === 'user.updated' || e.type === 'line.updated' || e.type === 'user.removed') && pushesAvailability()) {
      void host.refreshAvailability().catch((err) => logger.error({ err }, 'availability push failed'));
    }
  };
  const coordinate = (e: PublishedEvent) => [
    routing.onEvent(e).catch((err) => logger.error({ err, seq: e.seq }, 'routing failed')),
    automation.onEvent(e).catch((err) => logger.error({ err, seq: e.seq }, 'automation failed')),
  ];
  bus.subscribe((e) => metrics.onEvent(e));
  // One node: every side effect hangs off this process's bus. Several: see server/cluster/node-roles.ts.
  if (!cluster) {
    bus.subscribe((e) => void operators.onEvent(e).catch((err) => logger.error({ err, seq: e.seq }, 'realtime push failed')));
    bus.subscribe((e) => void coordinate(e));
    bus.subscribe(followCaches);
  }
  const roles = cluster && nodeRoles({
    cluster, db, bus, events, logger,
    async follow(e) {
      followCaches(e);
      await operators.onEvent(e).catch((err) => logger.error({ err, seq: e.seq }, 'realtime push failed'));
    },
    coordinate,
    coordinator: {
      async start() {
        timers.start();
        await routing.startAll();
        // Whatever this node last told the widgets may be stale: the previous coordinator told them since.
        void host.refreshAvailability({ everything: true }).catch((err) => logger.error({ err }, 'availability push failed'));
      },
      async stop() {
        routing.stop();
        await timers.stop();
        await routing.idle();
      },
    },
    reloadChannel: (id) => host.reload(id),
    wakeOutbox: () => outbox.wake(),
  });
  const relayTranscript = cluster && transcriptRelay(io, (id) => host.get(id));

  const api = new ApiRouter((req) => sessions.resolve(readCookie(req.headers.cookie, SESSION_COOKIE)));
  authRoutes(api, {
    db, sessions, users, secureCookies: config.publicUrl.startsWith('https:'),
    limiter: cluster ? (name, max, windowMs) => new RedisRateLimiter(cluster.commands, cluster.key(`ratelimit:${name}:`), max, windowMs, logger) : undefined,
  });
  userRoutes(api, users);
  lineRoutes(api, lines);
  channelRoutes(api, channels);
  conversationRoutes(api, {
    db, conversations, messages, routing, collaboration: new CollaborationService(db, events, conversations, messages),
    async sendTranscript(id) {
      const conv = await db.manager.findOneByOrFail(ConversationEntity, { id });
      const connector = host.get(conv.channelId);
      const elsewhere = !connector && relayTranscript && host.standby().includes(conv.channelId);
      if (!connector?.sendTranscript && !elsewhere) return null;
      const [contact, line] = await Promise.all([db.manager.findOneBy(ContactEntity, { id: conv.contactId }), db.manager.findOneBy(LineEntity, { id: conv.lineId })]);
      const o = { contactName: contact?.name ?? '', title: line?.name ?? 'us' };
      if (elsewhere) return relayTranscript({ channelId: conv.channelId, recipient: conv.contactExternalId, o });
      return connector!.sendTranscript!(conv.contactExternalId, o);
    },
  });
  contactRoutes(api, contacts, db);
  leadRoutes(api, leads, db);
  cannedRoutes(api, db);
  attachmentRoutes(api, { db, store: attachments, maxBytes: config.maxUploadBytes });
  calls.routes(api);
  const openapi = buildOpenApi(api, config.publicUrl);

  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    next();
  });
  app.use(load.middleware((p) => p === '/healthz' || p === '/metrics'));
  app.get('/healthz', async (_req, res) => {
    try {
      await db.manager.query('SELECT 1');
      res.json({ status: 'ok', database: db.kind, outboxBacklog: await outbox.backlog(), ...(cluster ? { node: cluster.nodeId, leases: cluster.held() } : {}) });
    } catch {
      res.status(503).json({ status: 'unavailable', database: db.kind });
    }
  });
  app.get('/api/openapi.json', (_req, res) => res.json(openapi));
  app.get('/metrics', metricsHandler(metrics, config.metricsToken));
  app.use('/api/widget', widgetRoutes(webchat));
  app.use('/hooks/:type/:channelId', express.raw({ type: () => true, limit: '5mb' }), (req, res, next) => {
    const params = req.params as { type: string; channelId: string };
    const hook = /^\d{1,10}$/.test(params.channelId) ? host.webhook(params.type, Number(params.channelId)) : null;
    if (!hook) return next({ status: 404 });
    hook(req, res, next);
  });
  app.use('/api', express.json({ limit: '256kb' }));
  app.use(api.router);
  app.use('/api', (_req, _res, next) => next({ status: 404 }));
  mountStaticAssets(app, async () => (await db.manager.findOne(ChannelEntity, { where: { type: 'webchat', enabled: true }, order: { id: 'ASC' } }))?.publicKey ?? null);
  app.use(errorHandler(logger));
  operators.attach(io);
  webchat.attach(io);

  let boot: BootstrapResult | null = null;
  let availabilityTimer: NodeJS.Timeout | null = null;
  let stopping: Promise<void> | null = null;
  let sharingFiles: Promise<void> = Promise.resolve();

  return {
    config, logger, db, app, http, io, bus, events, cluster, replyTokens, registry, sessions, users, lines, channels, contacts, leads, ingest, conversations, outbox,
    connectors: host, attachments, openapi, timers, routing, calls: calls.service, callTargets: calls.targets, sipAccounts: calls.accounts,
    get messages() {
      return messages;
    },
    /** Bootstraps an empty database, starts the connectors and the outbox, then listens. */
    async start(): Promise<{ url: string; boot: BootstrapResult }> {
      boot = cluster
        ? await cluster.exclusive('startup', () => bootstrap(config, db, { users, lines, channels }))
        : await bootstrap(config, db, { users, lines, channels });
      await host.startAll();
      sharingFiles = attachments.shareLocalFiles(() => stopping !== null).then(
        (n) => void (n && logger.info({ files: n }, 'files received before migration 0008 shared with the other nodes')),
        (err) => logger.warn({ err }, 'sharing files received before migration 0008 stopped; the next start goes on'),
      );
      load.start();
      outbox.start();
      if (roles) {
        // Routing, automatic messages and timers run on one node: whoever holds the coordinator lease.
        await roles.start();
      } else {
        timers.start();
        await routing.startAll();
      }
      // Lines open and close by the clock: widgets hear of it within a minute (only changes are pushed).
      availabilityTimer = setInterval(() => pushesAvailability() && void host.refreshAvailability().catch(() => undefined), 60_000);
      availabilityTimer.unref();
      await new Promise<void>((resolve, reject) => {
        http.once('error', reject);
        http.listen(config.port, config.host, () => resolve());
      });
      const port = (http.address() as AddressInfo).port;
      return { url: `http://localhost:${port}`, boot };
    },
    /**
     * Graceful: stop taking work, let in-flight work finish, give up leases (another node takes over at
     * once rather than after the lease time), close sockets (clients reconnect to another node), then
     * Redis and the database.
     */
    stop(): Promise<void> {
      stopping ??= (async () => {
        http.close();
        load.stop();
        if (availabilityTimer) clearInterval(availabilityTimer);
        if (roles) {
          await roles.stop();
        } else {
          routing.stop();
          await timers.stop();
          await routing.idle();
        }
        await outbox.stop();
        await host.stopAll();
        await new Promise<void>((resolve) => io.close(() => resolve()));
        http.closeAllConnections();
        await sharingFiles;
        await cluster?.close();
        await db.close();
      })();
      return stopping;
    },
  };
}
