import type { ConnectorDefinition } from '../contract.js';
import { checkAccount } from './account.js';
import { TwilioChannel } from './channel.js';
import { MMS_MAX_BYTES, SMS_TEXT_LIMIT, TwilioSettings } from './settings.js';

export interface TwilioDeps {
  /** Where Twilio reaches this hub: webhooks are `<publicUrl>/hooks/twilio/<channel id>/…` and signed over that URL. */
  publicUrl: string;
}

/**
 * A Twilio number: calls ring the operators' browser phones (Voice SDK) and go to voicemail when nobody
 * answers; operators call out from the CRM card; SMS/MMS both ways. See docs/channels/twilio.md.
 */
export function twilioConnector(deps: TwilioDeps): ConnectorDefinition<TwilioSettings> {
  return {
    type: 'twilio',
    settings: TwilioSettings,
    secretFields: ['authToken', 'apiKeySecret'],
    usesPublicKey: false,
    capabilities: () => ({
      attachments: true, maxTextLength: SMS_TEXT_LIMIT, maxAttachmentBytes: MMS_MAX_BYTES,
      edits: false, readReceipts: false, typing: false, replyWindowHours: null,
    }),
    create: (channel, settings, ctx) => new TwilioChannel(channel, settings, ctx, deps.publicUrl),
    checkOnSave: true,
    inboundLoop: () => false,
    testConnection: async (settings) => {
      const r = await checkAccount(settings);
      return r.ok ? r : { ok: false, reason: r.reason };
    },
  };
}
