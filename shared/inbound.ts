import { z } from 'zod';
import { InboundCall } from './calls.js';

/**
 * What every connector hands to ingest: one customer message, normalized.
 * `externalId` is the provider's id for the message and the idempotency key (unique per channel).
 */
export const InboundSender = z.object({
  /** The sender's id on this channel type (visitor id, e-mail address, Telegram user id, E.164 phone). */
  externalId: z.string().min(1).max(320),
  name: z.string().max(200).optional(),
  email: z.email().max(320).optional(),
  phone: z.string().max(40).optional(),
});
export type InboundSender = z.infer<typeof InboundSender>;

export const InboundMessage = z.object({
  channelId: z.number().int().positive(),
  externalId: z.string().min(1).max(500),
  sender: InboundSender,
  text: z.string().max(100_000).default(''),
  /** HTML, when the channel carries it (e-mail); ingest sanitizes it before storing. */
  html: z.string().max(2_000_000).optional(),
  /** Ids of attachments the connector stored through its context before ingesting. */
  attachmentIds: z.array(z.number().int().positive()).max(20).default([]),
  sentAt: z.iso.datetime().optional(),
  /**
   * Threaded channels (e-mail): external ids of earlier messages this one answers (In-Reply-To,
   * References). A match continues that conversation, whatever else is open.
   */
  threadRefs: z.array(z.string().min(1).max(500)).max(100).default([]),
  /** A reply token the hub handed out with an outbound message; honoured only for the same contact. */
  replyToken: z.string().max(100).optional(),
  /**
   * Keys a new conversation when the channel keeps separate threads per contact (an e-mail's root
   * Message-ID). Chat channels leave it out: one live conversation per contact.
   */
  threadKey: z.string().min(1).max(500).optional(),
  /**
   * Channel-specific facts kept with the message (e-mail headers, …). Known keys: `autoReply: true`
   * (an auto-responder or bulk mail: never answered automatically), `leadSource` (a deep-link or
   * campaign name that becomes the source of a lead this message creates).
   */
  meta: z.record(z.string(), z.unknown()).default({}),
  /**
   * A phone call instead of a text (Twilio, SIP): stored as a message of kind `call`, `externalId` being
   * the call's id. An incoming one that rings announces `call.ringing` to the operators who may take it.
   */
  call: InboundCall.optional(),
});
export type InboundMessage = z.input<typeof InboundMessage>;
export type ParsedInboundMessage = z.output<typeof InboundMessage>;

export interface IngestResult {
  messageId: number;
  conversationId: number;
  contactId: number;
  /** True when this external id was already stored: nothing changed. */
  duplicate: boolean;
  /** When the message was stored (ISO 8601). */
  createdAt: string;
}
