import type { ConnectorDefinition } from '../contract.js';
import { WhatsappCloudChannel } from './channel.js';
import { GraphClient, GraphError } from './graph.js';
import { SERVICE_WINDOW_HOURS, WhatsappCloudSettings } from './settings.js';

export interface WhatsappCloudDeps {
  /** Where Meta reaches this hub: the webhook is `<publicUrl>/hooks/whatsapp_cloud/<channel id>`. */
  publicUrl: string;
}

/**
 * WhatsApp Business Platform, Cloud API (official). Free-form replies only within 24 hours of the
 * customer's last message, templates after that. See docs/channels/whatsapp.md.
 */
export function whatsappCloudConnector(deps: WhatsappCloudDeps): ConnectorDefinition<WhatsappCloudSettings> {
  return {
    type: 'whatsapp_cloud',
    settings: WhatsappCloudSettings,
    secretFields: ['accessToken', 'appSecret', 'verifyToken'],
    usesPublicKey: false,
    capabilities: () => ({
      attachments: true, maxTextLength: 4096, maxAttachmentBytes: 16 * 1024 * 1024,
      edits: false, readReceipts: true, typing: false, replyWindowHours: SERVICE_WINDOW_HOURS,
    }),
    create: (channel, settings, ctx) => new WhatsappCloudChannel(channel, settings, ctx, deps.publicUrl),
    checkOnSave: true,
    inboundLoop: () => false,
    templates: listTemplates,
    testConnection: (settings) => checkNumber(settings),
  };
}

/** Reads the number with the token: proves both, or says which is wrong. */
export async function checkNumber(settings: WhatsappCloudSettings): Promise<{ ok: true; details: string } | { ok: false; reason: string }> {
  try {
    const n = await new GraphClient(settings).phoneNumber();
    return { ok: true, details: `Connected to ${n.display_phone_number} (${n.verified_name})` };
  } catch (err) {
    if (err instanceof GraphError && (err.code === 190 || err.status === 401)) return { ok: false, reason: `WhatsApp rejected the access token: ${err.message}` };
    if (err instanceof GraphError && err.code === 100) return { ok: false, reason: `No phone number ${settings.phoneNumberId} for this token: ${err.message}` };
    if (err instanceof GraphError) return { ok: false, reason: `Graph API answered ${err.status}: ${err.message}` };
    return { ok: false, reason: `Cannot reach the Graph API at ${settings.graphApiRoot}: ${(err as Error).message}` };
  }
}

/** Approved templates of the business account, for a template picker (needs `businessAccountId`). */
export async function listTemplates(settings: WhatsappCloudSettings) {
  if (!settings.businessAccountId) return [];
  const { data } = await new GraphClient(settings).templates(settings.businessAccountId);
  return data.filter((t) => t.status === 'APPROVED').map((t) => ({
    name: t.name, language: t.language, category: t.category ?? null,
    body: String((t.components as Array<{ type?: string; text?: string }> | undefined)?.find((c) => c.type === 'BODY')?.text ?? ''),
  }));
}
