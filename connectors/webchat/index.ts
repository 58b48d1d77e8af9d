import type { ConnectorDefinition } from '../contract.js';
import type { WebchatGateway } from './gateway.js';
import { WebchatSettings } from './settings.js';

/**
 * The site chat. Sending is handing the message to the visitor's open tabs; a visitor who is away
 * reads it from history when the widget comes back, so "sent" is final here.
 */
export function webchatConnector(gateway: WebchatGateway): ConnectorDefinition<WebchatSettings> {
  return {
    type: 'webchat',
    settings: WebchatSettings,
    secretFields: [],
    usesPublicKey: true,
    inboundLoop: () => false,
    capabilities: (s) => ({
      attachments: s.attachments.enabled, maxTextLength: 5000, maxAttachmentBytes: s.attachments.maxBytes,
      edits: false, readReceipts: false, typing: true, replyWindowHours: null,
    }),
    create(channel, settings, ctx) {
      const key = channel.publicKey;
      if (!key) throw new Error(`webchat channel ${channel.id} has no public key`);
      return {
        async start() {
          gateway.register({ id: channel.id, key, settings, ctx });
          ctx.reportStatus('connected');
        },
        async stop() {
          gateway.unregister(channel.id);
        },
        // The widget merges messages by id: a repeated delivery replaces itself.
        idempotentSends: true,
        async send(m) {
          gateway.deliver(channel.id, m.recipientExternalId, {
            id: m.messageId, externalId: null, direction: 'out', text: m.text, authorName: m.authorName ?? null, createdAt: m.createdAt,
            attachments: m.attachments.map(({ id, fileName, mimeType, size }) => ({ id, fileName, mimeType, size })),
          });
          return { externalId: `webchat-out-${m.messageId}` };
        },
        ratingRequested(visitorId, prompt) {
          gateway.askRating(channel.id, visitorId, prompt);
        },
        availabilityChanged(online) {
          gateway.status(channel.id, online);
        },
        operatorTyping(visitorId, typing, name) {
          gateway.typing(channel.id, visitorId, typing, name);
        },
      };
    },
  };
}
