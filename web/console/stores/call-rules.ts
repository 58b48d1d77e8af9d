/** Pure rules of the calls store: who sees a ringing call, what a SIP call's end is reported as. */
import type { IncomingCallDto, SipCallReport } from '../../../shared/calls';
import type { MessageDto } from '../../../shared/conversations';
import type { EndReason, PhoneStatus } from '../phones/softphone';

/** A replayed `call.ringing` older than this is history, not a ringing phone. */
export const STALE_RINGING_MS = 60_000;

/**
 * Whether a `call.ringing` event shows the popup to operator `me`: the call rings for everyone of the
 * line (no `operatorIds`) or names me. Live pushes are happening now; events replayed after a reconnect
 * only while they are younger than {@link STALE_RINGING_MS} (the server's clock stamps `at`).
 */
export function ringsFor(call: IncomingCallDto, me: number | null, live: boolean, now: number): boolean {
  if (me === null) return false;
  if (call.operatorIds.length > 0 && !call.operatorIds.includes(me)) return false;
  return live || now - Date.parse(call.at) <= STALE_RINGING_MS;
}

/** A call message that is no longer ringing: answered (here or elsewhere), missed, voicemail, failed. */
export function stoppedRinging(message: MessageDto): boolean {
  return message.kind === 'call' && !!message.call && message.call.outcome !== 'ringing';
}

/**
 * How the end of a SIP call is reported: an answered call simply `ended`; before an answer with its
 * reason (cancelled by the caller, declined, elsewhere, busy, no answer), and an error as `failed`.
 */
export function endReport(info: { answered: boolean; reason?: EndReason }): Pick<SipCallReport, 'event' | 'reason'> {
  if (info.answered) return { event: 'ended' };
  if (info.reason === 'error') return { event: 'failed', reason: 'error' };
  return info.reason ? { event: 'ended', reason: info.reason } : { event: 'ended' };
}

const SEVERITY: Record<PhoneStatus, number> = { stopped: 0, ready: 1, registering: 2, error: 3 };

/** The header shows the worst status of the operator's phones. */
export function worstStatus(statuses: PhoneStatus[]): PhoneStatus | null {
  return statuses.reduce<PhoneStatus | null>((worst, s) => (worst === null || SEVERITY[s] > SEVERITY[worst] ? s : worst), null);
}
