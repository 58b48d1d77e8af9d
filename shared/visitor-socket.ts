import { z } from 'zod';
import type { Ack } from './errors.js';

/** Visitor namespace used by the site chat widget; handshake `auth: { key, token }`. */
export const VISITOR_NAMESPACE = '/visitor';

export const VisitorHandshake = z.object({ key: z.string().min(8).max(64), token: z.string().min(10).max(500) });

/** A message as the visitor sees it: public only, never an internal note. */
export const VisitorMessage = z.object({
  id: z.number().int(),
  /** The visitor's own `clientId` for messages they sent, so a widget can match a message whose ack was lost. */
  clientId: z.string().nullable(),
  direction: z.enum(['in', 'out']),
  text: z.string(),
  authorName: z.string().nullable(),
  attachments: z.array(z.object({ id: z.number().int(), fileName: z.string(), mimeType: z.string(), size: z.number().int(), url: z.string() })),
  createdAt: z.iso.datetime(),
});
export type VisitorMessage = z.infer<typeof VisitorMessage>;

export const VisitorSendRequest = z.object({
  /** Chosen by the widget per message, so a retried send is stored once. */
  clientId: z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/),
  text: z.string().max(5000).default(''),
  attachmentIds: z.array(z.number().int().positive()).max(10).default([]),
}).refine((b) => b.text.trim().length > 0 || b.attachmentIds.length > 0, { message: 'text or an attachment is required' });
export type VisitorSendRequest = z.input<typeof VisitorSendRequest>;

export const VisitorSyncRequest = z.object({ afterId: z.number().int().nonnegative().default(0) });
export const VisitorTypingRequest = z.object({ typing: z.boolean() });
export const VisitorRateRequest = z.object({ score: z.number().int().min(1).max(5), comment: z.string().trim().max(1000).optional() });

export interface VisitorServerEvents {
  message: (m: VisitorMessage) => void;
  typing: (t: { typing: boolean; name: string | null }) => void;
  status: (s: { online: boolean }) => void;
  /** The dialog closed and the line asks for a rating: show 1–5 buttons with this prompt. */
  'rating-request': (r: { prompt: string }) => void;
}

export interface VisitorClientEvents {
  send: (req: VisitorSendRequest, ack: (res: Ack<{ message: VisitorMessage }>) => void) => void;
  sync: (req: z.input<typeof VisitorSyncRequest>, ack: (res: Ack<{ messages: VisitorMessage[] }>) => void) => void;
  typing: (req: z.infer<typeof VisitorTypingRequest>) => void;
  rate: (req: z.infer<typeof VisitorRateRequest>, ack: (res: Ack<object>) => void) => void;
}

/** `GET /api/widget/:key/config`: what the widget needs before the visitor writes. */
export const WidgetConfig = z.object({
  title: z.string(),
  color: z.string(),
  welcomeText: z.string(),
  online: z.boolean(),
  prechat: z.object({
    name: z.enum(['off', 'optional', 'required']),
    email: z.enum(['off', 'optional', 'required']),
    phone: z.enum(['off', 'optional', 'required']),
  }),
  attachments: z.object({ enabled: z.boolean(), maxBytes: z.number().int(), allowedTypes: z.array(z.string()) }),
});
export type WidgetConfig = z.infer<typeof WidgetConfig>;

/** `POST /api/widget/:key/session`: start or resume a visitor; pre-chat fields feed the contact. */
export const WidgetSessionBody = z.object({
  token: z.string().max(500).optional(),
  name: z.string().trim().max(200).optional(),
  email: z.email().max(320).optional(),
  phone: z.string().trim().regex(/^\+?[0-9 ()-]{3,40}$/, 'a phone number').optional(),
});
export const WidgetSession = z.object({ token: z.string(), visitorId: z.string() });
export type WidgetSession = z.infer<typeof WidgetSession>;
