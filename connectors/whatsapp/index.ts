import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConnectorDefinition } from '../contract.js';
import { WhatsappWebChannel } from './channel.js';
import { WhatsappSettings } from './settings.js';

export interface WhatsappDeps {
  /** Sessions are kept in `<dataDir>/whatsapp` and packed into the channel's secrets, so neither a restart nor another node needs a new QR code. */
  dataDir: string;
}

export interface WhatsappOptions {
  /**
   * The module the worker loads `createClient` from. Production leaves it unset: the real
   * whatsapp-web.js Client (`./wwebjs-client.ts`). Tests point it at a double of the Client.
   */
  clientModule?: string;
  /** Extra environment for the worker process. */
  env?: Record<string, string>;
  /** Restart backoff of the worker. @default { baseMs: 1000, maxMs: 60000 } */
  backoff?: { baseMs: number; maxMs: number };
  /** How often a ready session is packed into the channel's secrets (the first time after at most a minute). @default 900000 */
  snapshotEveryMs?: number;
}

const REAL_CLIENT = fileURLToPath(new URL('./wwebjs-client.ts', import.meta.url));

/**
 * WhatsApp through whatsapp-web.js: pairing by QR code, no business verification. Unofficial: WhatsApp
 * may ban numbers that use it (docs/channels/whatsapp.md). The status reason carries the live state,
 * `qr:<data>` while a QR code waits to be scanned.
 */
export function whatsappConnector(deps: WhatsappDeps, opts: WhatsappOptions = {}): ConnectorDefinition<WhatsappSettings> {
  return {
    type: 'whatsapp',
    settings: WhatsappSettings,
    secretFields: [],
    usesPublicKey: false,
    inboundLoop: () => true,
    capabilities: () => ({
      attachments: true, maxTextLength: 65_536, maxAttachmentBytes: 64 * 1024 * 1024,
      edits: false, readReceipts: true, typing: false, replyWindowHours: null,
    }),
    create: (channel, settings, ctx) =>
      new WhatsappWebChannel(channel, settings, ctx, {
        sessionsDir: path.join(deps.dataDir, 'whatsapp'), clientModule: opts.clientModule ?? REAL_CLIENT, env: opts.env, backoff: opts.backoff,
        snapshots: { firstMs: Math.min(60_000, opts.snapshotEveryMs ?? 900_000), everyMs: opts.snapshotEveryMs ?? 900_000 },
      }),
    async testConnection(settings) {
      if (!existsSync(settings.chromiumPath)) return { ok: false, reason: `Chromium not found at ${settings.chromiumPath}: install it or correct the path` };
      return { ok: true, details: 'Chromium found. Save the channel, then scan the QR code with WhatsApp → Linked devices' };
    },
  };
}
