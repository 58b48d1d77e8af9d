import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local Twilio REST API (2010-04-01) for one account, with the documented wire format of the endpoints
 * the connector uses: `GET /Accounts/{Sid}.json`, `GET …/IncomingPhoneNumbers.json?PhoneNumber=` (a page),
 * `GET …/Applications/{Sid}.json`, `POST …/Messages.json` (form: To, From, Body, StatusCallback, MediaUrl…;
 * answers 201 with the Message resource, and fetches each MediaUrl as Twilio does), and the media Twilio
 * serves to the account: `GET …/Recordings/{Sid}[.mp3|.wav]` and `GET …/Messages/{Sid}/Media/{Sid}`.
 * Every call needs HTTP basic auth: the account SID and auth token, or (account resources) the API key
 * and its secret. Errors are `{ code, message, more_info, status }`.
 */
export interface FakeTwilio {
  url: string;
  /** Every request, in order: method, path (with query) and the basic-auth user. */
  requests: Array<{ method: string; path: string; user: string | null }>;
  /** Messages created, with the form fields as sent and what fetching each MediaUrl gave. */
  sent: Array<{ sid: string; params: URLSearchParams; media: Array<{ status: number; type: string | null; bytes: Buffer }> }>;
  /** Scripted errors for the next messages to a recipient. */
  failures: Map<string, Array<{ status: number; code: number; message: string }>>;
  /** A recording's audio, served as `…/Recordings/{sid}.mp3`; returns its RecordingUrl. */
  addRecording(sid: string, mp3: Buffer): string;
  /** An MMS file a customer sent, served at the returned MediaUrl. */
  addMedia(messageSid: string, data: Buffer, mimeType: string): string;
  close(): Promise<void>;
}

export interface FakeTwilioAccount {
  accountSid: string;
  authToken: string;
  apiKeySid: string;
  apiKeySecret: string;
  twimlAppSid: string;
  phoneNumber: string;
  friendlyName?: string;
}

/** A random SID: two letters and 32 hexadecimal digits. */
export const sid = (prefix: string) => `${prefix}${randomBytes(16).toString('hex')}`;

const rfc2822 = (d = new Date()) => d.toUTCString().replace('GMT', '+0000');

function userOf(req: IncomingMessage): { user: string; password: string } | null {
  const m = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
  if (!m) return null;
  const [user, ...rest] = Buffer.from(m[1]!, 'base64').toString('utf8').split(':');
  return { user: user!, password: rest.join(':') };
}

export async function startTwilioApi(a: FakeTwilioAccount): Promise<FakeTwilio> {
  const recordings = new Map<string, Buffer>();
  const media = new Map<string, { data: Buffer; mimeType: string }>();
  const fake = { requests: [], sent: [], failures: new Map() } as unknown as FakeTwilio;
  const base = `/2010-04-01/Accounts/${a.accountSid}`;
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const auth = userOf(req);
    fake.requests.push({ method: req.method ?? 'GET', path: `${url.pathname}${url.search}`, user: auth?.user ?? null });
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    const error = (status: number, code: number, message: string) => json(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
    const byToken = auth?.user === a.accountSid && auth.password === a.authToken;
    const byKey = auth?.user === a.apiKeySid && auth.password === a.apiKeySecret;
    if (!byToken && !byKey) return json(401, { code: 20003, detail: 'Your AccountSid or AuthToken was incorrect.', message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const path = url.pathname;
    if (!path.startsWith(`${base}.json`) && !path.startsWith(`${base}/`)) return error(404, 20404, `The requested resource ${path} was not found`);

    if (req.method === 'GET' && path === `${base}.json`) {
      return json(200, {
        auth_token: a.authToken, date_created: rfc2822(new Date('2024-01-10T12:00:00Z')), date_updated: rfc2822(), friendly_name: a.friendlyName ?? 'Omni Bikes',
        owner_account_sid: a.accountSid, sid: a.accountSid, status: 'active', type: 'Full', uri: `${base}.json`,
        subresource_uris: { incoming_phone_numbers: `${base}/IncomingPhoneNumbers.json`, messages: `${base}/Messages.json`, recordings: `${base}/Recordings.json`, applications: `${base}/Applications.json` },
      });
    }
    if (!byToken) return error(401, 20003, 'Authenticate');
    const recording = /^\/Recordings\/(RE[0-9a-f]{32})(\.mp3|\.wav)?$/.exec(path.slice(base.length));
    if (req.method === 'GET' && recording) {
      const audio = recordings.get(recording[1]!);
      if (!audio) return error(404, 20404, `The requested resource ${path} was not found`);
      return res.writeHead(200, { 'content-type': recording[2] === '.wav' || !recording[2] ? 'audio/x-wav' : 'audio/mpeg', 'content-length': String(audio.length) }).end(audio);
    }
    const file = media.get(path);
    if (req.method === 'GET' && file) return res.writeHead(200, { 'content-type': file.mimeType, 'content-length': String(file.data.length) }).end(file.data);
    if (req.method === 'GET' && path === `${base}/IncomingPhoneNumbers.json`) {
      const wanted = url.searchParams.get('PhoneNumber');
      const numbers = wanted && wanted !== a.phoneNumber ? [] : [{
        account_sid: a.accountSid, api_version: '2010-04-01', beta: false, capabilities: { voice: true, sms: true, mms: true, fax: false },
        date_created: rfc2822(new Date('2024-01-10T12:00:00Z')), date_updated: rfc2822(), friendly_name: '(415) 555-0100', phone_number: a.phoneNumber,
        origin: 'twilio', sid: 'PN2a0747eba6abf96b7e3c3ff0b4530f6e', sms_method: 'POST', sms_url: '', status_callback: '', status_callback_method: 'POST',
        voice_method: 'POST', voice_url: '', voice_caller_id_lookup: false, status: 'in-use', uri: `${base}/IncomingPhoneNumbers/PN2a0747eba6abf96b7e3c3ff0b4530f6e.json`,
      }];
      const pageSize = Number(url.searchParams.get('PageSize') ?? 50);
      return json(200, {
        end: Math.max(0, numbers.length - 1), first_page_uri: `${base}/IncomingPhoneNumbers.json?PageSize=${pageSize}&Page=0`, incoming_phone_numbers: numbers,
        next_page_uri: null, page: 0, page_size: pageSize, previous_page_uri: null, start: 0, uri: `${path}${url.search}`,
      });
    }
    const app = /^\/Applications\/(AP[0-9a-f]{32})\.json$/.exec(path.slice(base.length));
    if (req.method === 'GET' && app) {
      if (app[1] !== a.twimlAppSid) return error(404, 20404, `The requested resource ${path} was not found`);
      return json(200, { account_sid: a.accountSid, api_version: '2010-04-01', friendly_name: 'Omniline browser phones', sid: a.twimlAppSid, voice_method: 'POST', voice_url: '', uri: path });
    }
    if (req.method === 'POST' && path === `${base}/Messages.json`) {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const to = form.get('To') ?? '';
      if (!/^\+[1-9]\d{6,14}$/.test(to)) return error(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
      if (form.get('From') !== a.phoneNumber) return error(400, 21606, `The From phone number ${form.get('From')} is not a valid, SMS-capable inbound phone number or short code for your account.`);
      if (!form.get('Body') && !form.getAll('MediaUrl').length) return error(400, 21602, 'Message body is required.');
      const scripted = fake.failures.get(to)?.shift();
      if (scripted) return error(scripted.status, scripted.code, scripted.message);
      const fetched = [];
      for (const u of form.getAll('MediaUrl')) {
        const r = await fetch(u);
        fetched.push({ status: r.status, type: r.headers.get('content-type'), bytes: Buffer.from(await r.arrayBuffer()) });
      }
      const messageSid = sid(fetched.length ? 'MM' : 'SM');
      fake.sent.push({ sid: messageSid, params: form, media: fetched });
      const now = rfc2822();
      return json(201, {
        account_sid: a.accountSid, api_version: '2010-04-01', body: form.get('Body') ?? '', date_created: now, date_sent: null, date_updated: now, direction: 'outbound-api',
        error_code: null, error_message: null, from: a.phoneNumber, messaging_service_sid: null, num_media: String(fetched.length), num_segments: '1', price: null, price_unit: 'USD',
        sid: messageSid, status: 'queued', subresource_uris: { media: `${base}/Messages/${messageSid}/Media.json` }, to, uri: `${base}/Messages/${messageSid}.json`,
      });
    }
    return error(404, 20404, `The requested resource ${path} was not found`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.addRecording = (recordingSid, mp3) => {
    recordings.set(recordingSid, mp3);
    return `${fake.url}${base}/Recordings/${recordingSid}`;
  };
  fake.addMedia = (messageSid, data, mimeType) => {
    const path = `${base}/Messages/${messageSid}/Media/${sid('ME')}`;
    media.set(path, { data, mimeType });
    return `${fake.url}${path}`;
  };
  fake.close = () => new Promise((r) => {
    server.closeAllConnections();
    server.close(() => r());
  });
  return fake;
}
