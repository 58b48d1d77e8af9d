import { Telegraf, TelegramError } from 'telegraf';
import type { ConnectorDefinition } from '../contract.js';
import { TelegramChannel } from './channel.js';
import { TelegramSettings, updateMode } from './settings.js';

export interface TelegramDeps {
  /** Where Telegram reaches this hub: webhooks are used when it is https. */
  publicUrl: string;
}

/**
 * Telegram bots through the Bot API (telegraf's client). One channel per bot; private chats by default,
 * group chats when the channel accepts them. See docs/channels/telegram.md.
 */
export function telegramConnector(deps: TelegramDeps): ConnectorDefinition<TelegramSettings> {
  return {
    type: 'telegram',
    settings: TelegramSettings,
    secretFields: ['botToken'],
    usesPublicKey: false,
    capabilities: () => ({
      attachments: true, maxTextLength: 4096, maxAttachmentBytes: 50 * 1024 * 1024,
      edits: true, readReceipts: false, typing: false, replyWindowHours: null,
    }),
    create: (channel, settings, ctx) => new TelegramChannel(channel, settings, ctx, deps.publicUrl),
    checkOnSave: true,
    inboundLoop: (s) => updateMode(s.mode, deps.publicUrl) === 'polling',
    testConnection: (settings) => checkBot(settings),
  };
}

/** getMe with the given token: says which bot it is, or exactly why not. */
export async function checkBot(settings: TelegramSettings): Promise<{ ok: true; details: string } | { ok: false; reason: string }> {
  const telegram = new Telegraf(settings.botToken, { telegram: { apiRoot: settings.apiRoot } }).telegram;
  try {
    const me = await telegram.getMe();
    return { ok: true, details: `Connected to @${me.username} (${me.first_name})` };
  } catch (err) {
    if (err instanceof TelegramError && (err.code === 401 || err.code === 404)) {
      return { ok: false, reason: 'Telegram rejected the bot token (401 Unauthorized): copy it again from @BotFather' };
    }
    if (err instanceof TelegramError) return { ok: false, reason: `Telegram answered ${err.code}: ${err.description}` };
    return { ok: false, reason: `Cannot reach Telegram at ${settings.apiRoot}: ${(err as Error).message}` };
  }
}
