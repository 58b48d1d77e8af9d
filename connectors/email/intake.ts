import type { ConnectorContext } from '../contract.js';
import { baseAddress, isIgnored } from './addresses.js';
import { decodeMail, formatBytes, type SkippedFile } from './inbound.js';
import { parseEmail, type ParsedEmail } from './parse.js';
import type { EmailSettings } from './settings.js';

/** What became of one mail; the folder checkpoint moves past it in every case. */
export type IntakeResult = 'ingested' | 'duplicate' | 'bounce' | 'ignored';

const MAX_FILES = 20;

/**
 * Takes in one mail: a bounce marks our message failed, ignored and own mail is dropped, anything
 * else is stored with its files and ingested. Resolves only after the hub committed it, so the
 * caller may then move the checkpoint.
 */
export class MailIntake {
  constructor(private readonly s: EmailSettings, private readonly ctx: Pick<ConnectorContext, 'ingest' | 'updateDelivery' | 'saveAttachment' | 'logger'>) {}

  async take(raw: Buffer): Promise<IntakeResult> {
    return this.takeParsed(await readable(raw));
  }

  /** A mail too large to download: its headers only, with a note of what was left on the server. */
  async takeOversized(headers: Buffer, size: number): Promise<IntakeResult> {
    const p = await readable(headers);
    p.text = `[This e-mail is ${formatBytes(size)}, above the ${formatBytes(this.s.maxMessageBytes)} limit of this channel; open it in the mailbox to read it]`;
    p.html = null;
    return this.takeParsed(p);
  }

  private async takeParsed(p: ParsedEmail): Promise<IntakeResult> {
    const log = this.ctx.logger;
    if (p.kind.kind === 'bounce') {
      if (p.kind.originalMessageId) await this.ctx.updateDelivery(p.kind.originalMessageId, 'failed', p.kind.reason);
      log.info({ messageId: p.messageId, original: p.kind.originalMessageId, reason: p.kind.reason }, 'bounce received');
      return 'bounce';
    }
    const from = p.from;
    if (!from) {
      log.warn({ messageId: p.messageId }, 'mail without a From address skipped');
      return 'ignored';
    }
    // Our own mail (a copy, or a loop through an alias) is never a customer writing.
    if (baseAddress(from.address) === baseAddress(this.s.fromAddress) || isIgnored(from.address, this.s.ignore)) {
      log.info({ messageId: p.messageId, from: from.address }, 'mail from an ignored or own address skipped');
      return 'ignored';
    }
    const files = await this.storeFiles(from.address, p);
    const result = await this.ctx.ingest(decodeMail({ ...p, from }, files));
    return result.duplicate ? 'duplicate' : 'ingested';
  }

  private async storeFiles(sender: string, p: ParsedEmail) {
    const attachmentIds: number[] = [];
    const cids = new Map<string, string | null>();
    const skipped: SkippedFile[] = [];
    for (const f of p.files) {
      const size = f.data.length;
      let reason: string | null = null;
      if (size > this.s.maxAttachmentBytes) reason = `larger than the ${formatBytes(this.s.maxAttachmentBytes)} limit`;
      else if (attachmentIds.length >= MAX_FILES) reason = `more than ${MAX_FILES} files in one e-mail`;
      if (reason) {
        skipped.push({ fileName: f.fileName, size, reason });
        if (f.contentId) cids.set(f.contentId, null);
        continue;
      }
      const stored = await this.ctx.saveAttachment(sender, { fileName: f.fileName, mimeType: f.mimeType, data: f.data });
      attachmentIds.push(stored.id);
      if (f.contentId) cids.set(f.contentId, `/api/attachments/${stored.id}`);
    }
    return { attachmentIds, cids, skipped };
  }
}

/** Parses, or fails with `mail_unreadable`: such a mail is skipped rather than retried forever. */
async function readable(raw: Buffer): Promise<ParsedEmail> {
  try {
    return await parseEmail(raw);
  } catch (err) {
    throw Object.assign(new Error(`unreadable e-mail: ${(err as Error).message}`), { code: 'mail_unreadable' });
  }
}
