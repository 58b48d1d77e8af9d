import { describe, expect, it } from 'vitest';
import type { Conversation } from '../conversations/conversation.entity.js';
import { applyCallToConversation, mergeCall, type StoredCall } from './call-merge.js';

const call = (over: Partial<StoredCall> = {}): StoredCall => ({
  direction: 'in', from: '+493012345678', to: '1001', outcome: 'ringing', answeredBy: null, startedAt: '2026-11-23T10:00:00.000Z',
  answeredAt: null, endedAt: null, durationSeconds: null, recordingUrl: null, ...over,
});
const now = Date.parse('2026-11-23T10:05:00.000Z');
const o = { now, recordingUrl: '/api/messages/7/recording' };
const conv = (over: Partial<Conversation> = {}): Conversation => ({
  id: 1, lineId: 1, channelId: 1, contactId: 1, contactExternalId: '+493012345678', threadKey: '', status: 'queued', assigneeId: null,
  lastMessagePreview: '', lastMessageAt: 0, waitingSince: 100, unreadCount: 1, firstReplyAt: null, closedAt: null, flags: {}, createdAt: 0, updatedAt: 0, ...over,
});

describe('mergeCall', () => {
  it('moves outcomes forward only: answered stays, voicemail beats missed, the first of equal finals stays', () => {
    const answered = mergeCall(call(), { outcome: 'answered', answeredBy: 5 }, o);
    expect(answered).toMatchObject({ outcome: 'answered', answeredBy: 5, answeredAt: '2026-11-23T10:05:00.000Z' });
    expect(mergeCall(answered, { outcome: 'missed', endedAt: '2026-11-23T10:06:00.000Z' }, o)).toEqual(answered);
    expect(mergeCall(answered, { outcome: 'voicemail' }, o).outcome).toBe('answered');
    expect(mergeCall(call({ outcome: 'missed' }), { outcome: 'voicemail' }, o).outcome).toBe('voicemail');
    expect(mergeCall(call({ outcome: 'voicemail' }), { outcome: 'missed' }, o).outcome).toBe('voicemail');
    expect(mergeCall(call({ outcome: 'missed' }), { outcome: 'busy' }, o).outcome).toBe('missed');
    expect(mergeCall(call({ outcome: 'missed' }), { outcome: 'answered', answeredBy: 3 }, o)).toMatchObject({ outcome: 'answered', answeredBy: 3 });
  });

  it('keeps facts once known, so a repeat is a no-op; a stale update still brings its recording', () => {
    const ended = mergeCall(call({ outcome: 'answered', answeredBy: 5, answeredAt: '2026-11-23T10:00:10.000Z' }), { endedAt: '2026-11-23T10:01:10.000Z', durationSeconds: 60 }, o);
    expect(mergeCall(ended, { answeredBy: 6, endedAt: '2026-11-23T10:09:00.000Z', durationSeconds: 1 }, o)).toEqual(ended);
    const recorded = mergeCall(ended, { outcome: 'missed', recordingSource: 'https://provider.test/RE1' }, o);
    expect(recorded).toEqual({ ...ended, recordingSource: 'https://provider.test/RE1', recordingUrl: '/api/messages/7/recording' });
    expect(mergeCall(recorded, { recordingSource: 'https://provider.test/RE1' }, o)).toEqual(recorded);
  });
});

describe('applyCallToConversation', () => {
  it('a missed or voicemail incoming call asks for a call-back and keeps an unassigned dialog queued', () => {
    const c = conv({ status: 'open' });
    applyCallToConversation(c, call(), call({ outcome: 'missed' }), now);
    expect(c).toMatchObject({ status: 'queued', flags: { callBack: true } });
    const mine = conv({ status: 'open', assigneeId: 4 });
    applyCallToConversation(mine, call(), call({ outcome: 'voicemail' }), now);
    expect(mine).toMatchObject({ status: 'open', assigneeId: 4, flags: { callBack: true } });
  });

  it('a closed dialog comes back to the queue, nobody’s; an outgoing call left unanswered asks for nothing', () => {
    const closed = conv({ status: 'closed', assigneeId: 4, closedAt: 50, waitingSince: null });
    applyCallToConversation(closed, call(), call({ outcome: 'missed' }), now);
    expect(closed).toMatchObject({ status: 'queued', assigneeId: null, closedAt: null, waitingSince: now, flags: { callBack: true } });
    const out = conv();
    applyCallToConversation(out, call({ direction: 'out' }), call({ direction: 'out', outcome: 'missed' }), now);
    expect(out).toEqual(conv());
  });

  it('an answered call settles the call-back; an incoming one goes to who answered unless someone already answered the client', () => {
    const back = conv({ status: 'open', assigneeId: 4, flags: { callBack: true, passOns: 1 } });
    applyCallToConversation(back, call({ direction: 'out' }), call({ direction: 'out', outcome: 'answered', answeredBy: 4 }), now);
    expect(back.flags).toEqual({ passOns: 1 });
    const taken = conv();
    applyCallToConversation(taken, call(), call({ outcome: 'answered', answeredBy: 9 }), now);
    expect(taken).toMatchObject({ status: 'open', assigneeId: 9, waitingSince: null, unreadCount: 0, firstReplyAt: now, flags: { assignedAt: now } });
    const offered = conv({ status: 'open', assigneeId: 4, flags: { assignedAt: 5 } });
    applyCallToConversation(offered, call(), call({ outcome: 'answered', answeredBy: 9 }), now);
    expect(offered).toMatchObject({ assigneeId: 9, flags: { assignedAt: 5 } });
    const answeredBefore = conv({ status: 'open', assigneeId: 4, firstReplyAt: 20 });
    applyCallToConversation(answeredBefore, call(), call({ outcome: 'answered', answeredBy: 9 }), now);
    expect(answeredBefore).toMatchObject({ assigneeId: 4, firstReplyAt: 20, waitingSince: null });
    const same = conv();
    applyCallToConversation(same, call({ outcome: 'missed' }), call({ outcome: 'missed' }), now);
    expect(same).toEqual(conv());
  });
});
