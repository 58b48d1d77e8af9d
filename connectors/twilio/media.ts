import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { basicAuth } from './rest.js';
import type { TwilioSettings } from './settings.js';

type Account = Pick<TwilioSettings, 'accountSid' | 'authToken' | 'apiBaseUrl'>;

/**
 * Whether a URL is a recording of this account on the configured API host — the only place the account's
 * credentials are ever sent to.
 *
 * @example isRecordingOf('https://api.twilio.com/2010-04-01/Accounts/AC…/Recordings/RE…', settings) === true
 */
export function isRecordingOf(source: string, s: Account): boolean {
  let u: URL;
  try {
    u = new URL(source);
  } catch {
    return false;
  }
  const path = new RegExp(`^/2010-04-01/Accounts/${s.accountSid}/Recordings/RE[0-9a-fA-F]{32}(\\.(mp3|wav))?$`);
  return u.origin === new URL(s.apiBaseUrl).origin && path.test(u.pathname) && !u.username && !u.password;
}

/** Whether Twilio serves this media URL from the account's API host (and wants the account's credentials for it). */
const onApiHost = (url: string, s: Account) => {
  try {
    return new URL(url).origin === new URL(s.apiBaseUrl).origin;
  } catch {
    return false;
  }
};

/** Streams a recording (MP3) with the account's credentials, for the hub's authenticated proxy. */
export async function streamRecording(source: string, s: Account): Promise<{ stream: Readable; mimeType: string; size: number | null }> {
  if (!isRecordingOf(source, s)) throw new Error('not a recording of this Twilio account');
  const url = /\.(mp3|wav)$/.test(new URL(source).pathname) ? source : `${source}.mp3`;
  const res = await fetch(url, { headers: { authorization: basicAuth(s) }, signal: AbortSignal.timeout(60_000) });
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new Error(res.status === 404 ? 'Twilio no longer has this recording' : `Twilio answered ${res.status} for the recording`);
  }
  const size = Number(res.headers.get('content-length'));
  return {
    stream: Readable.fromWeb(res.body as WebReadableStream<Uint8Array>),
    mimeType: res.headers.get('content-type')?.split(';')[0]?.trim() || 'audio/mpeg',
    size: Number.isFinite(size) && size > 0 ? size : null,
  };
}

/** Thrown when a customer's file is over the bound: the message is stored without it, with a note. */
export class TooLarge extends Error {}

/**
 * Downloads a customer's MMS file, at most `maxBytes` (checked against Content-Length and while reading).
 * Twilio may require HTTP basic auth for media: the credentials go only to the account's API host.
 */
export async function downloadMedia(url: string, s: Account, maxBytes: number): Promise<Buffer> {
  const res = await fetch(url, { headers: onApiHost(url, s) ? { authorization: basicAuth(s) } : {}, signal: AbortSignal.timeout(60_000) });
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new Error(`media download failed: HTTP ${res.status}`);
  }
  if (Number(res.headers.get('content-length') ?? 0) > maxBytes) {
    await res.body.cancel();
    throw new TooLarge(`over ${maxBytes} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > maxBytes) throw new TooLarge(`over ${maxBytes} bytes`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
