import type { Logger } from 'pino';
import type { Connector, ConnectorContext, ConnectorDefinition } from '../../connectors/contract.js';
import type { DeliveryStatus } from '../../shared/outbound.js';
import type { CallTargets, CallUpdate } from '../../shared/calls.js';
import type { InboundMessage, IngestResult } from '../../shared/inbound.js';
import type { AttachmentStore } from '../attachments/attachment.store.js';
import type { Conversation } from '../conversations/conversation.entity.js';
import type { PublicHistory } from '../conversations/public-history.js';
import type { IngestService } from '../ingest/ingest.service.js';
import type { ChannelDirectory } from './channel-directory.js';
import type { Channel } from './channel.entity.js';
import type { ChannelService } from './channel.service.js';
import type { ConnectorRegistry } from './connector-registry.js';
import type { Database } from '../db/database.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { connectorState } from './connector-state.js';

/** What the host needs of the calls domain for telephony connectors. */
export interface CallsPort {
  /** Ingests a call; a ringing incoming one is announced to who may take it. */
  ingest(channelId: number, message: Omit<InboundMessage, 'channelId'>): Promise<{ result: IngestResult }>;
  update(channelId: number, externalId: string, update: CallUpdate): Promise<unknown>;
  targets(lineId: number): Promise<CallTargets>;
  mayCall(lineId: number, userId: number): Promise<boolean>;
}

/**
 * Runs work on one node of a cluster at a time (`server/cluster`): `lead` keeps trying for the named
 * lease and runs the job while it holds it, until the handle is closed.
 */
export interface SingletonRunner {
  lead(name: string, job: { start(): Promise<void>; stop(): Promise<void> }): { readonly isHeld: boolean; close(): Promise<void> };
}

export interface ConnectorHostDeps {
  channels: ChannelService;
  directory: ChannelDirectory;
  registry: ConnectorRegistry;
  ingest: IngestService;
  attachments: AttachmentStore;
  history: PublicHistory;
  updateDelivery(channelId: number, externalId: string, status: DeliveryStatus, reason?: string): Promise<void>;
  editMessage(channelId: number, externalId: string, text: string): Promise<void>;
  rate(channelId: number, senderExternalId: string, score: number, comment: string | null): Promise<boolean>;
  identify(channelId: number, senderExternalId: string, details: { name?: string; email?: string; phone?: string }): Promise<void>;
  db: Database;
  /** Seals the channels' secret state (`ConnectorContext.secrets`). */
  box: SecretBox;
  lineAvailable(lineId: number): Promise<boolean>;
  clientTyping(conversation: Conversation, typing: boolean): void;
  /** Measures one ingest (metrics); must run `work` and return its result. */
  timeIngest<T>(channelType: string, work: () => Promise<T>): Promise<T>;
  calls: CallsPort;
  logger: Logger;
  /**
   * Several nodes: channels whose connector runs an inbound loop (`ConnectorDefinition.inboundLoop`)
   * run only on the node holding their lease. Without it (one node) every channel runs here.
   */
  singletons?: SingletonRunner | null;
}

/**
 * Runs one connector per enabled channel and gives each the narrow context of its own channel. With
 * several nodes, a channel with an inbound loop (a mailbox, a polling bot, a WhatsApp Web session) runs
 * on the one node holding its lease and waits on the others; every other channel runs on every node.
 */
export class ConnectorHost {
  private readonly running = new Map<number, { connector: Connector; lineId: number; type: string }>();
  private readonly online = new Map<number, boolean>();
  private readonly leased = new Map<number, { type: string; lease: ReturnType<SingletonRunner['lead']> }>();

  constructor(private readonly deps: ConnectorHostDeps) {}

  get(channelId: number): Connector | undefined {
    return this.running.get(channelId)?.connector;
  }

  /** Recomputes each line's availability and tells the channels whose line changed (all of them with `everything`). */
  async refreshAvailability(o: { everything?: boolean } = {}): Promise<void> {
    if (o.everything) this.online.clear();
    for (const [channelId, { connector, lineId }] of this.running) {
      if (!connector.availabilityChanged) continue;
      const online = await this.deps.lineAvailable(lineId);
      // Stopped while the line was being looked at (a reload, the hub shutting down): it no longer tells anyone.
      if (this.running.get(channelId)?.connector !== connector || this.online.get(channelId) === online) continue;
      this.online.set(channelId, online);
      connector.availabilityChanged(online);
    }
  }

  async startAll(): Promise<void> {
    for (const c of await this.deps.channels.list()) if (c.enabled) await this.start(c.id);
  }

  /** Applies a change to a channel: stop what runs, start it again if it still exists and is enabled. */
  async reload(channelId: number): Promise<void> {
    this.deps.directory.forget(channelId);
    const c = await this.deps.channels.get(channelId).catch(() => null);
    await this.stop(channelId, !c?.enabled);
    if (c?.enabled) await this.start(channelId);
  }

  /** Stops every connector; with several nodes the channels go on elsewhere, so their status is left as it is. */
  async stopAll(): Promise<void> {
    const markStopped = !this.deps.singletons;
    await Promise.all([...new Set([...this.running.keys(), ...this.leased.keys()])].map((id) => this.stop(id, markStopped)));
  }

  /** Channels with an inbound loop that another node runs now: this node neither sends on them nor serves their hooks. */
  standby(): number[] {
    return [...this.leased].filter(([, l]) => !l.lease.isHeld).map(([id]) => id);
  }

  private async stop(channelId: number, markStopped: boolean): Promise<void> {
    const leased = this.leased.get(channelId);
    this.leased.delete(channelId);
    const wasRunning = this.running.has(channelId);
    // Closing the lease stops the connector if it runs here and frees the lease for another node at once.
    await leased?.lease.close();
    await this.halt(channelId);
    if (wasRunning && markStopped) await this.deps.channels.setStatus(channelId, 'stopped', null).catch(() => undefined);
  }

  private async halt(channelId: number): Promise<void> {
    const connector = this.running.get(channelId)?.connector;
    if (!connector) return;
    this.running.delete(channelId);
    this.online.delete(channelId);
    try {
      await connector.stop();
    } catch (err) {
      this.deps.logger.warn({ err, channelId }, 'connector did not stop cleanly');
    }
  }

  private async start(channelId: number): Promise<void> {
    const { channels, registry, logger } = this.deps;
    const c = await channels.get(channelId);
    let def: ConnectorDefinition<unknown>;
    let settings: unknown;
    try {
      def = registry.get(c.type);
      settings = def.settings.parse(channels.settingsOf(c));
    } catch (err) {
      logger.error({ err, channelId }, 'connector failed to start');
      return channels.setStatus(c.id, 'error', (err as Error).message ?? 'failed to start');
    }
    if (this.deps.singletons && def.inboundLoop?.(settings)) {
      const lease = this.deps.singletons.lead(`channel:${c.id}`, { start: () => this.launch(c, def, settings), stop: () => this.halt(c.id) });
      this.leased.set(c.id, { type: c.type, lease });
      return;
    }
    await this.launch(c, def, settings);
  }

  private async launch(c: Channel, def: ConnectorDefinition<unknown>, settings: unknown): Promise<void> {
    const { channels, logger } = this.deps;
    try {
      const connector = def.create({ id: c.id, name: c.name, publicKey: c.publicKey }, settings, this.context(c.id, c.lineId, c.type));
      await channels.setStatus(c.id, 'starting', null);
      await connector.start();
      this.running.set(c.id, { connector, lineId: c.lineId, type: c.type });
    } catch (err) {
      logger.error({ err, channelId: c.id }, 'connector failed to start');
      await channels.setStatus(c.id, 'error', (err as Error).message ?? 'failed to start');
    }
  }

  /**
   * Hands a provider's request to the channel's webhook; unknown or stopped channels answer 404. A
   * channel another node runs answers 503 with Retry-After, so the provider delivers it again.
   */
  webhook(type: string, channelId: number): Connector['webhook'] | null {
    const running = this.running.get(channelId);
    if (running?.connector.webhook && running.type === type) return running.connector.webhook.bind(running.connector);
    const leased = this.leased.get(channelId);
    if (running || !leased || leased.type !== type) return null;
    return (_req, res) => void res.status(503).setHeader('Retry-After', '5')
      .json({ error: { code: 'unavailable', message: 'This channel runs on another node at the moment; deliver again shortly' } });
  }

  private context(channelId: number, lineId: number, type: string): ConnectorContext {
    const d = this.deps;
    const logger = d.logger.child({ channelId });
    return {
      channelId,
      logger,
      ingest: (m) => d.timeIngest(type, async () => (m.call ? (await d.calls.ingest(channelId, m)).result : d.ingest.ingest({ ...m, channelId }))),
      updateDelivery: (externalId, status, reason) => d.updateDelivery(channelId, externalId, status, reason),
      reportStatus: (status, reason = null) => {
        void d.channels.setStatus(channelId, status, reason).catch((err) => logger.error({ err }, 'could not save channel status'));
      },
      saveAttachment: async (sender, file) => {
        const a = await d.attachments.save(`${channelId}:${sender}`, file);
        return { id: a.id, path: await d.attachments.localPath(a.storageKey), fileName: a.fileName, mimeType: a.mimeType, size: a.size };
      },
      openAttachment: (sender, id) => d.history.file(channelId, sender, id),
      publicHistory: (sender, afterId, limit) => d.history.messages(channelId, sender, afterId, limit),
      clientTyping: (sender, typing) => {
        void d.history.liveConversation(channelId, sender).then((conv) => conv && d.clientTyping(conv, typing), () => undefined);
      },
      isLineAvailable: () => d.lineAvailable(lineId),
      editMessage: (externalId, text) => d.editMessage(channelId, externalId, text),
      rate: (sender, score, comment) => d.rate(channelId, sender, score, comment?.trim() || null),
      identify: (sender, details) => d.identify(channelId, sender, details),
      updateCall: async (externalId, update) => void (await d.calls.update(channelId, externalId, update)),
      callTargets: () => d.calls.targets(lineId),
      mayCall: (userId) => d.calls.mayCall(lineId, userId),
      ...connectorState(d.db, d.box, channelId),
    };
  }
}
