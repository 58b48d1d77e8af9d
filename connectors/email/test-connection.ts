import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { describeConnectionError, imapOptions, smtpOptions } from './connection.js';
import type { EmailSettings } from './settings.js';

export type TestResult = { ok: true; details: string } | { ok: false; reason: string };

/** Logs in to IMAP, checks every watched folder exists, then logs in to SMTP; the first failure is the answer. */
export async function testEmailConnection(s: EmailSettings): Promise<TestResult> {
  const imap = await testImap(s);
  if (!imap.ok) return imap;
  const smtp = await testSmtp(s);
  if (!smtp.ok) return smtp;
  return { ok: true, details: `${imap.details} ${smtp.details}` };
}

async function testImap(s: EmailSettings): Promise<TestResult> {
  const where = `IMAP ${s.imapHost}:${s.imapPort}`;
  const client = new ImapFlow(imapOptions(s, { connectionTimeout: 10_000 }));
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    return { ok: false, reason: describeConnectionError(err, where, s.imapTls) };
  }
  try {
    const list = await client.list();
    const paths = new Map(list.map((f) => [f.path.toUpperCase() === 'INBOX' ? 'INBOX' : f.path, f.path]));
    const missing = s.folders.filter((f) => !paths.has(f.toUpperCase() === 'INBOX' ? 'INBOX' : f));
    if (missing.length) {
      const known = list.map((f) => f.path).slice(0, 15).join(', ');
      return { ok: false, reason: `Folder missing: ${missing.map((f) => `"${f}"`).join(', ')} not found in the mailbox ${s.imapUser} (it has: ${known})` };
    }
    const counts: string[] = [];
    for (const f of s.folders) {
      const st = await client.status(f, { messages: true });
      counts.push(`${f} (${st ? st.messages : '?'} messages)`);
    }
    return { ok: true, details: `IMAP: signed in to ${s.imapHost} as ${s.imapUser}; watching ${counts.join(', ')}.` };
  } catch (err) {
    return { ok: false, reason: describeConnectionError(err, where, s.imapTls) };
  } finally {
    await client.logout().catch(() => client.close());
  }
}

async function testSmtp(s: EmailSettings): Promise<TestResult> {
  const transport = nodemailer.createTransport({ ...smtpOptions(s), connectionTimeout: 10_000 });
  try {
    await transport.verify();
    return { ok: true, details: `SMTP: ${s.smtpNoAuth ? 'connected to' : 'signed in to'} ${s.smtpHost}:${s.smtpPort}.` };
  } catch (err) {
    return { ok: false, reason: describeConnectionError(err, `SMTP ${s.smtpHost}:${s.smtpPort}`, s.smtpTls) };
  } finally {
    transport.close();
  }
}
