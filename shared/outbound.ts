import { z } from 'zod';

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
});
export type OutboundMessage = z.infer<typeof OutboundMessage>;

export const DeliveryStatus = z.enum(['pending', 'sent', 'delivered', 'read', 'failed']);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;
