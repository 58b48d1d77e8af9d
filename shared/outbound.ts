import { z } from 'zod';
import { MessageTemplate } from './templates.js';

/** What the outbox hands a connector to deliver. Internal notes never become one of these. */
export const OutboundMessage = z.object({
  messageId: z.number().int().positive(),
  channelId: z.number().int().positive(),
  conversationId: z.number().int().positive(),
  /** The contact's id on this channel, as the connector gave it at ingest. */
  recipientExternalId: z.string(),
  text: z.string(),
  html: z.string().optional(),
  authorName: z.string().optional(),
  attachments: z.array(
    z.object({ id: z.number().int(), fileName: z.string(), mimeType: z.string(), size: z.number().int(), path: z.string() }),
  ),
  createdAt: z.iso.datetime(),
  /** Signed conversation token a threaded channel may embed (reply+TOKEN@ address, subject tag). */
  replyToken: z.string(),
  /** The newest customer message of the conversation, with what its connector kept of it. */
  inReplyTo: z.object({ externalId: z.string(), meta: z.record(z.string(), z.unknown()) }).nullable(),
  /** External ids of the conversation's earlier messages, oldest first (at most 20): e-mail References. */
  references: z.array(z.string()),
  /** Written by the hub itself (welcome, no answer, closing, …), not by an operator. */
  automatic: z.boolean(),
  /** Send this approved template instead of free text (channels with a reply window). */
  template: MessageTemplate.optional(),
});
export type OutboundMessage = z.infer<typeof OutboundMessage>;

export const DeliveryStatus = z.enum(['pending', 'sent', 'delivered', 'read', 'failed']);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;
