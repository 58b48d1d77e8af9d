import { z } from 'zod';

/**
 * A provider's pre-approved message (WhatsApp templates): the only thing some channels let a
 * business send once the customer's reply window has closed. `variables` fill {{1}}, {{2}}, … in order.
 */
export const MessageTemplate = z.object({
  name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'a template name such as order_update'),
  language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'a language code such as en_US'),
  variables: z.array(z.string().max(1024)).max(20).default([]),
});
export type MessageTemplate = z.infer<typeof MessageTemplate>;

/** `GET /api/channels/:id/templates`: what the channel's provider has approved. */
export const TemplateDto = z.object({
  name: z.string(),
  language: z.string(),
  category: z.string().nullable(),
  /** The body text with its {{n}} placeholders, to preview and to count the variables. */
  body: z.string(),
});
export type TemplateDto = z.infer<typeof TemplateDto>;
