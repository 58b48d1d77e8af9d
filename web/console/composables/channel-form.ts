/**
 * Pure rules of the channel connect/edit form: the types an admin can connect here, the settings
 * each starts from, the site chat's editable draft, and which settings an edit actually changed.
 */
import type { ChannelType } from '../../../shared/channel';

export const CONNECTABLE_TYPES = ['webchat', 'email', 'telegram', 'whatsapp_cloud', 'whatsapp', 'twilio', 'sip'] as const satisfies readonly ChannelType[];
export type ConnectableType = (typeof CONNECTABLE_TYPES)[number];

export type Settings = Record<string, unknown>;

/** What a new channel of `type` starts from (the connector fills the rest with its defaults). */
export function initialSettings(type: ConnectableType): Settings {
  switch (type) {
    case 'email':
      return { imapPort: 993, imapTls: 'tls', smtpPort: 587, smtpTls: 'starttls', folders: ['INBOX'], firstSyncDays: 3 };
    case 'telegram':
      return { mode: 'auto', acceptGroups: false, quoteReplies: false };
    case 'whatsapp':
      return { chromiumPath: '/usr/bin/chromium', acceptGroups: false };
    case 'twilio':
      return { ringSeconds: 20 };
    default:
      return {};
  }
}

type Ask = 'off' | 'optional' | 'required';
export interface WebchatDraft {
  /** One origin a line, as typed; parsed on save. */
  origins: string;
  title: string;
  color: string;
  welcomeText: string;
  prechat: { name: Ask; email: Ask; phone: Ask };
}

/** The site chat's form fields from stored settings (or a new channel's defaults). */
export function webchatDraft(settings: Settings = {}): WebchatDraft {
  const prechat = (settings.prechat ?? {}) as Partial<WebchatDraft['prechat']>;
  return {
    origins: Array.isArray(settings.allowedOrigins) ? settings.allowedOrigins.join('\n') : '',
    title: typeof settings.title === 'string' ? settings.title : '',
    color: typeof settings.color === 'string' ? settings.color : '#2563eb',
    welcomeText: typeof settings.welcomeText === 'string' ? settings.welcomeText : '',
    prechat: { name: prechat.name ?? 'optional', email: prechat.email ?? 'optional', phone: prechat.phone ?? 'off' },
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The settings an edit changed, for `PATCH /api/channels/:id` (the hub merges them over the stored
 * ones). Masked secrets left as they came stay out, so the stored values are kept.
 */
export function changedSettings(original: Settings, draft: Settings): Settings {
  const out: Settings = {};
  for (const [key, value] of Object.entries(draft)) if (!same(value, original[key])) out[key] = value;
  return out;
}

/** Twilio's webhooks, in the order the admin meets them in the Twilio console. */
export const TWILIO_HOOKS = ['voice', 'status', 'sms', 'sms-status'] as const;
export type TwilioHook = (typeof TWILIO_HOOKS)[number];

/**
 * The URLs to paste into Twilio for a saved channel. The hub's public address comes from the channel's
 * status when the connector names a hook URL there (it knows PUBLIC_URL); else this page's origin.
 */
export function twilioWebhooks(channel: { id: number; statusReason: string | null }, origin: string): { hook: TwilioHook; url: string }[] {
  const named = /(https?:\/\/\S+?)\/hooks\/twilio\//.exec(channel.statusReason ?? '')?.[1];
  const base = (named ?? origin).replace(/\/+$/, '');
  return TWILIO_HOOKS.map((hook) => ({ hook, url: `${base}/hooks/twilio/${channel.id}/${hook}` }));
}

/** Whether a newly created channel keeps the form open: to scan its QR code, paste its webhooks or add its phones. */
export function staysOpenAfterCreate(type: ChannelType): boolean {
  return type === 'whatsapp' || type === 'twilio' || type === 'sip';
}
