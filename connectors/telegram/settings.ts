import { createHmac } from 'node:crypto';
import { z } from 'zod';

/**
 * Telegram bot settings. One channel is one bot: the token from @BotFather is the only secret.
 *
 * @example { botToken: '123456:ABC-DEF…', mode: 'auto', acceptGroups: false }
 */
export const TelegramSettings = z.object({
  /** The token @BotFather gave the bot (`<bot id>:<secret>`). Checked with getMe when tested and at start. */
  botToken: z.string().trim().regex(/^\d{3,20}:[A-Za-z0-9_-]{20,100}$/, 'a bot token such as 123456789:AAE… from @BotFather'),
  /**
   * How updates arrive. `auto` (default): a webhook when the hub's PUBLIC_URL is https (Telegram only
   * calls https URLs), long polling otherwise.
   * @default 'auto'
   */
  mode: z.enum(['auto', 'webhook', 'polling']).default('auto'),
  /** Accept messages from group chats the bot is a member of; each group is one conversation. @default false */
  acceptGroups: z.boolean().default(false),
  /** Quote the customer's newest message when replying in a private chat (groups always quote). @default false */
  quoteReplies: z.boolean().default(false),
  /**
   * The Bot API server: change it only for a self-hosted Bot API server.
   * @default 'https://api.telegram.org'
   */
  apiRoot: z.url({ protocol: /^https?$/ }).default('https://api.telegram.org'),
  /** Long-polling wait in seconds (Telegram allows up to 50). @default 50 */
  pollTimeoutSeconds: z.number().int().min(0).max(50).default(50),
});
export type TelegramSettings = z.infer<typeof TelegramSettings>;

/** The update transport this channel uses: a webhook needs an https public URL. */
export function updateMode(mode: TelegramSettings['mode'], publicUrl: string): 'webhook' | 'polling' {
  if (mode !== 'auto') return mode;
  return publicUrl.startsWith('https://') ? 'webhook' : 'polling';
}

/**
 * The webhook's `secret_token`: derived from the bot token and the channel, so nothing extra is stored
 * and a new token rotates it. Telegram allows 1–256 characters of `A-Za-z0-9_-`.
 */
export function webhookSecret(botToken: string, channelId: number): string {
  return createHmac('sha256', botToken).update(`omniline-telegram-webhook:${channelId}`).digest('base64url');
}
