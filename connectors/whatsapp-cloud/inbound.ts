import { z } from 'zod';
import type { InboundMessage } from '../../shared/inbound.js';
import type { DeliveryStatus } from '../../shared/outbound.js';
import { toE164 } from '../whatsapp/phone.js';

/**
 * The webhook payload of the `messages` field (Cloud API webhook reference): messages from customers and
 * statuses of what the business sent. Unknown fields pass; unknown message types become "unsupported".
 */
const Media = z.looseObject({ id: z.string(), mime_type: z.string().optional(), caption: z.string().optional(), filename: z.string().optional(), voice: z.boolean().optional() });
export const CloudMessage = z.looseObject({
  from: z.string(),
  id: z.string(),
  timestamp: z.string(),
  type: z.string(),
  text: z.object({ body: z.string() }).optional(),
  image: Media.optional(),
  video: Media.optional(),
  audio: Media.optional(),
  document: Media.optional(),
  sticker: Media.optional(),
  location: z.looseObject({ latitude: z.number(), longitude: z.number(), name: z.string().optional(), address: z.string().optional() }).optional(),
  contacts: z.array(z.looseObject({ name: z.looseObject({ formatted_name: z.string() }), phones: z.array(z.looseObject({ phone: z.string().optional(), wa_id: z.string().optional() })).optional() })).optional(),
  interactive: z.looseObject({ type: z.string(), button_reply: z.object({ id: z.string(), title: z.string() }).optional(), list_reply: z.looseObject({ id: z.string(), title: z.string() }).optional() }).optional(),
  button: z.object({ text: z.string(), payload: z.string().optional() }).optional(),
  context: z.looseObject({ id: z.string().optional() }).optional(),
  referral: z.looseObject({ source_url: z.string().optional(), source_id: z.string().optional(), source_type: z.string().optional(), headline: z.string().optional() }).optional(),
});
export type CloudMessage = z.infer<typeof CloudMessage>;

export const CloudStatus = z.looseObject({
  id: z.string(),
  status: z.string(),
  timestamp: z.string().optional(),
  recipient_id: z.string().optional(),
  errors: z.array(z.looseObject({ code: z.number().optional(), title: z.string().optional(), message: z.string().optional(), error_data: z.looseObject({ details: z.string().optional() }).optional() })).optional(),
});
export type CloudStatus = z.infer<typeof CloudStatus>;

export const CloudWebhook = z.looseObject({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(z.looseObject({
    id: z.string(),
    changes: z.array(z.looseObject({
      field: z.string(),
      value: z.looseObject({
        metadata: z.looseObject({ phone_number_id: z.string(), display_phone_number: z.string().optional() }).optional(),
        contacts: z.array(z.looseObject({ wa_id: z.string(), profile: z.looseObject({ name: z.string().optional() }).optional() })).optional(),
        messages: z.array(z.unknown()).optional(),
        statuses: z.array(z.unknown()).optional(),
      }),
    })),
  })),
});
export type CloudWebhook = z.infer<typeof CloudWebhook>;

export interface MediaRef {
  mediaId: string;
  fileName: string;
  mimeType: string;
}

export type DecodedMessage = { kind: 'skip'; why: string } | { kind: 'message'; message: Omit<InboundMessage, 'channelId' | 'attachmentIds'>; media: MediaRef | null };

const EXT: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'audio/ogg': 'ogg', 'audio/mpeg': 'mp3', 'audio/aac': 'aac', 'audio/mp4': 'm4a', 'video/mp4': 'mp4', 'video/3gpp': '3gp', 'application/pdf': 'pdf' };

/** One customer message; `names` maps wa_id to the profile name the webhook's `contacts` carries. */
export function decodeMessage(m: CloudMessage, names: Map<string, string>): DecodedMessage {
  if (m.type === 'reaction' || m.type === 'system') return { kind: 'skip', why: m.type };
  const phone = toE164(m.from);
  if (!phone) return { kind: 'skip', why: `sender ${m.from} is not a phone number` };
  const meta: Record<string, unknown> = {};
  let text = '';
  let media: MediaRef | null = null;
  const file = (kind: 'image' | 'video' | 'audio' | 'document' | 'sticker', ref: z.infer<typeof Media>) => {
    const mimeType = (ref.mime_type ?? 'application/octet-stream').split(';')[0]!.trim();
    return { mediaId: ref.id, mimeType, fileName: ref.filename ?? `${kind}-${ref.id}.${EXT[mimeType] ?? 'bin'}` };
  };
  switch (m.type) {
    case 'text':
      text = m.text?.body ?? '';
      break;
    case 'image': case 'video': case 'audio': case 'document': case 'sticker': {
      const ref = m[m.type];
      if (!ref) return { kind: 'skip', why: `${m.type} without media` };
      media = file(m.type, ref);
      text = ref.caption ?? '';
      if (m.type === 'audio' && ref.voice) meta.voice = true;
      break;
    }
    case 'location': {
      const l = m.location!;
      meta.location = { lat: l.latitude, lon: l.longitude, ...(l.name ? { title: l.name } : {}), ...(l.address ? { address: l.address } : {}) };
      text = [l.name && [l.name, l.address].filter(Boolean).join(', '), `📍 ${l.latitude}, ${l.longitude}`].filter(Boolean).join('\n');
      break;
    }
    case 'contacts': {
      const cards = (m.contacts ?? []).map((c) => ({ name: c.name.formatted_name, phones: (c.phones ?? []).map((p) => toE164(p.wa_id ?? p.phone ?? '') ?? p.phone ?? '').filter(Boolean) }));
      meta.contacts = cards;
      text = cards.map((c) => `👤 ${c.name} ${c.phones.join(', ')}`.trim()).join('\n');
      break;
    }
    case 'interactive': {
      const reply = m.interactive?.button_reply ?? m.interactive?.list_reply;
      text = reply?.title ?? '';
      meta.interactive = { type: m.interactive?.type, id: reply?.id };
      break;
    }
    case 'button':
      text = m.button?.text ?? '';
      meta.button = { payload: m.button?.payload ?? null };
      break;
    default:
      meta.unsupported = m.type;
      text = `[unsupported WhatsApp message: ${m.type}]`;
  }
  if (m.context?.id) meta.replyTo = m.context.id;
  if (m.referral) {
    meta.referral = m.referral;
    // Click-to-WhatsApp ads: the ad becomes the lead's source.
    const source = m.referral.source_id ?? m.referral.headline ?? m.referral.source_url;
    if (source) meta.leadSource = `${m.referral.source_type ?? 'ad'}:${source}`.slice(0, 200);
  }
  const name = names.get(m.from);
  return {
    kind: 'message',
    media,
    message: {
      externalId: m.id,
      sender: { externalId: phone, phone, ...(name ? { name: name.slice(0, 200) } : {}) },
      text,
      sentAt: new Date(Number(m.timestamp) * 1000).toISOString(),
      meta,
    },
  };
}

/** A status webhook in the hub's terms, or null for statuses the hub does not track (deleted, warning). */
export function decodeStatus(s: CloudStatus): { externalId: string; status: DeliveryStatus; reason?: string } | null {
  if (s.status === 'sent' || s.status === 'delivered' || s.status === 'read') return { externalId: s.id, status: s.status };
  if (s.status !== 'failed') return null;
  const e = s.errors?.[0];
  const why = e ? [e.title ?? e.message, e.error_data?.details].filter(Boolean).join(': ') : 'WhatsApp could not deliver the message';
  return { externalId: s.id, status: 'failed', reason: `WhatsApp: ${why}${e?.code ? ` (${e.code})` : ''}` };
}
