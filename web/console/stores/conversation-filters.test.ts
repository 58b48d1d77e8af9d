import { describe, expect, it } from 'vitest';
import { conv } from '../testing/fixtures';
import { compareFor, emptyFilters, inScope, isNewer, matchesFilters, matchesSearch, notificationFor, pinnedFirst } from './conversation-filters';

describe('inScope', () => {
  it('mine = assigned to me and not closed', () => {
    expect(inScope(conv(), 'mine', 7)).toBe(true);
    expect(inScope(conv({ assigneeId: 8 }), 'mine', 7)).toBe(false);
    expect(inScope(conv({ status: 'closed' }), 'mine', 7)).toBe(false);
    expect(inScope(conv({ assigneeId: null }), 'mine', null)).toBe(false);
  });
  it('mine also holds the dialogs I was invited into, until they close', () => {
    const joined = new Set([1]);
    expect(inScope(conv({ assigneeId: 8 }), 'mine', 7, null, joined)).toBe(true);
    expect(inScope(conv({ assigneeId: 8, status: 'closed' }), 'mine', 7, null, joined)).toBe(false);
    expect(inScope(conv({ id: 2, assigneeId: 8 }), 'mine', 7, null, joined)).toBe(false);
  });
  it('queue = unassigned and not closed', () => {
    expect(inScope(conv({ assigneeId: null, status: 'queued' }), 'queue', 7)).toBe(true);
    expect(inScope(conv(), 'queue', 7)).toBe(false);
    expect(inScope(conv({ assigneeId: null, status: 'closed' }), 'queue', 7)).toBe(false);
  });
  it('all hides closed unless a status filter asks for them; closed shows only closed', () => {
    expect(inScope(conv({ status: 'closed' }), 'all', 7)).toBe(false);
    expect(inScope(conv({ status: 'closed' }), 'all', 7, 'closed')).toBe(true);
    expect(inScope(conv({ status: 'closed' }), 'closed', 7)).toBe(true);
    expect(inScope(conv(), 'closed', 7)).toBe(false);
  });
});

describe('filters and search', () => {
  it('matches line, channel and status', () => {
    const f = { ...emptyFilters(), lineId: 2 };
    expect(matchesFilters(conv(), f)).toBe(false);
    expect(matchesFilters(conv({ lineId: 2 }), f)).toBe(true);
    expect(matchesFilters(conv(), { ...emptyFilters(), status: 'queued' })).toBe(false);
    expect(matchesFilters(conv({ channelId: 3 }), { ...emptyFilters(), channelId: 3 })).toBe(true);
  });
  it('searches name and preview case-insensitively', () => {
    expect(matchesSearch(conv(), 'anna')).toBe(true);
    expect(matchesSearch(conv(), 'ORDER')).toBe(true);
    expect(matchesSearch(conv(), 'refund')).toBe(false);
    expect(matchesSearch(conv(), '  ')).toBe(true);
  });
});

describe('ordering', () => {
  it('queue: longest waiting first; other tabs: newest activity first', () => {
    const a = conv({ id: 1, waitingSince: '2024-05-01T10:00:00.000Z', lastMessageAt: '2024-05-01T10:05:00.000Z' });
    const b = conv({ id: 2, waitingSince: '2024-05-01T09:00:00.000Z', lastMessageAt: '2024-05-01T10:01:00.000Z' });
    expect([a, b].sort(compareFor('queue')).map((c) => c.id)).toEqual([2, 1]);
    expect([b, a].sort(compareFor('mine')).map((c) => c.id)).toEqual([1, 2]);
  });
  it('pinned dialogs go first, each group in the tab order', () => {
    const items = [1, 2, 3, 4].map((id) => conv({ id, lastMessageAt: `2024-05-01T10:0${id}:00.000Z` }));
    const sorted = [...items].sort(pinnedFirst(compareFor('mine'), new Set([1, 3])));
    expect(sorted.map((c) => c.id)).toEqual([3, 1, 4, 2]);
    expect([...items].sort(pinnedFirst(compareFor('mine'), new Set())).map((c) => c.id)).toEqual([4, 3, 2, 1]);
  });
  it('isNewer refuses older snapshots', () => {
    const current = conv({ updatedAt: '2024-05-01T10:00:00.000Z' });
    expect(isNewer(conv({ updatedAt: '2024-05-01T09:59:59.000Z' }), current)).toBe(false);
    expect(isNewer(conv({ updatedAt: '2024-05-01T10:00:00.000Z' }), current)).toBe(true);
    expect(isNewer(conv(), undefined)).toBe(true);
  });
});

describe('notificationFor', () => {
  it('fires when a dialog becomes mine', () => {
    expect(notificationFor(conv({ assigneeId: null, status: 'queued' }), conv({ assigneeId: 7 }), 7)).toBe('assigned');
    expect(notificationFor(conv({ assigneeId: 7 }), conv({ assigneeId: 7, unreadCount: 2 }), 7)).toBe(null);
  });
  it('fires when a dialog enters the queue, once', () => {
    const queued = conv({ assigneeId: null, status: 'queued' });
    expect(notificationFor(undefined, queued, 7)).toBe('queued');
    expect(notificationFor(queued, { ...queued, unreadCount: 3 }, 7)).toBe(null);
    expect(notificationFor(conv({ status: 'closed', assigneeId: null }), queued, 7)).toBe('queued');
  });
  it('stays quiet for closed dialogs', () => {
    expect(notificationFor(undefined, conv({ assigneeId: 7, status: 'closed' }), 7)).toBe(null);
  });
});
