import { describe, expect, it } from 'vitest';
import type { StoredCall } from './call-merge.js';
import { sipUpdate } from './sip-report.js';

const now = Date.parse('2026-11-23T10:02:00.000Z');
const at = '2026-11-23T10:02:00.000Z';
const ringing: StoredCall = {
  direction: 'in', from: '+493012345678', to: '1001', outcome: 'ringing', answeredBy: null, startedAt: '2026-11-23T10:00:00.000Z',
  answeredAt: null, endedAt: null, durationSeconds: null, recordingUrl: null,
};
const answered: StoredCall = { ...ringing, outcome: 'answered', answeredBy: 5, answeredAt: '2026-11-23T10:00:30.000Z' };

describe('sipUpdate', () => {
  it('answered and ended: who answered, when, and how long', () => {
    expect(sipUpdate({ event: 'answered', direction: 'in' }, ringing, 5, now)).toEqual({ outcome: 'answered', answeredBy: 5, answeredAt: at });
    expect(sipUpdate({ event: 'ended', direction: 'in' }, answered, 5, now)).toEqual({ endedAt: at, durationSeconds: 90 });
    expect(sipUpdate({ event: 'ended', direction: 'in', reason: 'cancelled' }, answered, 6, now)).toBeNull();
  });

  it('never answered: missed, busy or failed; completed elsewhere means nothing', () => {
    for (const reason of ['cancelled', 'no_answer', 'declined', undefined] as const) {
      expect(sipUpdate({ event: 'ended', direction: 'in', reason }, ringing, 5, now)).toEqual({ outcome: 'missed', endedAt: at });
    }
    expect(sipUpdate({ event: 'ended', direction: 'in', reason: 'busy' }, ringing, 5, now)).toEqual({ outcome: 'busy', endedAt: at });
    expect(sipUpdate({ event: 'ended', direction: 'out', reason: 'declined' }, { ...ringing, direction: 'out' }, 5, now)).toEqual({ outcome: 'busy', endedAt: at });
    expect(sipUpdate({ event: 'ended', direction: 'in', reason: 'error' }, ringing, 5, now)).toEqual({ outcome: 'failed', endedAt: at });
    expect(sipUpdate({ event: 'failed', direction: 'in' }, ringing, 5, now)).toEqual({ outcome: 'failed', endedAt: at });
    expect(sipUpdate({ event: 'ended', direction: 'in', reason: 'elsewhere' }, ringing, 5, now)).toBeNull();
  });
});
