import { isApiError, isAuthError, restClient } from './rest.js';
import type { TwilioSettings } from './settings.js';

export type AccountCheck = { ok: true; details: string } | { ok: false; reason: string; credentials: boolean };

/** One step's failure in words: unreachable, rejected credentials, or what Twilio answered. */
function failure(err: unknown, s: TwilioSettings, rejected: string, notFound: string): AccountCheck {
  if (isAuthError(err)) return { ok: false, reason: rejected, credentials: true };
  if (isApiError(err) && err.status === 404) return { ok: false, reason: notFound, credentials: true };
  if (isApiError(err)) return { ok: false, reason: `Twilio answered ${err.status}: ${err.message}${err.code ? ` (${err.code})` : ''}`, credentials: false };
  return { ok: false, reason: `Cannot reach the Twilio API at ${s.apiBaseUrl}: ${(err as Error).message}`, credentials: false };
}

/**
 * Tries every setting against Twilio, in order, and says which one is wrong: the account and auth token
 * (fetch the account), the number (among the account's incoming phone numbers), the TwiML App, and the API
 * key with its secret (fetch the account again, authenticated with the key).
 */
export async function checkAccount(s: TwilioSettings): Promise<AccountCheck> {
  const rest = restClient(s, { keepAlive: false });
  let account;
  try {
    account = await rest.api.v2010.accounts(s.accountSid).fetch();
  } catch (err) {
    return failure(err, s, `Twilio rejected the Account SID and auth token (20003): copy both from Account info`, `No Twilio account ${s.accountSid}`);
  }
  if (account.status !== 'active') return { ok: false, reason: `The Twilio account ${account.friendlyName} is ${account.status}`, credentials: true };
  let number;
  try {
    [number] = await rest.incomingPhoneNumbers.list({ phoneNumber: s.phoneNumber, limit: 1 });
  } catch (err) {
    return failure(err, s, 'Twilio rejected the auth token for the phone numbers (20003)', 'Twilio has no phone numbers list for this account');
  }
  if (!number) return { ok: false, reason: `${s.phoneNumber} is not a phone number of the Twilio account ${account.friendlyName} (${s.accountSid})`, credentials: true };
  if (!number.capabilities?.voice && !number.capabilities?.sms) return { ok: false, reason: `${s.phoneNumber} can neither take calls nor SMS`, credentials: true };
  let app;
  try {
    app = await rest.applications(s.twimlAppSid).fetch();
  } catch (err) {
    return failure(err, s, 'Twilio rejected the auth token for the TwiML App (20003)', `No TwiML App ${s.twimlAppSid} on the account ${account.friendlyName}`);
  }
  try {
    await restClient(s, { credentials: { username: s.apiKeySid, password: s.apiKeySecret }, keepAlive: false }).api.v2010.accounts(s.accountSid).fetch();
  } catch (err) {
    return failure(err, s, `Twilio rejected the API key ${s.apiKeySid} with this secret (20003): create a key and copy its secret`, `The API key ${s.apiKeySid} does not belong to the account ${s.accountSid}`);
  }
  const lacks = [number.capabilities.voice ? null : 'calls', number.capabilities.sms ? null : 'SMS'].filter(Boolean);
  return {
    ok: true,
    details: `Connected to ${account.friendlyName}: ${number.phoneNumber} (${number.friendlyName}), TwiML App ${app.friendlyName}${lacks.length ? `; the number cannot take ${lacks.join(' or ')}` : ''}`,
  };
}
