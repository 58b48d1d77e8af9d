import { timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { Telegraf, TelegramError } from 'telegraf';
import type { ChannelInfo, Connector, ConnectorContext } from '../contract.js';
import { SendError } from '../contract.js';
import type { OutboundMessage } from '../../shared/outbound.js';
import { decodeUpdate, TgUpdate, type TgFileRef } from './inbound.js';
import { sendParts } from './outbound.js';
import { ALLOWED_UPDATES, TelegramPoller } from './polling.js';
import { updateMode, webhookSecret, type TelegramSettings } from './settings.js';

/** The Bot API serves downloads up to 20 MB. */
const DOWNLOAD_MAX_BYTES = 20 * 1024 * 1024;
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** One bot: receives by webhook or long polling, sends through the Bot API. */
export class TelegramChannel implements Connector {
  private readonly bot: Telegraf;
  private readonly mode: 'webhook' | 'polling';
  private readonly secret: string;
  private readonly progress = new Map<number, number[]>();
  private poller: TelegramPoller | null = null;
  private readonly abort = new AbortController();
  private starting: Promise<void> | null = null;

  constructor(
    private readonly channel: ChannelInfo,
    private readonly settings: TelegramSettings,
    private readonly ctx: ConnectorContext,
    private readonly publicUrl: string,
  ) {
    this.bot = new Telegraf(settings.botToken, { telegram: { apiRoot: settings.apiRoot, webhookReply: false } });
    this.mode = updateMode(settings.mode, publicUrl);
    this.secret = webhookSecret(settings.botToken, channel.id);
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  get webhookUrl(): string {
    return `${this.publicUrl}/hooks/telegram/${this.channel.id}`;
  }

  /** Returns at once: the bot is checked and connected in the background, with retries while Telegram is unreachable. */
  async start(): Promise<void> {
    this.starting = this.connect();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.poller?.stop();
    await this.starting?.catch(() => undefined);
  }

  async send(m: OutboundMessage): Promise<{ externalId: string }> {
    const quote = this.settings.quoteReplies || Number(m.recipientExternalId) < 0;
    try {
      return await sendParts(this.bot.telegram, m, { quote, progress: this.progress });
    } catch (err) {
      if (err instanceof SendError && !err.transient) this.progress.delete(m.messageId);
      throw err;
    }
  }

  /** Telegram calls this with the secret it was given in setWebhook; anything else is refused before parsing. */
  webhook(req: Request, res: Response): void {
    const given = Buffer.from(String(req.headers[SECRET_HEADER] ?? ''));
    const expected = Buffer.from(this.secret);
    if (req.method !== 'POST' || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.status(401).json({ error: 'bad secret token' });
      return;
    }
    let update: TgUpdate;
    try {
      update = TgUpdate.parse(JSON.parse((req.body as Buffer).toString('utf8')));
    } catch {
      res.status(400).json({ error: 'not a Telegram update' });
      return;
    }
    // Answer only after ingest committed: a non-2xx makes Telegram deliver the update again.
    this.handle(update).then(
      () => res.json({ ok: true }),
      (err) => {
        this.ctx.logger.error({ err, updateId: update.update_id }, 'telegram webhook update failed');
        res.status(500).json({ error: 'not stored; retry' });
      },
    );
  }

  /** Stores one update: a new message (with its file) or an edit of one already stored. */
  async handle(update: TgUpdate): Promise<void> {
    const d = decodeUpdate(update, this.settings.acceptGroups);
    if (d.kind === 'skip') return;
    if (d.kind === 'edit') return this.ctx.editMessage(d.externalId, d.text);
    const attachmentIds: number[] = [];
    let text = d.message.text ?? '';
    if (d.file) {
      const saved = await this.fetchFile(d.message.sender.externalId, d.file);
      if (saved) attachmentIds.push(saved);
      else text = [text, `[${d.file.fileName}: larger than the 20 MB Telegram lets bots download]`].filter(Boolean).join('\n');
    }
    await this.ctx.ingest({ ...d.message, text, attachmentIds });
  }

  private async fetchFile(sender: string, f: TgFileRef): Promise<number | null> {
    if ((f.size ?? 0) > DOWNLOAD_MAX_BYTES) return null;
    const link = await this.bot.telegram.getFileLink(f.fileId);
    const res = await fetch(link, { signal: this.abort.signal });
    if (!res.ok) throw new Error(`file download failed: HTTP ${res.status}`);
    const data = Buffer.from(await res.arrayBuffer());
    return (await this.ctx.saveAttachment(sender, { fileName: f.fileName, mimeType: f.mimeType, data })).id;
  }

  private async connect(): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        const me = await this.bot.telegram.getMe();
        if (this.mode === 'webhook') {
          await this.bot.telegram.setWebhook(this.webhookUrl, { secret_token: this.secret, allowed_updates: [...ALLOWED_UPDATES], max_connections: 10 });
          this.ctx.reportStatus('connected', `@${me.username} via webhook`);
          return;
        }
        await this.bot.telegram.deleteWebhook({ drop_pending_updates: false });
        this.poller = new TelegramPoller(this.bot.telegram, this.ctx, (u) => this.handle(u), {
          botId: me.id,
          timeoutSeconds: this.settings.pollTimeoutSeconds,
          onHealthy: () => this.ctx.reportStatus('connected', `@${me.username} via long polling`),
          onTrouble: (reason, fatal) => this.ctx.reportStatus(fatal ? 'needs_action' : 'error', reason),
        });
        if (!this.stopped) this.poller.start();
        return;
      } catch (err) {
        if (err instanceof TelegramError && err.code === 401) {
          this.ctx.reportStatus('needs_action', 'Telegram rejected the bot token (401 Unauthorized): check it with @BotFather');
          return;
        }
        this.ctx.logger.warn({ err, attempt }, 'telegram connect failed; retrying');
        this.ctx.reportStatus('error', `Cannot reach Telegram: ${(err as Error).message}`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, Math.min(60_000, 1000 * 2 ** Math.min(attempt, 6)));
          this.abort.signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
        });
      }
    }
  }
}
