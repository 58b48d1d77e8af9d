import type { ConnectorDefinition } from '../contract.js';
import { EmailChannel, type EmailChannelOptions } from './channel.js';
import { EmailSettings } from './settings.js';
import { testEmailConnection } from './test-connection.js';

export { EmailChannel } from './channel.js';
export { EmailSettings } from './settings.js';

/**
 * A mailbox as a channel: IMAP (IDLE push, checkpointed sync per folder) for customer mail, SMTP
 * for replies. Threading is by Message-ID references first, then the conversation's reply token.
 */
export function emailConnector(options: EmailChannelOptions = {}): ConnectorDefinition<EmailSettings> {
  return {
    type: 'email',
    settings: EmailSettings,
    secretFields: ['imapPassword', 'smtpPassword'],
    usesPublicKey: false,
    capabilities: (s) => ({
      attachments: true, maxTextLength: 100_000, maxAttachmentBytes: s.maxAttachmentBytes,
      edits: false, readReceipts: false, typing: false, replyWindowHours: null,
    }),
    create: (channel, settings, ctx) => new EmailChannel(channel, settings, ctx, options),
    testConnection: testEmailConnection,
    inboundLoop: () => true,
  };
}
