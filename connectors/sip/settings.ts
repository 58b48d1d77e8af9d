import { isSupportedCountry } from 'libphonenumber-js';
import { z } from 'zod';

/**
 * A SIP line: the company's PBX, reached by each operator's softphone in the console over SIP on
 * WebSocket (RFC 7118). The hub never talks to the PBX itself; operators' extensions and passwords are
 * kept per channel and user (`/api/channels/:id/sip-accounts`), not here, so nothing here is secret.
 */
export const SipSettings = z.object({
  /** The PBX's SIP-over-WebSocket address. @example "wss://pbx.example.com:8089/ws" */
  wsUrl: z.url({ protocol: /^wss?$/, error: 'a ws:// or wss:// URL such as wss://pbx.example.com:8089/ws' }).max(500),
  /** The SIP domain extensions register in (`1001@<domain>`). @example "pbx.example.com" */
  domain: z.string().trim().toLowerCase().pipe(z.hostname({ error: 'a SIP domain such as pbx.example.com' })),
  /**
   * Numbers without a country code (`030 1234567`) belong to this country (ISO 3166 code); without
   * it only numbers with `+` or `00` are read as phone numbers. @example "DE"
   */
  defaultCountry: z
    .string()
    .trim()
    .toUpperCase()
    .refine((c) => c === '' || isSupportedCountry(c), 'a two-letter country code such as DE')
    .transform((c) => c || undefined)
    .optional(),
});
export type SipSettings = z.infer<typeof SipSettings>;
