import twilio from 'twilio';
import type { TwilioSettings } from './settings.js';
import { identityOf } from './twiml.js';

const { AccessToken } = twilio.jwt;

/** How long a browser phone's token lasts; the console fetches a new one before it expires. */
export const TOKEN_TTL_SECONDS = 3600;

/**
 * A Voice access token for an operator's browser phone (`@twilio/voice-sdk`), signed with the API key: it may
 * receive calls for `op_<userId>` (the `<Client>` identity incoming calls ring) and place calls through the
 * TwiML App (whose Voice URL is this channel's /voice webhook).
 */
export function voiceToken(s: Pick<TwilioSettings, 'accountSid' | 'apiKeySid' | 'apiKeySecret' | 'twimlAppSid'>, userId: number) {
  const identity = identityOf(userId);
  const token = new AccessToken(s.accountSid, s.apiKeySid, s.apiKeySecret, { identity, ttl: TOKEN_TTL_SECONDS });
  token.addGrant(new AccessToken.VoiceGrant({ outgoingApplicationSid: s.twimlAppSid, incomingAllow: true }));
  // The token's `exp` is its `iat` (now, in whole seconds) plus the TTL.
  const iat = Math.floor(Date.now() / 1000);
  return { token: token.toJwt(), identity, expiresAt: new Date((iat + TOKEN_TTL_SECONDS) * 1000).toISOString() };
}
