import type { WidgetConfig } from '../../../shared/visitor-socket.js';
import { PRECHAT_FIELDS, type PrechatField } from './config.js';

export type PrechatValues = Record<PrechatField, string>;
export type PrechatErrors = Partial<Record<PrechatField, string>>;
export type PrechatBody = Partial<Record<PrechatField, string>>;

// Same shapes the session endpoint accepts, so the visitor hears about a typo before a round trip.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ()-]{3,40}$/;

export const PRECHAT_LABELS: Record<PrechatField, string> = { name: 'Name', email: 'Email', phone: 'Phone' };

/**
 * Validates the pre-chat form. Blank optional fields are left out of the body rather than sent
 * empty, because the session endpoint would reject an empty e-mail address.
 */
export function validatePrechat(
  settings: WidgetConfig['prechat'],
  values: PrechatValues,
): { ok: true; body: PrechatBody } | { ok: false; errors: PrechatErrors } {
  const errors: PrechatErrors = {};
  const body: PrechatBody = {};
  for (const field of PRECHAT_FIELDS) {
    const mode = settings[field];
    const value = values[field].trim();
    if (mode === 'off') continue;
    if (!value) {
      if (mode === 'required') errors[field] = `${PRECHAT_LABELS[field]} is required.`;
      continue;
    }
    if (field === 'email' && !EMAIL.test(value)) errors.email = 'Enter an email address like name@example.com.';
    else if (field === 'phone' && !PHONE.test(value)) errors.phone = 'Enter a phone number using digits, spaces, ( ) - or a leading +.';
    else if (value.length > (field === 'email' ? 320 : 200)) errors[field] = `${PRECHAT_LABELS[field]} is too long.`;
    else body[field] = value;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, body };
}
