import type { CallUpdate, SipCallReport } from '../../shared/calls.js';
import type { StoredCall } from './call-merge.js';

/**
 * What a softphone's report after `ringing` means for the stored call, or null when it means nothing:
 * the end of a leg another phone answered ("completed elsewhere"), or of a call someone else is on.
 * Never-answered calls end as missed (incoming: cancelled, no answer, declined), busy, or failed.
 */
export function sipUpdate(r: Pick<SipCallReport, 'event' | 'reason' | 'direction'>, current: StoredCall, reporterId: number, now: number): CallUpdate | null {
  const at = new Date(now).toISOString();
  switch (r.event) {
    case 'ringing':
      return null;
    case 'answered':
      // Outgoing: the callee answered the operator who placed the call.
      return { outcome: 'answered', answeredBy: reporterId, answeredAt: at };
    case 'failed':
      return { outcome: 'failed', endedAt: at };
    case 'ended': {
      if (current.outcome === 'answered') {
        if (current.answeredBy !== null && current.answeredBy !== reporterId) return null;
        const answeredAt = current.answeredAt ? Date.parse(current.answeredAt) : null;
        return { endedAt: at, ...(answeredAt === null ? {} : { durationSeconds: Math.max(0, Math.round((now - answeredAt) / 1000)) }) };
      }
      if (r.reason === 'elsewhere') return null;
      return { outcome: unanswered(r.direction, r.reason), endedAt: at };
    }
  }
}

function unanswered(direction: 'in' | 'out', reason: SipCallReport['reason']): 'missed' | 'busy' | 'failed' {
  if (reason === 'busy' || (direction === 'out' && reason === 'declined')) return 'busy';
  if (reason === 'error') return 'failed';
  return 'missed';
}
