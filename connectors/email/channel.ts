import type { ChannelInfo, Connector, ConnectorContext } from '../contract.js';
import type { OutboundMessage } from '../../shared/outbound.js';
import { CheckpointStore } from './checkpoint.js';
import { MailIntake } from './intake.js';
import { SmtpSender } from './outbound.js';
import type { EmailSettings } from './settings.js';
import { transcriptMail } from './transcript.js';
import { FolderWatcher, type FolderStatus, type WatcherDeps } from './watcher.js';

export interface EmailChannelOptions {
  backoffMs?: WatcherDeps['backoffMs'];
}

/**
 * One mailbox: a watcher per folder for inbound mail, SMTP for replies. The channel's status is
 * the folders' together: connected when all are, else the first folder's error with its reason.
 */
export class EmailChannel implements Connector {
  private readonly watchers: FolderWatcher[];
  private readonly statuses = new Map<string, FolderStatus>();
  private readonly smtp: SmtpSender;
  private lastReported = '';
  private stopped = false;

  constructor(readonly channel: ChannelInfo, private readonly s: EmailSettings, private readonly ctx: ConnectorContext, options: EmailChannelOptions = {}) {
    this.smtp = new SmtpSender(s, ctx.logger);
    const sync = { checkpoints: new CheckpointStore(ctx.state), intake: new MailIntake(s, ctx), settings: s, logger: ctx.logger };
    const folders = [...new Set(s.folders)];
    this.watchers = folders.map((f) => new FolderWatcher(f, {
      settings: s, sync, logger: ctx.logger, backoffMs: options.backoffMs, onStatus: (folder, st) => this.folderStatus(folder, st),
    }));
  }

  async start(): Promise<void> {
    this.ctx.reportStatus('starting');
    for (const w of this.watchers) w.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.watchers.map((w) => w.stop()));
    this.smtp.close();
  }

  send(m: OutboundMessage): Promise<{ externalId: string }> {
    return this.smtp.sendReply(m);
  }

  /**
   * Mails the customer their dialog on this channel: the hub's public history only, so internal
   * notes can never be in it. Resolves with the number of messages sent.
   */
  async sendTranscript(recipientExternalId: string, o: { contactName: string; title: string; timeZone?: string }): Promise<number> {
    const messages = await this.ctx.publicHistory(recipientExternalId, 0, 500);
    if (!messages.length) return 0;
    await this.smtp.sendMail(transcriptMail(recipientExternalId, messages, this.s, o), { transcript: true });
    return messages.length;
  }

  private folderStatus(folder: string, st: FolderStatus): void {
    if (this.stopped) return;
    this.statuses.set(folder, st);
    const all = this.watchers.map((w) => this.statuses.get(w.folder) ?? { state: 'starting' as const, reason: null });
    const failed = all.find((x) => x.state === 'error');
    const many = this.watchers.length > 1;
    const [status, reason] = failed
      ? (['error', many ? `${this.watchers[all.indexOf(failed)]!.folder}: ${failed.reason}` : failed.reason] as const)
      : all.every((x) => x.state === 'connected') ? (['connected', null] as const) : (['starting', null] as const);
    const key = `${status}|${reason}`;
    if (key === this.lastReported) return;
    this.lastReported = key;
    this.ctx.reportStatus(status, reason);
  }
}
