import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { SendError, type ConnectorLogger } from '../contract.js';
import type { OutboundMessage } from '../../shared/outbound.js';
import { composeReply } from './compose.js';
import { describeConnectionError, smtpOptions } from './connection.js';
import type { EmailSettings } from './settings.js';

interface SmtpFailure {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

/**
 * The SMTP answer as a send result: 4xx and connection trouble are transient (the outbox retries
 * with backoff), 5xx and a rejected login are permanent and shown to the operator with the answer.
 */
export function toSendError(err: unknown, s: EmailSettings): SendError {
  const e = (err ?? {}) as SmtpFailure;
  const where = `SMTP ${s.smtpHost}:${s.smtpPort}`;
  const answer = (e.response || e.message || '').replace(/\s+/g, ' ').trim().slice(0, 500);
  if (e.code === 'EAUTH') return new SendError(describeConnectionError(err, where, s.smtpTls), false);
  if (typeof e.responseCode === 'number' && e.responseCode >= 400 && e.responseCode < 500) return new SendError(`${where} deferred the mail: ${answer}`, true);
  if (typeof e.responseCode === 'number' && e.responseCode >= 500) return new SendError(`${where} refused the mail: ${answer}`, false);
  if (e.code === 'EENVELOPE' || e.code === 'EMESSAGE') return new SendError(`The mail could not be sent: ${answer}`, false);
  return new SendError(describeConnectionError(err, where, s.smtpTls), true);
}

/** Sends mail through the channel's SMTP server, one connection per mail (replies are not a bulk stream). */
export class SmtpSender {
  private readonly transport;

  constructor(private readonly s: EmailSettings, private readonly logger: ConnectorLogger) {
    this.transport = nodemailer.createTransport(smtpOptions(s));
  }

  /** Sends an operator's reply; resolves with our Message-ID, which the customer's answer will cite. */
  async sendReply(m: OutboundMessage): Promise<{ externalId: string }> {
    const mail = composeReply(m, this.s);
    await this.sendMail(mail, { messageId: m.messageId });
    return { externalId: mail.messageId };
  }

  /** Sends any composed mail; the SMTP server's answer is logged, a failure becomes a `SendError`. */
  async sendMail(mail: Mail.Options, context: Record<string, unknown> = {}): Promise<string> {
    try {
      const info = await this.transport.sendMail(mail);
      this.logger.info({ ...context, smtp: info.response, accepted: info.accepted }, 'e-mail sent');
      return info.response;
    } catch (err) {
      throw toSendError(err, this.s);
    }
  }

  close(): void {
    this.transport.close();
  }
}
