import { rm } from 'node:fs/promises';
import type { ChannelInfo, Connector, ConnectorContext } from '../contract.js';
import { SendError } from '../contract.js';
import type { OutboundMessage } from '../../shared/outbound.js';
import { ackStatus, chatIdOf, decodeWa } from './inbound.js';
import type { FromWorker, SendCommand, WaMessageDto } from './protocol.js';
import { SendJournal } from './send-journal.js';
import { sessionDir, type SessionSnapshot } from './session-snapshot.js';
import type { WhatsappSettings } from './settings.js';
import { INITIAL_STATUS, nextStatus, sessionLost, type WaEvent, type WaStatus } from './status.js';
import { WorkerError, WorkerSupervisor } from './supervisor.js';

export interface WhatsappRuntime {
  /** Folder for LocalAuth sessions (`<DATA_DIR>/whatsapp`). */
  sessionsDir: string;
  clientModule: string;
  env?: Record<string, string>;
  backoff?: { baseMs: number; maxMs: number };
  /** When the worker packs the session for `ctx.secrets`. */
  snapshots: { firstMs: number; everyMs: number };
}

interface Seen {
  chats: Record<string, number>;
  all: number | null;
}

const SEEN_KEY = 'seen';
const SESSION_KEY = 'session';
const MAX_CHATS = 5000;

/**
 * One WhatsApp number over WhatsApp Web. The client runs in a supervised child process; this side keeps
 * the durable facts (last message seen per chat, the send journal) in the channel's state and the
 * session's snapshots in its secrets, so any node can take the number over without a new QR code. It
 * turns worker events into the status machine, ingests messages one at a time and maps acks to
 * delivery statuses.
 */
export class WhatsappWebChannel implements Connector {
  // Not yet reported: the first spawn always shows as 'starting'.
  private status: WaStatus = { ...INITIAL_STATUS, reason: '' };
  private readonly supervisor: WorkerSupervisor;
  private readonly journal: SendJournal;
  private queue: Promise<void> = Promise.resolve();
  private seen: Seen = { chats: {}, all: null };
  private lastFatal: string | null = null;
  private readonly recentSends = new Map<string, number>();
  private readonly clientId: string;
  /** Snapshot writes and deletes, in the order the worker's events came. */
  private sessionWrites: Promise<void> = Promise.resolve();

  constructor(
    channel: ChannelInfo,
    settings: WhatsappSettings,
    private readonly ctx: ConnectorContext,
    private readonly runtime: WhatsappRuntime,
  ) {
    this.clientId = `channel-${channel.id}`;
    this.journal = new SendJournal(ctx.state);
    this.supervisor = new WorkerSupervisor({
      config: {
        clientModule: runtime.clientModule, dataPath: runtime.sessionsDir, clientId: this.clientId, chromiumPath: settings.chromiumPath,
        acceptGroups: settings.acceptGroups, snapshots: runtime.snapshots,
      },
      env: runtime.env,
      backoff: runtime.backoff,
      session: () => this.loadSession(),
      onSpawn: (attempt) => this.move({ e: 'spawn', attempt }),
      onMessage: (m) => this.fromWorker(m),
      onExit: (detail, delayMs) => {
        this.ctx.logger.warn({ detail, delayMs, lastFatal: this.lastFatal }, 'whatsapp worker ended; restarting');
        this.move({ e: 'exit', detail: this.lastFatal ?? detail });
        this.lastFatal = null;
        if (sessionLost(this.status)) this.forgetSession();
      },
    });
  }

  async start(): Promise<void> {
    this.seen = JSON.parse((await this.ctx.state.get(SEEN_KEY)) ?? 'null') ?? { chats: {}, all: null };
    this.supervisor.start();
  }

  async stop(): Promise<void> {
    await this.supervisor.stop();
    await this.queue;
    await this.sessionWrites;
  }

  async send(m: OutboundMessage): Promise<{ externalId: string }> {
    if (this.status.state !== 'ready') throw new SendError(`WhatsApp is not connected (${this.status.state})`, true);
    const chatId = chatIdOf(m.recipientExternalId);
    const parts = planParts(chatId, m);
    if (!parts.length) throw new SendError('Nothing to send: the message has no text and no files', false);
    const entry = await this.journal.get(m.messageId);
    try {
      for (let i = entry.ids.length; i < parts.length && !entry.done; i++) {
        const part = parts[i]!;
        if (entry.inDoubt === i) {
          const since = Math.floor(entry.startedAt / 1000) - 5;
          const { id } = await this.supervisor.request<{ id: string | null }>({ t: 'find', cmd: { chatId, text: part.text, since } }, 30_000);
          if (id) {
            this.confirm(entry, id);
            await this.journal.save();
            continue;
          }
        }
        entry.inDoubt = i;
        await this.journal.save();
        const { id } = await this.supervisor.request<{ id: string }>({ t: 'send', cmd: part }, 120_000);
        this.confirm(entry, id);
        await this.journal.save();
      }
    } catch (err) {
      if (err instanceof WorkerError) throw new SendError(`WhatsApp: ${err.message}`, !err.permanent);
      throw err;
    }
    entry.done = true;
    await this.journal.save();
    return { externalId: entry.ids[0]! };
  }

  private confirm(entry: { ids: string[]; inDoubt?: number }, id: string): void {
    entry.ids.push(id);
    delete entry.inDoubt;
    this.recentSends.set(id, Date.now());
  }

  private move(ev: WaEvent): void {
    const next = nextStatus(this.status, ev);
    if (next.reason === this.status.reason && next.channel === this.status.channel) return;
    this.status = next;
    this.ctx.reportStatus(next.channel, next.reason);
  }

  private fromWorker(m: FromWorker): void {
    switch (m.t) {
      case 'state':
        if (m.state === 'qr') return this.move({ e: 'qr', qr: m.detail ?? '' });
        if (m.state === 'authenticated') return this.move({ e: 'authenticated' });
        if (m.state === 'auth_failure') return this.move({ e: 'auth_failure', message: m.detail ?? '' });
        if (m.state === 'disconnected') return this.move({ e: 'disconnected', reason: m.detail ?? 'unknown' });
        this.move({ e: 'ready', phone: m.detail });
        this.supervisor.healthy();
        return void this.catchUp();
      case 'message':
        return this.enqueue(m.msg);
      case 'ack':
        return this.ack(m.id, m.ack);
      case 'fatal':
        this.lastFatal = m.error;
        return this.ctx.logger.error({ error: m.error }, 'whatsapp worker error');
      case 'session':
        return this.keepSession(m.snapshot);
      case 'log':
        this.ctx.logger[m.level]({}, m.msg);
    }
  }

  private async loadSession(): Promise<SessionSnapshot | null> {
    try {
      await this.sessionWrites;
      const stored = await this.ctx.secrets.get(SESSION_KEY);
      if (!stored) return null;
      const nl = stored.indexOf(0x0a);
      return { id: stored.subarray(0, nl).toString('utf8'), data: stored.subarray(nl + 1) };
    } catch (err) {
      this.ctx.logger.warn({ err }, 'whatsapp session snapshot not loaded; the worker starts from its local folder');
      return null;
    }
  }

  /** `<id>\n<data>`, sealed by the host. */
  private keepSession(s: SessionSnapshot): void {
    if (sessionLost(this.status)) return;
    this.sessionWrites = this.sessionWrites
      .then(() => this.ctx.secrets.set(SESSION_KEY, Buffer.concat([Buffer.from(`${s.id}\n`), s.data])))
      .catch((err) => this.ctx.logger.warn({ err }, 'whatsapp session snapshot not stored; the next one tries again'));
  }

  /** The phone unlinked this device: neither the folder nor the snapshot may start a client again. */
  private forgetSession(): void {
    this.sessionWrites = this.sessionWrites
      .then(() => Promise.all([rm(sessionDir(this.runtime.sessionsDir, this.clientId), { recursive: true, force: true }), this.ctx.secrets.set(SESSION_KEY, null)]))
      .then(() => undefined, (err) => this.ctx.logger.error({ err }, 'whatsapp session of an unlinked device not deleted'));
  }

  /** After every ready: fetch per chat what arrived while we were away; ingest deduplicates. */
  private async catchUp(): Promise<void> {
    try {
      const r = await this.supervisor.request<{ chats: number; messages: number }>({ t: 'sync', cmd: { since: this.seen.chats, fallback: this.seen.all } }, 600_000);
      if (r.messages) this.ctx.logger.info(r, 'whatsapp messages missed while disconnected fetched');
    } catch (err) {
      this.ctx.logger.warn({ err }, 'whatsapp gap sync failed; the next reconnect tries again');
    }
  }

  private enqueue(dto: WaMessageDto): void {
    this.queue = this.queue.then(() => this.receive(dto)).catch((err) => this.ctx.logger.error({ err, id: dto.id }, 'whatsapp message not stored'));
  }

  private async receive(dto: WaMessageDto): Promise<void> {
    const d = decodeWa(dto);
    const attachmentIds: number[] = [];
    if (d.file) attachmentIds.push((await this.ctx.saveAttachment(d.message.sender.externalId, d.file)).id);
    await this.ctx.ingest({ ...d.message, attachmentIds });
    const chats = this.seen.chats;
    chats[dto.chatId] = Math.max(chats[dto.chatId] ?? 0, dto.timestamp);
    this.seen.all = Math.max(this.seen.all ?? 0, dto.timestamp);
    const keys = Object.keys(chats);
    if (keys.length > MAX_CHATS) for (const k of keys.sort((a, b) => chats[a]! - chats[b]!).slice(0, keys.length - MAX_CHATS)) delete chats[k];
    await this.ctx.state.set(SEEN_KEY, JSON.stringify(this.seen));
  }

  /** Acks can overtake the outbox recording the id it just got: for fresh sends the ack is applied again shortly after. */
  private ack(id: string, ack: number): void {
    const status = ackStatus(ack);
    if (!status) return;
    const apply = () => void this.ctx.updateDelivery(id, status, status === 'failed' ? 'WhatsApp reported the message as not delivered' : undefined).catch(() => undefined);
    apply();
    const sentAt = this.recentSends.get(id);
    if (sentAt && Date.now() - sentAt < 60_000) setTimeout(apply, 2000).unref();
    for (const [k, at] of this.recentSends) if (Date.now() - at > 120_000) this.recentSends.delete(k);
  }
}

/** One send per file (the text as the first file's caption), or the text alone. */
export function planParts(chatId: string, m: Pick<OutboundMessage, 'text' | 'attachments'>): SendCommand[] {
  const text = m.text.trim();
  if (!m.attachments.length) return text ? [{ chatId, text }] : [];
  return m.attachments.map((a, i) => ({
    chatId, text: i === 0 ? text : '',
    media: { path: a.path, mimeType: a.mimeType, fileName: a.fileName, asDocument: !/^(image\/(jpeg|png|webp)|video\/mp4|audio\/(ogg|mpeg|mp4))$/.test(a.mimeType) },
  }));
}
