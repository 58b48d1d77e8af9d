import type { Telegram } from 'telegraf';
import { TelegramError } from 'telegraf';
import { SendError } from '../contract.js';
import type { OutboundMessage } from '../../shared/outbound.js';
import { messageKey } from './inbound.js';

/** Bot API limits: a text message holds 4,096 characters, a caption 1,024, a photo upload 10 MB. */
export const TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;
const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);
/** A 429 asking to wait longer than this is handed back to the outbox's backoff instead. */
const MAX_INLINE_WAIT_S = 60;

/**
 * Splits text into parts of at most `max` UTF-16 units, preferring paragraph, line, then word
 * breaks, never cutting a surrogate pair.
 */
export function splitText(text: string, max = TEXT_LIMIT): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = -1;
    for (const sep of ['\n\n', '\n', ' ']) {
      const at = rest.lastIndexOf(sep, max - sep.length);
      if (at > max / 2) {
        cut = at + sep.length;
        break;
      }
    }
    if (cut < 0) cut = /[\uD800-\uDBFF]/.test(rest[max - 1] ?? '') ? max - 1 : max;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length || !parts.length) parts.push(rest);
  return parts.filter((p, i) => p.length > 0 || i === 0);
}

export type Part =
  | { kind: 'text'; text: string }
  | { kind: 'photo' | 'document'; path: string; fileName: string; caption?: string };

/** What one outbound message becomes: text parts, then files; a short text rides as the first file's caption. */
export function planParts(m: Pick<OutboundMessage, 'text' | 'attachments'>): Part[] {
  const text = m.text.trim();
  const files = m.attachments.map((a): Part => ({
    kind: PHOTO_TYPES.has(a.mimeType) && a.size <= PHOTO_MAX_BYTES ? 'photo' : 'document', path: a.path, fileName: a.fileName,
  }));
  if (files.length && text && text.length <= CAPTION_LIMIT) {
    (files[0] as { caption?: string }).caption = text;
    return files;
  }
  return [...(text ? splitText(text).map((t): Part => ({ kind: 'text', text: t })) : []), ...files];
}

/** Maps a Bot API failure to the outbox's terms: blocked, bad chat and bad requests are final. */
export function toSendError(err: unknown): SendError {
  if (err instanceof TelegramError) {
    const reason = `Telegram: ${err.description}`;
    if (err.code === 403) return new SendError(reason, false);
    if (err.code === 400 || err.code === 404) return new SendError(reason, false);
    if (err.code === 401) return new SendError('Telegram rejected the bot token (401): check it with @BotFather', false);
    return new SendError(reason, true);
  }
  return new SendError(`Telegram unreachable: ${(err as Error).message}`, true);
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs one Bot API call; a 429 waits the `retry_after` Telegram asks for and tries again (three times). */
export async function withRateLimit<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const retryAfter = err instanceof TelegramError && err.code === 429 ? Number(err.parameters?.retry_after ?? 1) : null;
      if (retryAfter === null || attempt >= 3 || retryAfter > MAX_INLINE_WAIT_S) throw toSendError(err);
      await wait(retryAfter * 1000);
    }
  }
}

/**
 * Sends one message as its parts. Parts already delivered by an earlier attempt of the same message
 * (kept in `progress`) are not sent again when the outbox retries after a transient failure.
 */
export async function sendParts(
  telegram: Telegram,
  m: OutboundMessage,
  opts: { quote: boolean; progress: Map<number, number[]> },
): Promise<{ externalId: string }> {
  const chatId = m.recipientExternalId;
  const parts = planParts(m);
  if (!parts.length) throw new SendError('Nothing to send: the message has no text and no files', false);
  const done = opts.progress.get(m.messageId) ?? [];
  const replyTo = opts.quote && m.inReplyTo ? Number(m.inReplyTo.externalId.split(':')[1]) : NaN;
  const reply = Number.isInteger(replyTo) && m.inReplyTo?.externalId.startsWith(`${chatId}:`)
    ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } }
    : {};
  for (let i = done.length; i < parts.length; i++) {
    const p = parts[i]!;
    const extra = i === 0 ? reply : {};
    const sent = await withRateLimit<{ message_id: number }>(() =>
      p.kind === 'text'
        ? telegram.sendMessage(chatId, p.text, extra)
        : p.kind === 'photo'
          ? telegram.sendPhoto(chatId, { source: p.path, filename: p.fileName }, { ...extra, caption: p.caption })
          : telegram.sendDocument(chatId, { source: p.path, filename: p.fileName }, { ...extra, caption: p.caption }),
    );
    done.push(sent.message_id);
    opts.progress.set(m.messageId, done);
  }
  opts.progress.delete(m.messageId);
  return { externalId: messageKey(chatId, done[0]!) };
}
