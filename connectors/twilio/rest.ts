import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';
import { SendError } from '../contract.js';
import { TWILIO_API, type TwilioSettings } from './settings.js';

/** Twilio's API hosts: `api.twilio.com`, or `api.<edge>.<region>.twilio.com` when TWILIO_EDGE/TWILIO_REGION are set. */
const API_HOST = /^api(\.[a-z0-9-]+)*\.twilio\.com$/;

/** The URI the library built, re-addressed to `baseUrl` when that is not Twilio's own API. */
export function rebase(uri: string, baseUrl: string): string {
  if (baseUrl === TWILIO_API) return uri;
  const u = new URL(uri);
  return API_HOST.test(u.hostname) ? `${baseUrl}${u.pathname}${u.search}` : uri;
}

/**
 * twilio's own RequestClient (axios, auth, form encoding, errors), with one change: requests the library
 * addresses to `https://api.twilio.com/…` go to the channel's `apiBaseUrl` instead (a local server in tests).
 */
export class BaseUrlRequestClient extends twilio.RequestClient {
  constructor(private readonly baseUrl: string, keepAlive = true) {
    super({ timeout: 30_000, keepAlive });
  }

  override request<T>(opts: RequestClient.RequestOptions<T>): Promise<Response<T>> {
    return super.request({ ...opts, uri: rebase(opts.uri, this.baseUrl) });
  }

  /** Closes the kept-alive connections. */
  close(): void {
    (this.axios.defaults.httpsAgent as { destroy?(): void } | undefined)?.destroy?.();
  }
}

/**
 * A REST client of the channel's account: with the auth token, or with another credential pair (an API
 * key). `keepAlive: false` for one-off checks, so no connection outlives them.
 */
export function restClient(s: Pick<TwilioSettings, 'accountSid' | 'authToken' | 'apiBaseUrl'>, o: { credentials?: { username: string; password: string }; keepAlive?: boolean } = {}) {
  const httpClient = new BaseUrlRequestClient(s.apiBaseUrl, o.keepAlive ?? true);
  const client = twilio(o.credentials?.username ?? s.accountSid, o.credentials?.password ?? s.authToken, { accountSid: s.accountSid, httpClient });
  return Object.assign(client, { close: () => httpClient.close() });
}
export type TwilioRest = ReturnType<typeof restClient>;

/** What Twilio answered with a non-2xx status (RestException or the newer RFC 9457 TwilioServiceException). */
export interface TwilioApiError {
  status: number;
  code?: number;
  message: string;
}

export function isApiError(err: unknown): err is TwilioApiError {
  return typeof err === 'object' && err !== null && typeof (err as TwilioApiError).status === 'number';
}

/** Bad account credentials: HTTP 401 or Twilio error 20003. */
export const isAuthError = (err: unknown) => isApiError(err) && (err.status === 401 || err.code === 20003);

/** Error codes that mean "later": too many requests, queue overflow. */
const TRANSIENT_CODES = new Set([20429, 30001]);

/** A REST failure as the outbox needs it: 5xx, 429 and network errors are retried; any other 4xx is final. */
export function toSendError(err: unknown): SendError {
  if (err instanceof SendError) return err;
  if (isAuthError(err)) return new SendError('Twilio rejected the Account SID and auth token (20003): check the channel settings', false);
  if (isApiError(err)) {
    const reason = `Twilio: ${err.message || `HTTP ${err.status}`}${err.code ? ` (${err.code})` : ''}`;
    return new SendError(reason, err.status >= 500 || err.status === 429 || (err.code !== undefined && TRANSIENT_CODES.has(err.code)));
  }
  return new SendError(`Twilio unreachable: ${(err as Error).message}`, true);
}

/** `Authorization: Basic` with the account SID and auth token, for media Twilio serves to the account only. */
export const basicAuth = (s: Pick<TwilioSettings, 'accountSid' | 'authToken'>) => `Basic ${Buffer.from(`${s.accountSid}:${s.authToken}`).toString('base64')}`;
