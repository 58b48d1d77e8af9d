import { createHash } from 'node:crypto';
import { simpleParser, type ParsedMail } from 'mailparser';
import { mailboxes, type Mailbox } from './addresses.js';
import { classify, headerValue, type MailKind } from './classify.js';
import { findReplyToken, messageIdsIn, normalizeMessageId, type ThreadHeaders } from './threading.js';

/** One received mail, decoded: who, what, threading facts, files, and whether a person wrote it. */
export interface ParsedEmail extends ThreadHeaders {
  from: Mailbox | null;
  to: Mailbox[];
  cc: Mailbox[];
  /** Envelope recipients the delivering server recorded (Delivered-To, X-Original-To): how Bcc and aliases arrived. */
  deliveredTo: string[];
  subject: string;
  date: Date | null;
  text: string;
  html: string | null;
  files: MailFile[];
  replyToken: string | undefined;
  kind: MailKind;
}

export interface MailFile {
  fileName: string;
  mimeType: string;
  data: Buffer;
  /** Content-ID without brackets, lower-cased, for `cid:` references. */
  contentId: string | null;
  /** Shown inside the HTML rather than listed as a file. */
  inline: boolean;
}

/** Parts that describe the mail rather than carry a file: never stored as attachments. */
const REPORT_PART = /^(message\/(global-)?delivery-status|message\/disposition-notification|text\/rfc822-headers)$/i;

export async function parseEmail(raw: Buffer): Promise<ParsedEmail> {
  const mail: ParsedMail = await simpleParser(raw, { keepCidLinks: true, keepDeliveryStatus: true, skipTextToHtml: true, skipImageLinks: true });
  const source = raw.toString('latin1');
  const messageId = normalizeMessageId(mail.messageId) ?? syntheticId(raw);
  const to = mailboxes(mail.to);
  const cc = mailboxes(mail.cc);
  const deliveredTo = ['delivered-to', 'x-original-to', 'envelope-to', 'x-envelope-to']
    .flatMap((name) => mail.headerLines.filter((l) => l.key === name).map((l) => l.line.slice(l.line.indexOf(':') + 1).trim().toLowerCase()));
  const subject = (mail.subject ?? '').trim();
  return {
    messageId,
    inReplyTo: messageIdsIn(headerValue(mail.headerLines, 'in-reply-to') ?? mail.inReplyTo).slice(0, 1),
    references: messageIdsIn(headerValue(mail.headerLines, 'references') ?? mail.references),
    from: mailboxes(mail.from)[0] ?? null,
    to,
    cc,
    deliveredTo,
    subject,
    date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : null,
    text: (mail.text ?? '').replace(/\r\n/g, '\n').trim(),
    html: typeof mail.html === 'string' && mail.html.trim() ? mail.html : null,
    files: mail.attachments
      .filter((a) => !REPORT_PART.test(a.contentType))
      .map((a) => ({
        fileName: a.filename || defaultName(a.contentType),
        mimeType: a.contentType || 'application/octet-stream',
        data: a.content,
        contentId: a.contentId ? a.contentId.replace(/^<|>$/g, '').toLowerCase() : null,
        inline: !!a.contentId && (a.related || a.contentDisposition === 'inline'),
      })),
    replyToken: findReplyToken([...to, ...cc].map((m) => m.address).concat(deliveredTo), subject),
    kind: classify(mail, source),
  };
}

/** A stable id for mail without a Message-ID, so a re-sync of the same mail is still a duplicate. */
function syntheticId(raw: Buffer): string {
  return `<${createHash('sha256').update(raw).digest('hex').slice(0, 40)}@no-message-id.omniline>`;
}

function defaultName(mimeType: string): string {
  const ext = /^image\/(png|jpeg|gif|webp)$/.exec(mimeType)?.[1];
  if (mimeType === 'message/rfc822') return 'message.eml';
  return ext ? `image.${ext === 'jpeg' ? 'jpg' : ext}` : 'attachment.bin';
}
