import { CallDetails } from '../../shared/conversations.js';
import type { CallUpdate } from '../../shared/calls.js';
import type { Conversation } from '../conversations/conversation.entity.js';

/** A call as kept in its message's `meta.call`: the details the console sees, plus where the recording is. */
export type StoredCall = CallDetails & { recordingSource?: string };

/**
 * How far a call has come. Outcomes only move up: a late "no answer" from another leg never turns an
 * answered call into a missed one, voicemail beats missed, and among the equal finals (missed, busy,
 * failed) the first one reported stays.
 */
const RANK: Record<CallDetails['outcome'], number> = { ringing: 0, in_progress: 1, missed: 2, busy: 2, failed: 2, voicemail: 3, answered: 4 };

export const isFinal = (o: CallDetails['outcome']) => RANK[o] >= 2;

/** The stored call of a message's meta, or null when it does not hold one. */
export function storedCallOf(meta: Record<string, unknown>): StoredCall | null {
  const parsed = CallDetails.safeParse(meta.call);
  if (!parsed.success) return null;
  const source = (meta.call as { recordingSource?: unknown }).recordingSource;
  return typeof source === 'string' ? { ...parsed.data, recordingSource: source } : parsed.data;
}

/**
 * The call after an update. A stale update (an outcome below the current one) only contributes a
 * recording; otherwise facts once known are kept (who answered and when, when it ended, how long),
 * so repeating an update changes nothing.
 */
export function mergeCall(current: StoredCall, update: CallUpdate, o: { now: number; recordingUrl: string }): StoredCall {
  const next: StoredCall = { ...current };
  const stale = update.outcome !== undefined && RANK[update.outcome] < RANK[current.outcome];
  if (!stale) {
    if (update.outcome !== undefined && RANK[update.outcome] > RANK[current.outcome]) next.outcome = update.outcome;
    next.answeredBy ??= update.answeredBy ?? null;
    next.answeredAt ??= update.answeredAt ?? (next.outcome === 'answered' ? new Date(o.now).toISOString() : null);
    next.endedAt ??= update.endedAt ?? null;
    next.durationSeconds ??= update.durationSeconds ?? null;
  }
  if (update.recordingSource && update.recordingSource !== current.recordingSource) {
    next.recordingSource = update.recordingSource;
    next.recordingUrl = o.recordingUrl;
  }
  return next;
}

/**
 * The dialog's side of a call changing outcome, applied to `conv`: a missed call or voicemail from the
 * client waits for a call-back (an unassigned dialog stays queued; a closed one comes back to the
 * queue, nobody's, so the call is not forgotten); an answered call settles the call-back, and an
 * incoming one answered means nobody waits any more and gives the dialog to who answered when nobody
 * has it yet (or routing only offered it, and nobody has answered the client).
 */
export function applyCallToConversation(conv: Conversation, before: StoredCall, after: StoredCall, now: number): void {
  if (after.outcome === before.outcome) return;
  if (after.direction === 'in' && (after.outcome === 'missed' || after.outcome === 'voicemail')) {
    conv.flags = { ...conv.flags, callBack: true };
    if (conv.status === 'closed') Object.assign(conv, { status: 'queued', assigneeId: null, closedAt: null, waitingSince: conv.waitingSince ?? now });
    else if (conv.assigneeId === null) conv.status = 'queued';
    return;
  }
  if (after.outcome !== 'answered') return;
  if (conv.flags.callBack !== undefined) {
    const { callBack: _settled, ...flags } = conv.flags;
    conv.flags = flags;
  }
  if (after.direction !== 'in') return;
  // Routing may have offered the new dialog to someone while it rang: who took the call has it, unless
  // the one it was offered to has already answered the client.
  const offered = conv.assigneeId === null || conv.firstReplyAt === null;
  Object.assign(conv, { waitingSince: null, unreadCount: 0, firstReplyAt: conv.firstReplyAt ?? now });
  if (offered && after.answeredBy !== null && conv.assigneeId !== after.answeredBy && conv.status !== 'closed') {
    Object.assign(conv, { assigneeId: after.answeredBy, status: 'open', flags: { ...conv.flags, assignedAt: conv.flags.assignedAt ?? now } });
  }
}
