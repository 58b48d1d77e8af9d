import { z } from 'zod';
import { ChannelType } from './channel.js';
import { ContactDto, LeadDto } from './contacts.js';
import { CallDetails } from './conversations.js';

/**
 * A call as a telephony connector reports it to ingest (`InboundMessage.call`). The caller or callee
 * is the message's sender (E.164 as `externalId` when it is a phone number). An outgoing call names the
 * operator who placed it.
 */
export const InboundCall = z.object({
  direction: z.enum(['in', 'out']),
  from: z.string().min(1).max(200),
  to: z.string().min(1).max(200),
  outcome: CallDetails.shape.outcome.default('ringing'),
  /** Outgoing calls: the operator who placed it (author of the call message). */
  operatorId: z.number().int().positive().optional(),
  startedAt: z.iso.datetime().optional(),
});
export type InboundCall = z.input<typeof InboundCall>;

/**
 * A change to a stored call (`ConnectorContext.updateCall`). Outcomes only move forward: a call once
 * answered is never marked missed by a late "no answer" from another leg.
 */
export const CallUpdate = z.object({
  outcome: CallDetails.shape.outcome.optional(),
  answeredBy: z.number().int().positive().nullable().optional(),
  answeredAt: z.iso.datetime().optional(),
  endedAt: z.iso.datetime().optional(),
  durationSeconds: z.number().int().nonnegative().optional(),
  /** Where the connector fetches the recording from (the provider's URL); never shown to the console. */
  recordingSource: z.string().max(2000).optional(),
});
export type CallUpdate = z.infer<typeof CallUpdate>;

/** Who a ringing call on a line should reach, as routing sees it now. */
export interface CallTargets {
  /** Within the line's working hours. */
  open: boolean;
  /** Ring everyone at once (line mode "to everyone") or one after another in the line's order. */
  mode: 'simultaneous' | 'sequential';
  /** Operators who may take it now (online, under capacity), in the order to ring them. */
  operatorIds: number[];
}

/** `call.ringing`: the popup every operator who may take the call shows, with the caller's CRM card. */
export const IncomingCallDto = z.object({
  /** The call message. */
  messageId: z.number().int(),
  conversationId: z.number().int(),
  channelId: z.number().int(),
  channelType: ChannelType,
  /** The provider's id of the call (Twilio CallSid, SIP Call-ID): what the softphone sees too. */
  callId: z.string(),
  from: z.string(),
  contact: ContactDto,
  lead: LeadDto.nullable(),
  /** Operators the call rings for; empty = every member of the line. */
  operatorIds: z.array(z.number().int()),
  at: z.iso.datetime(),
});
export type IncomingCallDto = z.infer<typeof IncomingCallDto>;

/** `GET /api/calls/lookup?number=`: caller-ID lookup into the CRM. */
export const CallLookupQuery = z.object({ number: z.string().trim().min(1).max(200) });
export const CallLookupDto = z.object({
  /** The number in E.164, or null when it is not a phone number (a SIP user name). */
  e164: z.string().nullable(),
  contact: ContactDto.nullable(),
  lead: LeadDto.nullable(),
});
export type CallLookupDto = z.infer<typeof CallLookupDto>;

/** `GET /api/calls/phones`: the softphones this operator may use, one per telephony channel of their lines. */
export const TwilioPhoneDto = z.object({
  kind: z.literal('twilio'),
  channelId: z.number().int(),
  lineId: z.number().int(),
  name: z.string(),
  /** Access token for `@twilio/voice-sdk` (short-lived; fetch again before it expires). */
  token: z.string(),
  identity: z.string(),
  expiresAt: z.iso.datetime(),
});
export const SipPhoneDto = z.object({
  kind: z.literal('sip'),
  channelId: z.number().int(),
  lineId: z.number().int(),
  name: z.string(),
  /** The PBX's SIP-over-WebSocket URL (wss://…). */
  wsUrl: z.string(),
  domain: z.string(),
  extension: z.string(),
  /** The operator's own SIP password, decrypted for their softphone only. */
  password: z.string(),
});
export const PhoneDto = z.discriminatedUnion('kind', [TwilioPhoneDto, SipPhoneDto]);
export type PhoneDto = z.infer<typeof PhoneDto>;
export const PhoneList = z.object({ items: z.array(PhoneDto) });

/** `POST /api/calls/dial`: click-to-call from the CRM card; answers where and how to call. */
export const DialBody = z.object({
  contactId: z.number().int().positive(),
  /** The telephony channel to call through; defaults to the first one of the operator's lines. */
  channelId: z.number().int().positive().optional(),
});
export const DialDto = z.object({ channelId: z.number().int(), kind: z.enum(['twilio', 'sip']), to: z.string() });
export type DialDto = z.infer<typeof DialDto>;

/**
 * `POST /api/calls/sip`: the console's SIP softphone reports what happens to a call, so the server
 * logs it (the PBX does not talk to the hub). Idempotent per (channel, callId, event).
 */
export const SipCallReport = z.object({
  channelId: z.number().int().positive(),
  /** SIP Call-ID. */
  callId: z.string().min(1).max(300),
  direction: z.enum(['in', 'out']),
  /** The other party: a number or SIP URI user part. */
  remote: z.string().trim().min(1).max(200),
  event: z.enum(['ringing', 'answered', 'ended', 'failed']),
  /** For `ended` before answer: why (cancelled by caller, declined, completed elsewhere, busy). */
  reason: z.enum(['cancelled', 'declined', 'elsewhere', 'busy', 'no_answer', 'error']).optional(),
});
export type SipCallReport = z.infer<typeof SipCallReport>;
/** The answer to a `ringing` report: the CRM card for the popup. */
export const SipCallLogged = z.object({ messageId: z.number().int(), conversationId: z.number().int(), incoming: IncomingCallDto.nullable() });

/** `GET/PUT /api/channels/:id/sip-accounts`: each operator's extension on the line's PBX (admin). */
export const SipAccountDto = z.object({ userId: z.number().int(), extension: z.string(), hasPassword: z.boolean() });
export const SipAccountBody = z.object({
  extension: z.string().trim().regex(/^[A-Za-z0-9_.+-]{1,64}$/, 'an extension such as 1001'),
  /** Omitted: keep the stored one. */
  password: z.string().min(1).max(200).optional(),
});
