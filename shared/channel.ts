import { z } from 'zod';

export const ChannelType = z.enum(['webchat', 'email', 'telegram', 'whatsapp', 'whatsapp_cloud', 'twilio', 'sip']);
export type ChannelType = z.infer<typeof ChannelType>;

/** Live state of one connector instance, shown to admins. */
export const ChannelStatus = z.enum(['stopped', 'starting', 'connected', 'needs_action', 'error']);
export type ChannelStatus = z.infer<typeof ChannelStatus>;

/** What a channel can carry, so the console only offers what is possible. */
export const Capabilities = z.object({
  attachments: z.boolean(),
  maxTextLength: z.number().int().positive(),
  maxAttachmentBytes: z.number().int().nonnegative(),
  edits: z.boolean(),
  readReceipts: z.boolean(),
  typing: z.boolean(),
  /** Hours after the client's last message during which free-form replies are allowed; null = no window. */
  replyWindowHours: z.number().positive().nullable(),
});
export type Capabilities = z.infer<typeof Capabilities>;
