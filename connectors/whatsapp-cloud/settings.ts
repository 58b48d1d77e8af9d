import { z } from 'zod';

/**
 * WhatsApp Business Platform (Cloud API) settings, all from the Meta app dashboard
 * (WhatsApp → API Setup, and App settings → Basic for the app secret). See docs/channels/whatsapp.md.
 */
export const WhatsappCloudSettings = z.object({
  /** The sending number's id (not the phone number itself). */
  phoneNumberId: z.string().trim().regex(/^\d{5,30}$/, 'the numeric Phone number ID from WhatsApp → API Setup'),
  /** The WhatsApp Business Account id: needed to list message templates. */
  businessAccountId: z.string().trim().regex(/^\d{5,30}$/, 'the numeric WhatsApp Business Account ID').optional(),
  /** A permanent System User access token with whatsapp_business_messaging permission. Secret. */
  accessToken: z.string().trim().min(20, 'a System User access token'),
  /** The app secret: every webhook POST is signed with it (X-Hub-Signature-256). Secret. */
  appSecret: z.string().trim().min(16, 'the App secret from App settings → Basic'),
  /** Any string you choose and also type into the webhook's "Verify token" field in Meta. Secret. */
  verifyToken: z.string().trim().min(8, 'at least 8 characters, typed into Meta as the Verify token'),
  /** @default 'https://graph.facebook.com' */
  graphApiRoot: z.url({ protocol: /^https?$/ }).default('https://graph.facebook.com'),
  /** @default 'v21.0' */
  apiVersion: z.string().regex(/^v\d+\.\d+$/, 'a Graph API version such as v21.0').default('v21.0'),
});
export type WhatsappCloudSettings = z.infer<typeof WhatsappCloudSettings>;

/**
 * An approved message template, the only thing WhatsApp lets a business send once the customer's
 * 24-hour window has closed. `variables` fill the body's {{1}}, {{2}}, … in order.
 *
 * @example { name: 'order_update', language: 'en_US', variables: ['#1042'] }
 */
export const WhatsappTemplate = z.object({
  name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'a template name such as order_update'),
  language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'a language code such as en_US'),
  variables: z.array(z.string().max(1024)).max(20).default([]),
});
export type WhatsappTemplate = z.infer<typeof WhatsappTemplate>;

/** Free-form messages are allowed this long after the customer's last message. */
export const SERVICE_WINDOW_HOURS = 24;
