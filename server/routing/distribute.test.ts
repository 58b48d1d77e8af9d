import { describe, expect, it } from 'vitest';
import { pickOperator, ringOrder, type Candidate } from './distribute.js';

const op = (userId: number, over: Partial<Candidate> = {}): Candidate => ({
  userId, position: userId, presence: 'online', load: 0, capacity: 5, lastAssignedAt: null, ...over,
});
const none = new Set<number>();

describe('pickOperator', () => {
  it('evenly: the operator idle longest, never-assigned first, ties by queue order', () => {
    const ops = [op(1, { lastAssignedAt: 300 }), op(2, { lastAssignedAt: 100 }), op(3, { lastAssignedAt: 200 })];
    expect(pickOperator({ mode: 'evenly', onlineOnly: true }, ops, none)?.userId).toBe(2);
    expect(pickOperator({ mode: 'evenly', onlineOnly: true }, [...ops, op(4)], none)?.userId).toBe(4);
    expect(pickOperator({ mode: 'evenly', onlineOnly: true }, [op(2), op(1)], none)?.userId).toBe(1);
  });

  it('in order: the first available, then the next after the one passing it on, wrapping around', () => {
    const ops = [op(1), op(2, { presence: 'away' }), op(3)];
    expect(pickOperator({ mode: 'in_order', onlineOnly: true }, ops, none)?.userId).toBe(1);
    expect(pickOperator({ mode: 'in_order', onlineOnly: true }, ops, none, 1)?.userId).toBe(3);
    expect(pickOperator({ mode: 'in_order', onlineOnly: true }, ops, none, 3)?.userId).toBe(1);
  });

  it('least busy: the fewest counted dialogs', () => {
    const ops = [op(1, { load: 2 }), op(2, { load: 1, lastAssignedAt: 50 }), op(3, { load: 1, lastAssignedAt: 10 })];
    expect(pickOperator({ mode: 'least_busy', onlineOnly: true }, ops, none)?.userId).toBe(3);
  });

  it('skips the offline when asked, the full, and the ones who passed; offers to everyone without picking', () => {
    const ops = [op(1, { presence: 'offline' }), op(2, { load: 5 }), op(3, { capacity: 0, load: 99 })];
    expect(pickOperator({ mode: 'evenly', onlineOnly: true }, ops, none)?.userId).toBe(3);
    expect(pickOperator({ mode: 'evenly', onlineOnly: true }, ops, new Set([3]))).toBeNull();
    expect(pickOperator({ mode: 'evenly', onlineOnly: false }, ops, new Set([3]))?.userId).toBe(1);
    expect(pickOperator({ mode: 'everyone', onlineOnly: true }, ops, none)).toBeNull();
  });
});

describe('ringOrder', () => {
  const ops = [op(1, { lastAssignedAt: 300, load: 1 }), op(2, { presence: 'offline' }), op(3, { lastAssignedAt: 100, load: 3 }), op(4, { lastAssignedAt: 200, load: 0 })];

  it('to everyone: all available members at once, in queue order', () => {
    expect(ringOrder({ mode: 'everyone', onlineOnly: true }, ops)).toEqual({ mode: 'simultaneous', userIds: [1, 3, 4] });
    expect(ringOrder({ mode: 'everyone', onlineOnly: false }, ops)).toEqual({ mode: 'simultaneous', userIds: [1, 2, 3, 4] });
  });

  it('other modes: one after another in the order distribution would pick them', () => {
    expect(ringOrder({ mode: 'in_order', onlineOnly: true }, ops)).toEqual({ mode: 'sequential', userIds: [1, 3, 4] });
    expect(ringOrder({ mode: 'evenly', onlineOnly: true }, ops)).toEqual({ mode: 'sequential', userIds: [3, 4, 1] });
    expect(ringOrder({ mode: 'least_busy', onlineOnly: true }, ops)).toEqual({ mode: 'sequential', userIds: [4, 1, 3] });
    expect(ringOrder({ mode: 'evenly', onlineOnly: true }, [op(5, { capacity: 1, load: 1 })])).toEqual({ mode: 'sequential', userIds: [] });
  });
});
