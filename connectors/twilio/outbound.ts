import { SendError } from '../contract.js';
import type { OutboundMessage } from '../../shared/outbound.js';
import { splitText } from '../telegram/outbound.js';
import { toSendError, type TwilioRest } from './rest.js';
import { MMS_MAX_BYTES, MMS_MAX_FILES, SMS_TEXT_LIMIT } from './settings.js';

export interface SmsSender {
  rest: TwilioRest;
  /** The channel's number. */
  from: string;
  /** `<publicUrl>/hooks/twilio/<id>/sms-status`: delivery reports. */
  statusCallback: string;
  /** A public link Twilio fetches an operator's file from (an MMS carries URLs, never bytes). */
  mediaUrl(attachmentId: number, to: string): string;
}

/** What one outbound message becomes: text over 1,600 characters in several SMS, the files on the first. */
export function planSms(m: Pick<OutboundMessage, 'text' | 'attachments'>): Array<{ body?: string; media: number[] }> {
  if (m.attachments.length > MMS_MAX_FILES) throw new SendError(`Twilio sends at most ${MMS_MAX_FILES} files in one message`, false);
  const bytes = m.attachments.reduce((n, a) => n + a.size, 0);
  if (bytes > MMS_MAX_BYTES) throw new SendError('Twilio sends at most 5 MB of files in one message', false);
  const text = m.text.trim();
  const parts: Array<{ body?: string; media: number[] }> = text ? splitText(text, SMS_TEXT_LIMIT).map((body) => ({ body, media: [] })) : [];
  if (m.attachments.length) {
    if (!parts.length) parts.push({ media: [] });
    parts[0]!.media = m.attachments.map((a) => a.id);
  }
  if (!parts.length) throw new SendError('Nothing to send: the message has no text and no files', false);
  return parts;
}

/**
 * Sends one message as SMS/MMS through `messages.create`; resolves with the first message's SID (the one
 * delivery reports follow). Parts an earlier, interrupted attempt sent are not sent again.
 */
export async function sendSms(o: SmsSender, m: OutboundMessage, progress: Map<number, string[]>): Promise<{ externalId: string }> {
  const to = m.recipientExternalId;
  if (!/^\+[1-9]\d{6,14}$/.test(to)) throw new SendError(`SMS goes to phone numbers only: ${to} is not one`, false);
  const parts = planSms(m);
  const sids = progress.get(m.messageId) ?? [];
  for (const part of parts.slice(sids.length)) {
    try {
      const sent = await o.rest.messages.create({
        from: o.from, to, statusCallback: o.statusCallback,
        ...(part.body !== undefined ? { body: part.body } : {}),
        ...(part.media.length ? { mediaUrl: part.media.map((id) => o.mediaUrl(id, to)) } : {}),
      });
      sids.push(sent.sid);
      progress.set(m.messageId, sids);
    } catch (err) {
      const e = toSendError(err);
      if (!e.transient) progress.delete(m.messageId);
      throw e;
    }
  }
  progress.delete(m.messageId);
  return { externalId: sids[0]! };
}
