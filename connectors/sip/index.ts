import { SendError, type ConnectorDefinition } from '../contract.js';
import { SipSettings } from './settings.js';
import { checkSipWebSocket } from './test-connection.js';

/**
 * SIP lines: calls between the company's PBX and the softphones in operators' browsers (SIP over
 * WebSocket). The hub holds no SIP session: each softphone reports its calls (`POST /api/calls/sip`),
 * which the hub logs in the caller's dialog. Calls only: a text reply cannot be sent here.
 */
export function sipConnector(): ConnectorDefinition<SipSettings> {
  return {
    type: 'sip',
    settings: SipSettings,
    secretFields: [],
    usesPublicKey: false,
    inboundLoop: () => false,
    capabilities: () => ({
      attachments: false, maxTextLength: 1, maxAttachmentBytes: 0, edits: false, readReceipts: false, typing: false, replyWindowHours: null,
    }),
    create: (_channel, _settings, ctx) => ({
      async start() {
        // Nothing to hold open: the softphones register with the PBX themselves.
        ctx.reportStatus('connected');
      },
      async stop() {},
      async send() {
        throw new SendError('SIP lines carry calls only', false);
      },
    }),
    testConnection: (settings) => checkSipWebSocket(settings.wsUrl),
  };
}
