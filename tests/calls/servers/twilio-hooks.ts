import { XMLParser } from 'fast-xml-parser';
import twilio from 'twilio';

/** TwiML as data: attributes without prefix, values as strings, `<Client>` always a list. */
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, parseTagValue: false, isArray: (name) => name === 'Client' });

export interface HookAnswer {
  status: number;
  contentType: string | null;
  text: string;
  /** The parsed `<Response>` when the answer is XML. */
  twiml: Record<string, any> | null;
}

/**
 * Twilio calling the hub: form-encoded POSTs signed the way Twilio signs them (HMAC-SHA1 of the URL and
 * the sorted parameters under the auth token, `X-Twilio-Signature`), computed by the twilio package.
 * `signAs` signs for another URL (a replay), `signature` overrides the header (null: none).
 */
export function twilioHooks(hookBase: string, authToken: string) {
  return async function post(path: string, params: Record<string, string>, o: { signAs?: string; token?: string; signature?: string | null } = {}): Promise<HookAnswer> {
    const url = `${hookBase}${path}`;
    const signature = o.signature === undefined ? twilio.getExpectedTwilioSignature(o.token ?? authToken, o.signAs ?? url, params) : o.signature;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'TwilioProxy/1.1', ...(signature ? { 'x-twilio-signature': signature } : {}) },
      body: new URLSearchParams(params).toString(),
    });
    const text = await res.text();
    const contentType = res.headers.get('content-type');
    return { status: res.status, contentType, text, twiml: contentType?.startsWith('text/xml') ? parser.parse(text).Response ?? null : null };
  };
}
export type PostHook = ReturnType<typeof twilioHooks>;
