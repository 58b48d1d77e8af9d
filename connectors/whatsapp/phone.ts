import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * A phone number in E.164 (`+79161234567`), or null when it is not a valid number. Numbers without a
 * leading `+` are read as international (WhatsApp ids and Telegram contacts carry no `+`).
 *
 * @example toE164('79161234567') === '+79161234567'
 */
export function toE164(raw: string): string | null {
  const cleaned = raw.trim().replace(/[\s().-]/g, '');
  if (!/^\+?\d{5,17}$/.test(cleaned)) return null;
  const parsed = parsePhoneNumberFromString(cleaned.startsWith('+') ? cleaned : `+${cleaned}`);
  return parsed?.isPossible() ? parsed.number : null;
}

/** The digits WhatsApp uses as an id (`wa_id`, the part before `@c.us`): E.164 without the `+`. */
export function waDigits(e164: string): string {
  return e164.replace(/^\+/, '');
}
