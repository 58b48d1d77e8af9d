import { z } from 'zod';
import type { InboundMessage } from '../../shared/inbound.js';
import { prepareHtml, quotedTextToHtml, textToHtml, type CidMap } from './html.js';
import type { ParsedEmail } from './parse.js';
import { findTextQuote } from './quote.js';
import { threadKey, threadRefs } from './threading.js';

export interface SkippedFile {
  fileName: string;
  size: number;
  reason: string;
}

/** What intake did with the mail's files before decoding: stored ids, `cid:` targets, and what it left out. */
export interface StoredFiles {
  attachmentIds: number[];
  cids: CidMap;
  skipped: SkippedFile[];
}

const MAX_TEXT = 100_000;
const MAX_HTML = 1_900_000;
const isEmail = (v: string) => z.email().safeParse(v).success;

/**
 * A received mail as the hub's `InboundMessage`: the Message-ID is the idempotency key, the
 * lower-cased From address the contact's identity, and the threading facts let the hub continue
 * the right conversation. The quoted history stays in `text`; `meta.quotedFrom` says where it starts.
 */
export function decodeMail(p: ParsedEmail & { from: NonNullable<ParsedEmail['from']> }, files: StoredFiles): Omit<InboundMessage, 'channelId'> {
  const notice = files.skipped.map((f) => `[Attachment not stored: ${f.fileName} (${formatBytes(f.size)}): ${f.reason}]`);
  let text = p.text;
  if (text.length > MAX_TEXT) text = `${text.slice(0, MAX_TEXT - 200)}\n\n[The text was shortened: the mail is longer than ${MAX_TEXT} characters]`;
  const quoteAt = findTextQuote(text);
  let html: string | undefined;
  if (p.html) html = prepareHtml(p.html, files.cids).html;
  else if (quoteAt !== null) html = quotedTextToHtml(text, quoteAt);
  if (notice.length) {
    text = `${text}\n\n${notice.join('\n')}`.trim();
    if (html !== undefined) html += textToHtml(notice.join('\n'));
  }
  if (html !== undefined && html.length > MAX_HTML) html = undefined;
  const meta: Record<string, unknown> = {
    subject: p.subject,
    messageId: p.messageId,
    to: p.to.map((m) => m.address),
    cc: p.cc.map((m) => m.address),
  };
  if (p.deliveredTo.length) meta.deliveredTo = p.deliveredTo;
  if (p.kind.kind === 'auto') Object.assign(meta, { autoReply: true, autoReplyReason: p.kind.reason });
  if (quoteAt !== null) meta.quotedFrom = quoteAt;
  if (files.skipped.length) meta.skippedAttachments = files.skipped;
  return {
    externalId: p.messageId,
    sender: {
      externalId: p.from.address.slice(0, 320),
      ...(p.from.name ? { name: p.from.name.slice(0, 200) } : {}),
      ...(isEmail(p.from.address) ? { email: p.from.address } : {}),
    },
    text,
    ...(html !== undefined ? { html } : {}),
    attachmentIds: files.attachmentIds,
    ...(p.date ? { sentAt: p.date.toISOString() } : {}),
    threadRefs: threadRefs(p),
    threadKey: threadKey(p),
    ...(p.replyToken ? { replyToken: p.replyToken } : {}),
    meta,
  };
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}
