/** What the calls store keeps per phone and per call (plain data: the SDK objects live outside reactivity). */
import type { CallLookupDto, IncomingCallDto } from '../../../shared/calls';
import type { PhoneStatus } from '../phones/softphone';

export interface PhoneState {
  channelId: number;
  kind: 'twilio' | 'sip';
  name: string;
  status: PhoneStatus;
  reason: string | null;
}

export interface CallEntry {
  /** The call's id when first seen (`callId`): the key of the popup, the phone and the push. */
  key: string;
  channelId: number;
  kind: 'twilio' | 'sip' | null;
  direction: 'in' | 'out';
  remote: string;
  /** `connecting`: answered here or dialling, media not up yet. */
  stage: 'ringing' | 'connecting' | 'active';
  /** The CRM card from `call.ringing` or the SIP `ringing` report. */
  incoming: IncomingCallDto | null;
  /** Caller-ID lookup while no card has come. */
  lookup: CallLookupDto | null;
  /** Who was dialled from the CRM card. */
  name: string | null;
  messageId: number | null;
  conversationId: number | null;
  /** One of my phones rings for it (so it can be answered here). */
  hasPhone: boolean;
  canHold: boolean;
  canTransfer: boolean;
  muted: boolean;
  held: boolean;
  answeredAt: number | null;
  /** Esc hid the popup; the header offers it again. */
  hidden: boolean;
  error: string | null;
}

export type CallInit = Partial<CallEntry> & Pick<CallEntry, 'channelId' | 'direction' | 'remote'>;

/** A call first seen: ringing, nothing known beyond `init`. */
export function newCall(key: string, init: CallInit): CallEntry {
  return {
    key, kind: null, stage: 'ringing', incoming: null, lookup: null, name: null, messageId: null, conversationId: null, hasPhone: false,
    canHold: false, canTransfer: false, muted: false, held: false, answeredAt: null, hidden: false, error: null, ...init,
  };
}
