import { z } from 'zod';
import { toE164 } from '../whatsapp/phone.js';

/** Twilio's public REST API; tests point `apiBaseUrl` at a local server that speaks the same wire format. */
export const TWILIO_API = 'https://api.twilio.com';

export const DEFAULT_GREETING = 'Sorry, nobody can take your call right now. Please leave a message after the tone and we will call you back.';

const sid = (prefix: string, what: string) =>
  z.string().trim().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), `${what} (${prefix} followed by 32 hexadecimal digits)`);

/**
 * One Twilio phone number for calls and SMS, all values from the Twilio console. See docs/channels/twilio.md.
 *
 * @example { accountSid: 'AC…', authToken: '…', apiKeySid: 'SK…', apiKeySecret: '…', twimlAppSid: 'AP…', phoneNumber: '+14155550100' }
 */
export const TwilioSettings = z.object({
  /** Console → Account info. */
  accountSid: sid('AC', 'the Account SID from Account info'),
  /** Signs every webhook (X-Twilio-Signature) and authenticates REST calls and media downloads. Secret. */
  authToken: z.string().trim().regex(/^[0-9a-fA-F]{32}$/, 'the Auth token from Account info (32 hexadecimal digits)'),
  /** An API key (Account → API keys): signs the browser phones' access tokens. */
  apiKeySid: sid('SK', 'the SID of a Standard API key'),
  /** The API key's secret, shown once when the key is created. Secret. */
  apiKeySecret: z.string().trim().min(16, 'the secret shown when the API key was created'),
  /** The TwiML App whose Voice URL is this channel's /voice webhook: the browser phones call out through it. */
  twimlAppSid: sid('AP', 'the SID of the TwiML App'),
  /** The Twilio number customers call and text, in E.164 (`+14155550100`). */
  phoneNumber: z.string().trim().transform((raw, ctx) => {
    const e164 = toE164(raw);
    if (!e164 || !raw.trim().startsWith('+')) ctx.addIssue({ code: 'custom', message: 'the Twilio number in international format, such as +14155550100' });
    return e164 ?? raw;
  }),
  /**
   * How long an incoming call rings the operators' browsers (all of them, or each in turn) before voicemail.
   * @default 20
   */
  ringSeconds: z.number().int().min(5).max(120).default(20),
  /** Read to callers nobody answers or who call out of hours, before the tone. */
  voicemailGreeting: z.string().trim().min(1).max(1000).default(DEFAULT_GREETING),
  /** @default 120 */
  voicemailMaxSeconds: z.number().int().min(10).max(3600).default(120),
  /** @default 'https://api.twilio.com' */
  apiBaseUrl: z.url({ protocol: /^https?$/ }).default(TWILIO_API).transform((u) => u.replace(/\/+$/, '')),
});
export type TwilioSettings = z.infer<typeof TwilioSettings>;

/** Twilio's limits: 1,600 characters of SMS body; MMS of at most 10 files and 5 MB. */
export const SMS_TEXT_LIMIT = 1600;
export const MMS_MAX_FILES = 10;
export const MMS_MAX_BYTES = 5 * 1024 * 1024;
