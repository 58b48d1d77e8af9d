import { z } from 'zod';
import type { CallUpdate } from '../../shared/calls.js';
import type { InboundMessage } from '../../shared/inbound.js';
import type { DeliveryStatus } from '../../shared/outbound.js';
import { toE164 } from '../whatsapp/phone.js';
import { MMS_MAX_FILES } from './settings.js';

/**
 * The parameters Twilio POSTs to each webhook (Voice and Messaging webhook references), form-encoded.
 * Unknown parameters pass; a request without the ids it needs is a 400.
 */
const CallSid = z.string().regex(/^CA[0-9a-fA-F]{32}$/, 'a CallSid');
const Status = z.enum(['queued', 'initiated', 'ringing', 'in-progress', 'answered', 'completed', 'busy', 'failed', 'no-answer', 'canceled']);

/** The first request of a call: a customer calling the number, or an operator's browser calling out (`From=client:…`). */
export const VoiceRequest = z.looseObject({
  CallSid,
  AccountSid: z.string(),
  From: z.string().default(''),
  To: z.string().default(''),
  CallStatus: Status.optional(),
  CallerName: z.string().optional(),
});
export type VoiceRequest = z.infer<typeof VoiceRequest>;

/** The `<Dial action>` request: how the dial ended, while the caller may still be on the line. */
export const DialResult = z.looseObject({
  CallSid,
  CallStatus: Status,
  DialCallStatus: Status.optional(),
});
export type DialResult = z.infer<typeof DialResult>;

/** A status callback: of the call itself (the number's / TwiML App's status URL) or of a dialled leg (`ParentCallSid`). */
export const CallStatusCallback = z.looseObject({
  CallSid,
  CallStatus: Status,
  ParentCallSid: CallSid.optional(),
  From: z.string().default(''),
  To: z.string().default(''),
  CallDuration: z.coerce.number().int().nonnegative().optional(),
  Timestamp: z.string().optional(),
});
export type CallStatusCallback = z.infer<typeof CallStatusCallback>;

export const RecordingCallback = z.looseObject({
  CallSid,
  RecordingSid: z.string().regex(/^RE[0-9a-fA-F]{32}$/, 'a RecordingSid'),
  RecordingUrl: z.url(),
  RecordingStatus: z.string(),
  RecordingDuration: z.coerce.number().int().optional(),
});
export type RecordingCallback = z.infer<typeof RecordingCallback>;

export const SmsRequest = z.looseObject({
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/, 'a MessageSid'),
  AccountSid: z.string(),
  From: z.string().min(1),
  To: z.string(),
  Body: z.string().default(''),
  NumMedia: z.coerce.number().int().min(0).default(0),
});
export type SmsRequest = z.infer<typeof SmsRequest>;

export const SmsStatusCallback = z.looseObject({
  MessageSid: z.string().min(1),
  MessageStatus: z.string(),
  ErrorCode: z.string().optional(),
  ErrorMessage: z.string().optional(),
});
export type SmsStatusCallback = z.infer<typeof SmsStatusCallback>;

/** The customer: their E.164 number, or what Twilio gave for a withheld or non-phone caller (`anonymous`, a short code). */
export function customerOf(raw: string): InboundMessage['sender'] {
  const phone = toE164(raw);
  return phone ? { externalId: phone, phone } : { externalId: raw.trim() || 'anonymous' };
}

/** When Twilio says it happened (`Timestamp`, RFC 2822), or now. */
export function timeOf(p: { Timestamp?: string }, now = Date.now()): string {
  const at = p.Timestamp ? Date.parse(p.Timestamp) : NaN;
  return new Date(Number.isNaN(at) ? now : Math.min(at, now)).toISOString();
}

export function incomingCall(p: VoiceRequest): Omit<InboundMessage, 'channelId'> {
  const sender = customerOf(p.From);
  const name = p.CallerName?.trim();
  return {
    externalId: p.CallSid,
    sender: name && !/^(anonymous|unknown|restricted)$/i.test(name) ? { ...sender, name: name.slice(0, 200) } : sender,
    text: '',
    call: { direction: 'in', from: sender.phone ?? p.From, to: p.To, outcome: 'ringing' },
  };
}

/** The operator a browser leg rang (`client:op_12` → 12), or null. */
export function operatorOfClient(address: string): number | null {
  const m = /^client:op_(\d{1,10})$/.exec(address);
  return m ? Number(m[1]) : null;
}

/**
 * A dialled leg's progress as a change of the parent call. An incoming call's legs ring operators: one that
 * answers takes the call, the others' "no answer" is left to the parent's own status. An outgoing call's leg
 * is the customer's phone: its end is the call's outcome. `operatorId` is who placed an outgoing call.
 */
export function legUpdate(p: CallStatusCallback, operatorId: number | null): CallUpdate | null {
  const toOperator = operatorOfClient(p.To);
  const at = timeOf(p);
  if (p.CallStatus === 'in-progress' || p.CallStatus === 'answered') {
    return { outcome: 'answered', answeredBy: toOperator ?? operatorId, answeredAt: at };
  }
  if (p.CallStatus !== 'completed' && p.CallStatus !== 'busy' && p.CallStatus !== 'failed' && p.CallStatus !== 'no-answer' && p.CallStatus !== 'canceled') return null;
  if (p.CallStatus === 'completed') return { endedAt: at, ...(p.CallDuration !== undefined ? { durationSeconds: p.CallDuration } : {}) };
  if (toOperator !== null) return null;
  return { outcome: p.CallStatus === 'busy' ? 'busy' : p.CallStatus === 'failed' ? 'failed' : 'missed', endedAt: at };
}

/**
 * An incoming call's end, from its own status: answered calls keep their outcome (the leg that answered set
 * it), unanswered ones were missed, or reached voicemail when the connector played it.
 */
export function callEnd(p: CallStatusCallback, reachedVoicemail: boolean): CallUpdate | null {
  const endedAt = timeOf(p);
  switch (p.CallStatus) {
    case 'completed': return { outcome: reachedVoicemail ? 'voicemail' : 'missed', endedAt };
    case 'busy': return { outcome: 'busy', endedAt };
    case 'failed': return { outcome: 'failed', endedAt };
    case 'no-answer': case 'canceled': return { outcome: 'missed', endedAt };
    default: return null;
  }
}

export interface MediaRef { url: string; mimeType: string; fileName: string }

const EXT: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif', 'image/webp': 'webp', 'audio/amr': 'amr', 'audio/mpeg': 'mp3', 'audio/ogg': 'ogg', 'video/mp4': 'mp4', 'video/3gpp': '3gp', 'application/pdf': 'pdf', 'text/vcard': 'vcf', 'text/x-vcard': 'vcf' };

/** An SMS or MMS from a customer: the message to ingest and the files (`MediaUrl0…`) to download first. */
export function decodeSms(p: SmsRequest): { message: Omit<InboundMessage, 'channelId'>; media: MediaRef[] } {
  const media: MediaRef[] = [];
  const raw = p as Record<string, unknown>;
  for (let i = 0; i < Math.min(p.NumMedia, MMS_MAX_FILES); i++) {
    const url = raw[`MediaUrl${i}`];
    if (typeof url !== 'string' || !/^https?:\/\//.test(url)) continue;
    const mimeType = String(raw[`MediaContentType${i}`] ?? 'application/octet-stream').split(';')[0]!.trim().toLowerCase();
    const id = url.split('/').filter(Boolean).at(-1) ?? String(i);
    media.push({ url, mimeType, fileName: `${id}.${EXT[mimeType] ?? 'bin'}` });
  }
  return { message: { externalId: p.MessageSid, sender: customerOf(p.From), text: p.Body, meta: { to: p.To } }, media };
}

/** Errors a delivery report may carry, worded for the operator (Twilio's error dictionary). */
const SMS_ERRORS: Record<string, string> = {
  '21610': 'the recipient has unsubscribed (replied STOP)',
  '21614': 'the number is not a mobile number',
  '30003': 'unreachable destination handset',
  '30004': 'message blocked by the recipient or their carrier',
  '30005': 'unknown destination handset',
  '30006': 'landline or unreachable carrier',
  '30007': 'filtered by the carrier as spam',
  '30008': 'unknown error from the carrier',
  '30034': 'the sending number is not registered for US A2P 10DLC',
};

/** A delivery report in the hub's terms, or null for steps the hub does not track (queued, sending, accepted). */
export function decodeSmsStatus(p: SmsStatusCallback): { externalId: string; status: DeliveryStatus; reason?: string } | null {
  const s = p.MessageStatus;
  if (s === 'sent' || s === 'delivered' || s === 'read') return { externalId: p.MessageSid, status: s };
  if (s !== 'failed' && s !== 'undelivered') return null;
  const code = p.ErrorCode && p.ErrorCode !== '0' ? p.ErrorCode : null;
  const why = p.ErrorMessage?.trim() || (code && SMS_ERRORS[code]) || (s === 'undelivered' ? 'the carrier could not deliver it' : 'Twilio could not send it');
  return { externalId: p.MessageSid, status: 'failed', reason: `Twilio: ${why}${code ? ` (${code})` : ''}` };
}
