import { z } from 'zod';

const Field = z.enum(['off', 'optional', 'required']);

const Origin = z
  .string()
  .trim()
  .refine((o) => o === '*' || /^https?:\/\/[^/\s]+$/.test(o), 'an origin such as https://shop.example.com, or *');

/** Site chat settings: nothing secret here, the key is public by design and the origin list guards it. */
export const WebchatSettings = z.object({
  /** Sites allowed to embed the widget. The hub's own origin (for /demo) is always allowed. */
  allowedOrigins: z.array(Origin).max(50).default([]),
  title: z.string().trim().min(1).max(80).default('Chat with us'),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour such as #2563eb').default('#2563eb'),
  welcomeText: z.string().trim().max(500).default('Hi! How can we help?'),
  prechat: z
    .object({ name: Field.default('optional'), email: Field.default('optional'), phone: Field.default('off') })
    .default({ name: 'optional', email: 'optional', phone: 'off' }),
  attachments: z
    .object({
      enabled: z.boolean().default(true),
      maxBytes: z.number().int().min(1024).max(25 * 1024 * 1024).default(5 * 1024 * 1024),
      allowedTypes: z
        .array(z.string().regex(/^[a-z]+\/([a-z0-9.+-]+|\*)$/, 'a MIME type such as image/png or image/*'))
        .max(50)
        .default(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain']),
    })
    .default({ enabled: true, maxBytes: 5 * 1024 * 1024, allowedTypes: ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain'] }),
});
export type WebchatSettings = z.infer<typeof WebchatSettings>;

/** Exact MIME types, or a whole family written as `image/*`. */
export function typeAllowed(mimeType: string, allowed: readonly string[]): boolean {
  const family = mimeType.split('/')[0];
  return allowed.some((a) => a === mimeType || (a.endsWith('/*') && a.slice(0, -2) === family));
}
