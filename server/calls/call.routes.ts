import type { Logger } from 'pino';
import type { Connector } from '../../connectors/contract.js';
import { CallLookupDto, CallLookupQuery, DialBody, DialDto, PhoneList, SipCallLogged, SipCallReport } from '../../shared/calls.js';
import { viewerOf } from '../conversations/access.js';
import type { Database } from '../db/database.js';
import type { ApiRouter } from '../http/api-router.js';
import type { CallLookup } from './call-lookup.js';
import type { PhoneChannels } from './phone-channels.js';
import { phonesOf } from './phone-list.js';
import type { SipAccountService } from './sip-account.service.js';
import type { SipCalls } from './sip-calls.js';

export interface CallRouteDeps {
  db: Database;
  lookup: CallLookup;
  sip: SipCalls;
  phones: PhoneChannels;
  accounts: SipAccountService;
  connector(channelId: number): Connector | undefined;
  logger: Logger;
}

/** `/api/calls`: the console's phones, caller ID, click-to-call, and what SIP softphones report. */
export function callRoutes(api: ApiRouter, d: CallRouteDeps): void {
  api.add({
    method: 'get', path: '/api/calls/phones', tag: 'calls', access: 'user',
    summary: "The softphones I may use: one per Twilio or SIP channel of my lines (Twilio with a fresh token, SIP with my extension)",
    response: PhoneList,
    handler: async ({ auth }) => ({ items: await phonesOf(await viewerOf(d.db.manager, auth.user), d) }),
  });
  api.add({
    method: 'get', path: '/api/calls/lookup', tag: 'calls', access: 'user',
    summary: 'Caller ID: the contact (and open lead) a phone number belongs to, among those I may see', query: CallLookupQuery, response: CallLookupDto,
    handler: async ({ auth, query }) => d.lookup.lookup(await viewerOf(d.db.manager, auth.user), query.number),
  });
  api.add({
    method: 'post', path: '/api/calls/dial', tag: 'calls', access: 'user',
    summary: "Click-to-call: the contact's number in E.164 and the telephony channel to call it through", body: DialBody, response: DialDto,
    handler: async ({ auth, body }) => d.lookup.dial(await viewerOf(d.db.manager, auth.user), body.contactId, body.channelId),
  });
  api.add({
    method: 'post', path: '/api/calls/sip', tag: 'calls', access: 'user',
    summary: 'A SIP softphone reports a call (ringing, answered, ended, failed); a ringing incoming call answers with the caller card',
    body: SipCallReport, response: SipCallLogged,
    handler: ({ auth, body }) => d.sip.report(auth.user, body),
  });
}
