import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** Channels whose contacts are known by their E.164 number (as ingest matches callers). */
export const PHONE_CHANNELS = ['whatsapp', 'whatsapp_cloud', 'twilio', 'sip'] as const;

/**
 * A number in E.164 (`+493012345678`), or null when `raw` is not a valid phone number (a SIP user
 * name, an extension). A leading `+` or `00` is international; a national number (`030 1234567`)
 * needs `defaultCountry`. SIP and tel URIs are read for their user part.
 *
 * @example toE164('+49 (30) 1234-5678') === '+493012345678'
 * @example toE164('030 12345678', 'DE') === '+493012345678'
 * @example toE164('1001') === null
 */
export function toE164(raw: string, defaultCountry?: string | null): string | null {
  const user = raw.trim().replace(/^(sips?|tel):/i, '').replace(/[@;].*$/, '');
  const cleaned = user.replace(/[\s().\-/]/g, '');
  // Extensions (2–5 digits) are never numbers, whatever a lenient national plan would allow.
  if (!/^(\+|00)?\d{6,17}$/.test(cleaned)) return null;
  const international = cleaned.startsWith('+') ? cleaned : cleaned.startsWith('00') ? `+${cleaned.slice(2)}` : null;
  const country = defaultCountry ? (defaultCountry.toUpperCase() as CountryCode) : undefined;
  if (!international && !country) return null;
  const parsed = international ? parsePhoneNumberFromString(international) : parsePhoneNumberFromString(cleaned, country);
  return parsed?.isValid() ? parsed.number : null;
}

/** Digits and a leading `+` only, as contacts' numbers are compared (`+49 30 1234` → `+49301234`). */
export const SQL_DIGITS = (column: string) => `REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(${column}, ' ', ''), '-', ''), '(', ''), ')', ''), '.', '')`;
