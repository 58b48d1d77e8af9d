import { z } from 'zod';

/**
 * WhatsApp through whatsapp-web.js (WhatsApp Web in a headless Chromium). Nothing secret is typed in:
 * the pairing is a QR code scanned with the phone, and the session is kept in DATA_DIR.
 */
export const WhatsappSettings = z.object({
  /** The system's Chromium or Chrome binary. @default '/usr/bin/chromium' */
  chromiumPath: z.string().trim().startsWith('/', 'an absolute path such as /usr/bin/chromium').default('/usr/bin/chromium'),
  /** Accept messages from group chats; each group is one conversation. @default false */
  acceptGroups: z.boolean().default(false),
});
export type WhatsappSettings = z.infer<typeof WhatsappSettings>;
