import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type Mail from 'nodemailer/lib/mailer/index.js';

let n = 0;

/** A customer's mail as raw RFC 5322 bytes, composed the way real clients compose it. */
export function customerMail(o: Mail.Options & { messageId?: string }): Promise<Buffer> {
  const messageId = o.messageId ?? `<c${Date.now().toString(36)}.${n++}@client.example>`;
  return new MailComposer({ date: new Date(), ...o, messageId }).compile().build();
}
