import type Mail from 'nodemailer/lib/mailer/index.js';
import type { OutboundMessage } from '../../shared/outbound.js';
import { textToHtml } from './html.js';
import { senderDomain, type EmailSettings } from './settings.js';
import { normalizeMessageId, plusAddress, replyReferences, replySubject, tagSubject } from './threading.js';

/** Our Message-ID for a reply: the same on every retry of one message, so a resend is recognisably the same mail. */
export function outboundMessageId(m: Pick<OutboundMessage, 'messageId' | 'channelId' | 'createdAt'>, domain: string): string {
  return `<om.${m.channelId}.${m.messageId}.${Date.parse(m.createdAt).toString(36)}@${domain}>`;
}

const fill = (template: string, operator: string | undefined) => template.replace(/\{operator\}/g, operator ?? '').replace(/[ \t]+$/gm, '').trim();

/** The operator's own signature, else the line's; `{operator}` filled in. */
export function signatureFor(s: EmailSettings, authorName: string | undefined): string {
  const own = authorName ? s.operatorSignatures[authorName] : undefined;
  return fill(own ?? s.signature, authorName);
}

/**
 * One reply as nodemailer mail: our Message-ID, In-Reply-To and References of the thread, a `Re:`
 * subject with the conversation's tag, HTML with a text alternative, the signature and the files.
 */
export function composeReply(m: OutboundMessage, s: EmailSettings): Mail.Options & { messageId: string; subject: string } {
  const domain = senderDomain(s);
  const messageId = outboundMessageId(m, domain);
  const original = typeof m.inReplyTo?.meta.subject === 'string' ? m.inReplyTo.meta.subject : undefined;
  const fallback = s.fromName ? fill(s.fromName, undefined) || 'Your request' : 'Your request';
  let subject = m.inReplyTo ? replySubject(original, fallback) : fallback;
  if (s.subjectTag) subject = tagSubject(subject, m.replyToken);
  const inReplyTo = normalizeMessageId(m.inReplyTo?.externalId);
  const references = replyReferences(m.references, inReplyTo);
  const signature = signatureFor(s, m.authorName);
  const text = signature ? `${m.text}\n\n-- \n${signature}` : m.text;
  const bodyHtml = m.html ?? textToHtml(m.text);
  const html = signature ? `${bodyHtml}\n<p style="color:#667085">-- <br>${textToHtml(signature).replace(/^<p>|<\/p>$/g, '')}</p>` : bodyHtml;
  const fromName = fill(s.fromName, m.authorName);
  return {
    messageId,
    from: fromName ? { name: fromName, address: s.fromAddress } : s.fromAddress,
    to: m.recipientExternalId,
    ...(s.plusAddressing ? { replyTo: plusAddress(s.fromAddress, m.replyToken) } : {}),
    subject,
    ...(inReplyTo ? { inReplyTo } : {}),
    ...(references.length ? { references } : {}),
    text,
    html: `<!doctype html><html><body>${html}</body></html>`,
    attachments: m.attachments.map((a) => ({ path: a.path, filename: a.fileName, contentType: a.mimeType })),
    // RFC 3834: automatic texts (welcome, no answer, …) say so, so the customer's robots do not answer them.
    headers: { 'X-Auto-Response-Suppress': 'OOF, AutoReply', ...(m.automatic ? { 'Auto-Submitted': 'auto-replied' } : {}) },
  };
}
