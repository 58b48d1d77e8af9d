import { describe, expect, it } from 'vitest';
import { msg } from '../testing/fixtures';
import { mergeMessages, oldestId, upsertMessage } from './message-list';

const ids = (items: { id: number }[]) => items.map((m) => m.id);

describe('message list', () => {
  it('keeps ids ascending and replaces by id', () => {
    const items = [msg({ id: 2 }), msg({ id: 5 })];
    expect(upsertMessage(items, msg({ id: 3 }))).toBe(true);
    expect(upsertMessage(items, msg({ id: 9 }))).toBe(true);
    expect(upsertMessage(items, msg({ id: 1 }))).toBe(true);
    expect(upsertMessage(items, msg({ id: 5, deliveryStatus: 'read' }))).toBe(false);
    expect(ids(items)).toEqual([1, 2, 3, 5, 9]);
    expect(items[3]?.deliveryStatus).toBe('read');
  });

  it('merges a newest-first page of older messages in front', () => {
    const items = [msg({ id: 10 }), msg({ id: 11 })];
    expect(mergeMessages(items, [msg({ id: 9 }), msg({ id: 8 }), msg({ id: 7 })])).toBe(3);
    expect(ids(items)).toEqual([7, 8, 9, 10, 11]);
    expect(oldestId(items)).toBe(7);
  });

  it('merges overlapping pages without duplicates', () => {
    const items = [msg({ id: 10 }), msg({ id: 12 })];
    expect(mergeMessages(items, [msg({ id: 13 }), msg({ id: 12 }), msg({ id: 11 })])).toBe(2);
    expect(ids(items)).toEqual([10, 11, 12, 13]);
  });

  it('handles large threads quickly', () => {
    const items: ReturnType<typeof msg>[] = [];
    const started = performance.now();
    for (let page = 399; page >= 0; page--) {
      mergeMessages(items, Array.from({ length: 50 }, (_, i) => msg({ id: page * 50 + 50 - i })));
    }
    expect(items.length).toBe(20_000);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(oldestId(items)).toBe(1);
  });
});

describe('delivery ordering', () => {
  const out = (deliveryStatus: 'pending' | 'sent' | 'delivered' | 'read' | 'failed', deliveryError: string | null = null) =>
    msg({ id: 1, direction: 'out', deliveryStatus, deliveryError });

  it('never goes back from a later state to an earlier one', () => {
    const items = [out('sent')];
    upsertMessage(items, out('pending'));
    expect(items[0]?.deliveryStatus).toBe('sent');
    upsertMessage(items, out('read'));
    upsertMessage(items, out('delivered'));
    expect(items[0]?.deliveryStatus).toBe('read');
  });

  it('lets a failure replace sending, and a retry replace a failure', () => {
    const items = [out('pending')];
    upsertMessage(items, out('failed', 'Bot was blocked by the user'));
    expect(items[0]).toMatchObject({ deliveryStatus: 'failed', deliveryError: 'Bot was blocked by the user' });
    upsertMessage(items, out('pending'));
    expect(items[0]).toMatchObject({ deliveryStatus: 'pending', deliveryError: null });
  });
});
