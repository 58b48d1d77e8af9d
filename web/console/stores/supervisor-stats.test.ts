import { describe, expect, it } from 'vitest';
import { conv, user } from '../testing/fixtures';
import { operatorLoads, queueOf } from './supervisor-stats';

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
});
