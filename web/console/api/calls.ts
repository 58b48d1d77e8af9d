/**
 * Calls: the operator's softphones, caller-ID lookup, click-to-call, what the SIP softphone reports,
 * and each operator's SIP extension on a line (admin). Answers are checked with the shared zod schemas,
 * because they drive a phone: a token or an extension that is not what we expect must fail here, loudly,
 * not deep inside the Voice SDK or JsSIP.
 */
import { z } from 'zod';
import {
  CallLookupDto,
  DialDto,
  PhoneList,
  SipAccountDto,
  SipCallLogged,
  type SipCallReport,
} from '../../../shared/calls';
import { ApiError, http } from './http';

export type PhoneList = z.infer<typeof PhoneList>;
export type SipCallLogged = z.infer<typeof SipCallLogged>;
export type SipAccountDto = z.infer<typeof SipAccountDto>;
/** `PUT /api/channels/:id/sip-accounts/:userId` body (`SipAccountBody`); no password keeps the stored one. */
export interface SipAccountInput {
  extension: string;
  password?: string;
}

const SipAccountList = z.object({ items: z.array(SipAccountDto) });

/** Parses an answer; a shape we do not understand becomes an {@link ApiError} the UI can show. */
async function parsed<S extends z.ZodType>(schema: S, answer: Promise<unknown>): Promise<z.infer<S>> {
  const result = schema.safeParse(await answer);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new ApiError(0, 'bad_response', `Unexpected answer from the server${issue ? ` (${issue.path.join('.') || 'body'}: ${issue.message})` : ''}.`);
}

export const callsApi = {
  /** The softphones this operator may use (Twilio tokens, SIP credentials). */
  phones: () => parsed(PhoneList, http.get('/api/calls/phones')),
  lookup: (number: string) => parsed(CallLookupDto, http.get('/api/calls/lookup', { number })),
  /** Where and how to call a contact: the telephony channel, its kind and the number to dial. */
  dial: (contactId: number, channelId?: number) => parsed(DialDto, http.post('/api/calls/dial', { contactId, ...(channelId ? { channelId } : {}) })),
  /** The SIP softphone's report of a call; `ringing` answers with the CRM card. Idempotent per (channel, callId, event). */
  reportSip: (report: SipCallReport) => parsed(SipCallLogged, http.post('/api/calls/sip', report)),
  sipAccounts: (channelId: number) => parsed(SipAccountList, http.get(`/api/channels/${channelId}/sip-accounts`)),
  saveSipAccount: (channelId: number, userId: number, body: SipAccountInput) =>
    parsed(SipAccountDto, http.put(`/api/channels/${channelId}/sip-accounts/${userId}`, body)),
  removeSipAccount: (channelId: number, userId: number) => http.delete<void>(`/api/channels/${channelId}/sip-accounts/${userId}`),
};
