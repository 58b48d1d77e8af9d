import { z } from 'zod';
import type { InboundMessage } from '../../shared/inbound.js';
import { toE164 } from '../whatsapp/phone.js';

/**
 * The parts of a Bot API `Update` this connector reads (https://core.telegram.org/bots/api#update).
 * Unknown fields pass through; an unknown message kind becomes an "unsupported" message, never a crash.
 */
const User = z.object({ id: z.number(), is_bot: z.boolean().optional(), first_name: z.string(), last_name: z.string().optional(), username: z.string().optional() });
const Chat = z.object({ id: z.number(), type: z.enum(['private', 'group', 'supergroup', 'channel']), title: z.string().optional() });
const File = z.object({ file_id: z.string(), file_unique_id: z.string(), file_size: z.number().optional() });
const Location = z.object({ latitude: z.number(), longitude: z.number() });

export const TgMessage = z.looseObject({
  message_id: z.number(),
  date: z.number(),
  chat: Chat,
  from: User.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  photo: z.array(File.extend({ width: z.number(), height: z.number() })).optional(),
  document: File.extend({ file_name: z.string().optional(), mime_type: z.string().optional() }).optional(),
  voice: File.extend({ mime_type: z.string().optional(), duration: z.number() }).optional(),
  audio: File.extend({ file_name: z.string().optional(), mime_type: z.string().optional() }).optional(),
  video: File.extend({ file_name: z.string().optional(), mime_type: z.string().optional() }).optional(),
  video_note: File.optional(),
  sticker: File.extend({ emoji: z.string().optional(), is_animated: z.boolean(), is_video: z.boolean(), thumbnail: File.optional() }).optional(),
  location: Location.optional(),
  venue: z.object({ location: Location, title: z.string(), address: z.string() }).optional(),
  contact: z.object({ phone_number: z.string(), first_name: z.string(), last_name: z.string().optional(), user_id: z.number().optional() }).optional(),
  reply_to_message: z.object({ message_id: z.number() }).optional(),
});
export type TgMessage = z.infer<typeof TgMessage>;

export const TgUpdate = z.looseObject({ update_id: z.number().int(), message: TgMessage.optional(), edited_message: TgMessage.optional() });
export type TgUpdate = z.infer<typeof TgUpdate>;

/** A file the message carries, to be fetched with getFile before ingest. */
export interface TgFileRef {
  fileId: string;
  fileName: string;
  mimeType: string;
  size?: number;
}

export type Decoded =
  | { kind: 'skip'; why: string }
  | { kind: 'edit'; externalId: string; text: string }
  | { kind: 'message'; message: Omit<InboundMessage, 'channelId' | 'attachmentIds'>; file: TgFileRef | null };

/** The message's id, unique per bot: message ids are only unique within a chat. */
export function messageKey(chatId: number | string, messageId: number): string {
  return `${chatId}:${messageId}`;
}

/** Decodes one update: private chats always, groups only when accepted; other update kinds are skipped. */
export function decodeUpdate(update: TgUpdate, acceptGroups: boolean): Decoded {
  const msg = update.message ?? update.edited_message;
  if (!msg) return { kind: 'skip', why: 'not a message' };
  if (msg.chat.type === 'channel') return { kind: 'skip', why: 'channel post' };
  if (msg.chat.type !== 'private' && !acceptGroups) return { kind: 'skip', why: 'group chats are off' };
  if (update.edited_message) return { kind: 'edit', externalId: messageKey(msg.chat.id, msg.message_id), text: msg.text ?? msg.caption ?? '' };
  return decodeMessage(msg);
}

function fullName(u: { first_name: string; last_name?: string }): string {
  return [u.first_name, u.last_name].filter(Boolean).join(' ');
}

export function decodeMessage(msg: TgMessage): Decoded {
  const isGroup = msg.chat.type !== 'private';
  const from = msg.from;
  const meta: Record<string, unknown> = { telegram: { chatId: msg.chat.id, messageId: msg.message_id, ...(from?.username ? { username: from.username } : {}) } };
  if (msg.reply_to_message) meta.replyTo = messageKey(msg.chat.id, msg.reply_to_message.message_id);
  let text = msg.text ?? msg.caption ?? '';
  let phone: string | undefined;
  let file: TgFileRef | null = null;
  const start = /^\/start(?:@\w+)?\s+(\S{1,64})\s*$/.exec(msg.text ?? '');
  if (start) meta.leadSource = start[1];

  if (msg.photo?.length) {
    const best = msg.photo[msg.photo.length - 1]!;
    file = { fileId: best.file_id, fileName: `photo-${best.file_unique_id}.jpg`, mimeType: 'image/jpeg', size: best.file_size };
  } else if (msg.document) {
    const d = msg.document;
    file = { fileId: d.file_id, fileName: d.file_name ?? `file-${d.file_unique_id}`, mimeType: d.mime_type ?? 'application/octet-stream', size: d.file_size };
  } else if (msg.voice) {
    const v = msg.voice;
    file = { fileId: v.file_id, fileName: `voice-${v.file_unique_id}.ogg`, mimeType: v.mime_type ?? 'audio/ogg', size: v.file_size };
    meta.voice = { durationSeconds: v.duration };
  } else if (msg.audio) {
    const a = msg.audio;
    file = { fileId: a.file_id, fileName: a.file_name ?? `audio-${a.file_unique_id}.mp3`, mimeType: a.mime_type ?? 'audio/mpeg', size: a.file_size };
  } else if (msg.video) {
    const v = msg.video;
    file = { fileId: v.file_id, fileName: v.file_name ?? `video-${v.file_unique_id}.mp4`, mimeType: v.mime_type ?? 'video/mp4', size: v.file_size };
  } else if (msg.video_note) {
    const v = msg.video_note;
    file = { fileId: v.file_id, fileName: `video-note-${v.file_unique_id}.mp4`, mimeType: 'video/mp4', size: v.file_size };
  } else if (msg.sticker) {
    // Shown as an image: static stickers are WebP; animated and video stickers send their WebP/JPEG thumbnail.
    const s = msg.sticker;
    const still = s.is_animated || s.is_video ? s.thumbnail : s;
    if (still) file = { fileId: still.file_id, fileName: `sticker-${s.file_unique_id}.webp`, mimeType: 'image/webp', size: still.file_size };
    text = s.emoji ?? '';
    meta.sticker = { emoji: s.emoji ?? null };
  } else if (msg.venue || msg.location) {
    const loc = msg.venue?.location ?? msg.location!;
    meta.location = { lat: loc.latitude, lon: loc.longitude, ...(msg.venue ? { title: msg.venue.title, address: msg.venue.address } : {}) };
    text = [msg.venue ? `${msg.venue.title}, ${msg.venue.address}` : null, `📍 ${loc.latitude}, ${loc.longitude}`].filter(Boolean).join('\n');
  } else if (msg.contact) {
    const c = msg.contact;
    const e164 = toE164(c.phone_number);
    // Only the sender's own number (shared with the "share my contact" button) joins their identities.
    const own = c.user_id !== undefined && c.user_id === from?.id;
    if (own && e164) phone = e164;
    meta.sharedContact = { name: fullName(c), phone: e164 ?? c.phone_number, own };
    text = `👤 ${fullName(c)} ${e164 ?? c.phone_number}`;
  } else if (msg.text === undefined) {
    const kind = Object.keys(msg).find((k) => !['message_id', 'date', 'chat', 'from', 'caption', 'reply_to_message', 'entities', 'caption_entities'].includes(k)) ?? 'unknown';
    meta.unsupported = kind;
    text = `[unsupported Telegram message: ${kind}]`;
  }

  if (isGroup && from) meta.author = { id: String(from.id), name: fullName(from) };
  const authorPrefix = isGroup && from ? `${fullName(from)}: ` : '';
  return {
    kind: 'message',
    file,
    message: {
      externalId: messageKey(msg.chat.id, msg.message_id),
      // The chat id is where replies go: the user's id in a private chat, the group's id in a group.
      sender: {
        externalId: String(msg.chat.id),
        name: (isGroup ? msg.chat.title : from && fullName(from))?.slice(0, 200) || undefined,
        ...(phone ? { phone } : {}),
      },
      text: authorPrefix + text,
      sentAt: new Date(msg.date * 1000).toISOString(),
      meta,
    },
  };
}
