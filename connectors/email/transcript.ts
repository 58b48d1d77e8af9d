import type Mail from 'nodemailer/lib/mailer/index.js';
import type { PublicMessage } from '../contract.js';
import { textToHtml } from './html.js';
import type { EmailSettings } from './settings.js';

export interface TranscriptOptions {
  /** The customer's name as the operator sees it. */
  contactName: string;
  /** Who the customer wrote to (the line or company), shown in the subject. */
  title: string;
  /** Time zone of the dates shown. @default 'UTC' */
  timeZone?: string;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The customer's dialog as an e-mail. It takes `PublicMessage`s only (the hub's public history, where
 * internal notes never appear), and drops anything not public defensively all the same.
 */
export function renderTranscript(messages: readonly PublicMessage[], o: TranscriptOptions): { subject: string; text: string; html: string } {
  const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: o.timeZone ?? 'UTC' });
  const visible = messages.filter((m) => (m as { visibility?: string }).visibility === undefined || (m as { visibility?: string }).visibility === 'public');
  const who = (m: PublicMessage) => (m.direction === 'in' ? o.contactName : m.authorName ?? o.title);
  const files = (m: PublicMessage) => m.attachments.map((a) => a.fileName);
  const text = visible
    .map((m) => `${who(m)}, ${when.format(new Date(m.createdAt))}:\n${m.text}${files(m).length ? `\n[${files(m).join(', ')}]` : ''}`)
    .join('\n\n');
  const rows = visible
    .map((m) => `<tr><td style="padding:8px 0;border-top:1px solid #e4e7ec"><b>${escape(who(m))}</b> <span style="color:#667085">${escape(when.format(new Date(m.createdAt)))}</span>` +
      `${textToHtml(m.text)}${files(m).length ? `<p style="color:#667085">${escape(files(m).join(', '))}</p>` : ''}</td></tr>`)
    .join('');
  return {
    subject: `Transcript of your conversation with ${o.title}`,
    text: `Transcript of your conversation with ${o.title}\n\n${text}\n`,
    html: `<!doctype html><html><body><p>Transcript of your conversation with ${escape(o.title)}</p><table width="100%" cellpadding="0" cellspacing="0">${rows}</table></body></html>`,
  };
}

/** The transcript as mail from the channel's address to the customer. */
export function transcriptMail(to: string, messages: readonly PublicMessage[], s: EmailSettings, o: TranscriptOptions): Mail.Options {
  const t = renderTranscript(messages, o);
  const name = s.fromName.replace(/\{operator\}/g, '').trim();
  return { from: name ? { name, address: s.fromAddress } : s.fromAddress, to, subject: t.subject, text: t.text, html: t.html, headers: { 'Auto-Submitted': 'auto-generated' } };
}
