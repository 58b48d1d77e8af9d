import { describe, expect, it } from 'vitest';
import { callDetails, incomingCall, msg } from '../testing/fixtures';
import { endReport, ringsFor, stoppedRinging, worstStatus } from './call-rules';

const now = Date.parse('2026-11-23T10:00:00.000Z');
const at = (secondsAgo: number) => new Date(now - secondsAgo * 1000).toISOString();

describe('call rules', () => {
  it('rings for everyone of the line or for the operators named', () => {
    expect(ringsFor(incomingCall({ operatorIds: [], at: at(1) }), 7, true, now)).toBe(true);
    expect(ringsFor(incomingCall({ operatorIds: [7, 9], at: at(1) }), 7, true, now)).toBe(true);
    expect(ringsFor(incomingCall({ operatorIds: [9], at: at(1) }), 7, true, now)).toBe(false);
    expect(ringsFor(incomingCall({ operatorIds: [] }), null, true, now)).toBe(false);
  });

  it('takes replayed ringing only while it is at most 60 s old', () => {
    expect(ringsFor(incomingCall({ at: at(60) }), 7, false, now)).toBe(true);
    expect(ringsFor(incomingCall({ at: at(61) }), 7, false, now)).toBe(false);
    // A live push is happening now, whatever the clocks say.
    expect(ringsFor(incomingCall({ at: at(600) }), 7, true, now)).toBe(true);
  });

  it('sees a call message stop ringing', () => {
    expect(stoppedRinging(msg({ kind: 'call', call: callDetails({ outcome: 'ringing' }) }))).toBe(false);
    for (const outcome of ['in_progress', 'answered', 'missed', 'voicemail'] as const) {
      expect(stoppedRinging(msg({ kind: 'call', call: callDetails({ outcome }) })), outcome).toBe(true);
    }
    expect(stoppedRinging(msg({ kind: 'text' }))).toBe(false);
  });

  it('maps the end of a SIP call to its report', () => {
    expect(endReport({ answered: true })).toEqual({ event: 'ended' });
    expect(endReport({ answered: false, reason: 'cancelled' })).toEqual({ event: 'ended', reason: 'cancelled' });
    expect(endReport({ answered: false, reason: 'busy' })).toEqual({ event: 'ended', reason: 'busy' });
    expect(endReport({ answered: false, reason: 'error' })).toEqual({ event: 'failed', reason: 'error' });
    expect(endReport({ answered: false })).toEqual({ event: 'ended' });
  });

  it('shows the worst phone status', () => {
    expect(worstStatus([])).toBeNull();
    expect(worstStatus(['ready', 'registering'])).toBe('registering');
    expect(worstStatus(['ready', 'error', 'registering'])).toBe('error');
    expect(worstStatus(['stopped', 'ready'])).toBe('ready');
  });
});
