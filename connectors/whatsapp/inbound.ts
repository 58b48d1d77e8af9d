import type { InboundMessage } from '../../shared/inbound.js';
import type { DeliveryStatus } from '../../shared/outbound.js';
import { toE164 } from './phone.js';
import type { WaMessageDto } from './protocol.js';

export type DecodedWa = { message: Omit<InboundMessage, 'channelId' | 'attachmentIds'>; file: { fileName: string; mimeType: string; data: Buffer } | null };

const EXT: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'audio/ogg': 'ogg', 'audio/mpeg': 'mp3', 'video/mp4': 'mp4', 'application/pdf': 'pdf' };

/** The customer's id on this channel: E.164 for people, the chat id for groups and unresolved LIDs. */
export function senderId(m: WaMessageDto): string {
  if (m.isGroup) return m.chatId;
  return (m.senderPhone && toE164(m.senderPhone)) || m.chatId;
}

/** Where replies to a customer id go: `<digits>@c.us` for a phone, the id itself for a chat id. */
export function chatIdOf(externalId: string): string {
  return externalId.startsWith('+') ? `${externalId.slice(1)}@c.us` : externalId;
}

/** Name and phone numbers of a vCard 3.0 (`FN:` and `TEL…:` lines). */
export function parseVCard(card: string): { name: string; phones: string[] } {
  const lines = card.split(/\r?\n/);
  const name = lines.find((l) => l.startsWith('FN:'))?.slice(3).trim() ?? '';
  const phones = lines.filter((l) => /^(item\d+\.)?TEL/i.test(l)).map((l) => {
    const waid = /waid=(\d+)/.exec(l)?.[1];
    const raw = l.slice(l.lastIndexOf(':') + 1).trim();
    return toE164(waid ?? raw) ?? raw;
  });
  return { name, phones };
}

/** One received whatsapp-web.js message in the hub's terms. */
export function decodeWa(m: WaMessageDto): DecodedWa {
  const meta: Record<string, unknown> = { whatsapp: { chatId: m.chatId, type: m.type } };
  let text = m.body;
  if (m.quotedId) meta.replyTo = m.quotedId;
  if (m.type === 'location' && m.location) {
    const l = m.location;
    meta.location = { lat: l.latitude, lon: l.longitude, ...(l.name ? { title: l.name } : {}), ...(l.address ? { address: l.address } : {}) };
    text = [l.name && [l.name, l.address].filter(Boolean).join(', '), `📍 ${l.latitude}, ${l.longitude}`].filter(Boolean).join('\n');
  } else if ((m.type === 'vcard' || m.type === 'multi_vcard') && m.vCards.length) {
    const cards = m.vCards.map(parseVCard);
    meta.contacts = cards;
    text = cards.map((c) => `👤 ${c.name} ${c.phones.join(', ')}`.trim()).join('\n');
  } else if (m.type === 'ptt') {
    meta.voice = true;
    text = '';
  } else if (!['chat', 'image', 'video', 'audio', 'document', 'sticker'].includes(m.type)) {
    meta.unsupported = m.type;
    text = text || `[unsupported WhatsApp message: ${m.type}]`;
  }
  if (m.type === 'image' || m.type === 'video' || m.type === 'document' || m.type === 'sticker') text = m.body && m.type !== 'sticker' ? m.body : '';
  if (m.mediaError) text = [text, `[${m.mediaError}]`].filter(Boolean).join('\n');
  if (m.isGroup && m.authorPhone) meta.author = { phone: toE164(m.authorPhone) ?? m.authorPhone, name: m.senderName };
  const mime = m.media?.mimetype.split(';')[0]!.trim();
  const file = m.media && mime
    ? { fileName: m.media.filename ?? `${m.type}-${m.id.slice(-12).replace(/\W/g, '')}.${EXT[mime] ?? 'bin'}`, mimeType: mime, data: Buffer.from(m.media.data, 'base64') }
    : null;
  const id = senderId(m);
  const phone = id.startsWith('+') ? id : undefined;
  return {
    file,
    message: {
      externalId: m.id,
      sender: { externalId: id, ...(phone ? { phone } : {}), ...(m.senderName && !m.isGroup ? { name: m.senderName.slice(0, 200) } : {}) },
      text: m.isGroup && m.senderName ? `${m.senderName}: ${text}` : text,
      sentAt: new Date(m.timestamp * 1000).toISOString(),
      meta,
    },
  };
}

/** whatsapp-web.js `MessageAck`: 1 server, 2 device, 3 read, 4 played, -1 error; 0 (pending) is not news. */
export function ackStatus(ack: number): DeliveryStatus | null {
  if (ack === -1) return 'failed';
  if (ack === 1) return 'sent';
  if (ack === 2) return 'delivered';
  if (ack >= 3) return 'read';
  return null;
}
