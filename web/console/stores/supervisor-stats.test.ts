import { describe, expect, it } from 'vitest';
import { conv, user } from '../testing/fixtures';
import { closedForReview, operatorLoads, queueOf, ratingSummary } from './supervisor-stats';

describe('supervisor stats', () => {
  it('counts open dialogs per operator and ranks online first', () => {
    const users = [user({ id: 1, name: 'Ann', presence: 'offline' }), user({ id: 2, name: 'Bob' }), user({ id: 3, name: 'Cid' })];
    const loads = operatorLoads(users, [
      conv({ id: 1, assigneeId: 2 }),
      conv({ id: 2, assigneeId: 2, waitingSince: '2024-05-01T10:00:00Z' }),
      conv({ id: 3, assigneeId: 2, status: 'closed' }),
      conv({ id: 4, assigneeId: 1 }),
      conv({ id: 5, assigneeId: null, status: 'queued' }),
    ]);
    expect(loads.map((l) => [l.user.name, l.open, l.waiting])).toEqual([
      ['Bob', 2, 1],
      ['Cid', 0, 0],
      ['Ann', 1, 0],
    ]);
  });
  it('lists the queue longest waiting first', () => {
    const q = queueOf([
      conv({ id: 1, assigneeId: null, status: 'queued', waitingSince: '2024-05-01T10:05:00Z' }),
      conv({ id: 2, assigneeId: null, status: 'queued', waitingSince: '2024-05-01T10:00:00Z' }),
      conv({ id: 3, assigneeId: 4 }),
      conv({ id: 4, assigneeId: null, status: 'closed' }),
    ]);
    expect(q.map((c) => c.id)).toEqual([2, 1]);
  });

  it("averages each operator's client ratings, closed dialogs included", () => {
    const rated = (score: number) => ({ score, comment: null, at: '2024-05-01T11:00:00Z' });
    const loads = operatorLoads([user({ id: 2, name: 'Bob' }), user({ id: 3, name: 'Cid' })], [
      conv({ id: 1, assigneeId: 2, status: 'closed', rating: rated(5) }),
      conv({ id: 2, assigneeId: 2, status: 'closed', rating: rated(4) }),
      conv({ id: 3, assigneeId: 2, status: 'closed' }),
      conv({ id: 4, assigneeId: 2, rating: rated(2) }),
    ]);
    expect(loads.find((l) => l.user.id === 2)?.rating).toEqual({ average: 3.7, count: 3 });
    expect(loads.find((l) => l.user.id === 3)?.rating).toBeNull();
  });

  it('lists closed dialogs for review, last closed first, by filter', () => {
    const rated = (score: number) => ({ score, comment: 'ok', at: '2024-05-01T11:00:00Z' });
    const review = { score: 4, comment: null, by: 1, at: '2024-05-02T11:00:00Z' };
    const all = [
      conv({ id: 1, status: 'closed', closedAt: '2024-05-01T10:00:00Z', rating: rated(5), review }),
      conv({ id: 2, status: 'closed', closedAt: '2024-05-01T12:00:00Z', rating: rated(1) }),
      conv({ id: 3, status: 'closed', closedAt: '2024-05-01T11:00:00Z' }),
      conv({ id: 4, status: 'open', rating: rated(2) }),
    ];
    expect(closedForReview(all).map((c) => c.id)).toEqual([2, 3, 1]);
    expect(closedForReview(all, 'rated').map((c) => c.id)).toEqual([2, 1]);
    expect(closedForReview(all, 'low').map((c) => c.id)).toEqual([2]);
    expect(closedForReview(all, 'unreviewed').map((c) => c.id)).toEqual([2, 3]);
    expect(closedForReview(all, 'all', 1).map((c) => c.id)).toEqual([2]);
    expect(ratingSummary(all)).toEqual({ average: 2.7, count: 3 });
  });
});
