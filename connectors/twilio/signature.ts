import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import twilio from 'twilio';

export type TwilioParams = Record<string, string | string[]>;

/** A form body (`application/x-www-form-urlencoded`) as the signature algorithm reads it: repeated names become arrays. */
export function formParams(raw: string): TwilioParams {
  const out: TwilioParams = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    const had = out[k];
    out[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
  }
  return out;
}

/**
 * Checks `X-Twilio-Signature` with the twilio package's own validator, over the URL Twilio requested — the
 * hub's public URL plus the path below the mount and the query, byte for byte — and the POSTed parameters
 * (a GET carries them in the URL). Resolves to the parameters, or null when the signature does not match.
 *
 * @example verifiedParams(req, 'https://hub.example.com/hooks/twilio/7', authToken)
 */
export function verifiedParams(req: Request, hookBase: string, authToken: string): TwilioParams | null {
  const header = req.headers['x-twilio-signature'];
  if (typeof header !== 'string' || !header) return null;
  const url = `${hookBase}${req.url}`;
  if (req.method === 'GET') return twilio.validateRequest(authToken, header, url, {}) ? formParams(url.split('?')[1] ?? '') : null;
  const params = formParams(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '');
  return twilio.validateRequest(authToken, header, url, params) ? params : null;
}

/**
 * Links to an operator's file that Twilio fetches to send an MMS (it needs a public URL): valid for one
 * recipient and attachment until `exp`, signed with a key only this channel holds.
 */
export function mediaSignature(authToken: string, channelId: number, attachmentId: number, to: string, exp: number): string {
  return createHmac('sha256', `omniline-mms:${authToken}`).update(`${channelId}:${attachmentId}:${to}:${exp}`).digest('base64url');
}

export function validMediaSignature(authToken: string, channelId: number, attachmentId: number, to: string, exp: number, sig: string): boolean {
  const expected = Buffer.from(mediaSignature(authToken, channelId, attachmentId, to, exp));
  const given = Buffer.from(sig);
  return exp * 1000 > Date.now() && given.length === expected.length && timingSafeEqual(given, expected);
}
