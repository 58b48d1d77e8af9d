import { describe, expect, it } from 'vitest';
import { CheckpointStore, planSync } from './checkpoint.js';

const NOW = Date.parse('2025-06-10T12:00:00Z');
const DAY = 86_400_000;

describe('folder sync plan', () => {
  it('a first sync reaches back firstSyncDays (a day early for SEARCH SINCE date granularity)', () => {
    const plan = planSync(null, { uidValidity: '7', uidNext: 100 }, NOW, 3);
    expect(plan).toEqual({ kind: 'since', date: new Date('2025-06-06T00:00:00Z'), reason: 'first sync' });
  });

  it('firstSyncDays 0 starts with the next mail', () => {
    expect(planSync(null, { uidValidity: '7', uidNext: 100 }, NOW, 0)).toEqual({ kind: 'after', uid: 99 });
  });

  it('after downtime everything past the checkpoint is read, however old', () => {
    const cp = { uidValidity: '7', lastUid: 40, lastDate: NOW - 90 * DAY, savedAt: NOW - 90 * DAY };
    expect(planSync(cp, { uidValidity: '7', uidNext: 500 }, NOW, 3)).toEqual({ kind: 'after', uid: 40 });
  });

  it('a UIDVALIDITY change re-reads from before the newest mail taken in', () => {
    const cp = { uidValidity: '7', lastUid: 40, lastDate: Date.parse('2025-06-09T08:00:00Z'), savedAt: NOW - 1000 };
    const plan = planSync(cp, { uidValidity: '8', uidNext: 3 }, NOW, 3);
    expect(plan.kind).toBe('since');
    if (plan.kind === 'since') {
      expect(plan.reason).toBe('UIDVALIDITY changed');
      expect(plan.date.getTime()).toBeLessThanOrEqual(Date.parse('2025-06-09T00:00:00Z') - 3 * DAY);
    }
  });

  it('stores checkpoints as JSON in the channel state and ignores garbage', async () => {
    const data = new Map<string, string>();
    const store = new CheckpointStore({ get: async (k) => data.get(k) ?? null, set: async (k, v) => void data.set(k, v) });
    expect(await store.load('INBOX')).toBeNull();
    await store.save('INBOX', { uidValidity: '7', lastUid: 12, lastDate: 5 });
    expect(await store.load('INBOX')).toMatchObject({ uidValidity: '7', lastUid: 12, lastDate: 5 });
    data.set('imap:Broken', '{not json');
    expect(await store.load('Broken')).toBeNull();
  });
});
