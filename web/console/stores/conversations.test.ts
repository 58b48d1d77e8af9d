import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch, query } from '../testing/fake-fetch';
import { conv, user } from '../testing/fixtures';
import { emptyFilters } from './conversation-filters';
import { useConversationsStore } from './conversations';
import { useSessionStore } from './session';

const flush = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => {
  setActivePinia(createPinia());
  useSessionStore().user = user({ id: 7 });
});
afterEach(() => vi.unstubAllGlobals());

describe('conversations store', () => {
  it('loads a tab with its filters and pages on with the cursor', async () => {
    const { calls } = fakeFetch({
      'GET /api/conversations': ({ url }) =>
        query(url).cursor
          ? { body: { items: [conv({ id: 3, assigneeId: null, status: 'queued' })], nextCursor: null } }
          : { body: { items: [conv({ id: 1, assigneeId: null, status: 'queued' })], nextCursor: 'c2' } },
    });
    const store = useConversationsStore();
    store.setView('queue', { ...emptyFilters(), lineId: 2, q: 'anna' });
    await flush();
    expect(query(calls[0]!.url)).toMatchObject({ scope: 'queue', lineId: '2', q: 'anna', limit: '50' });
    expect(store.state).toBe('done');
    await store.loadMore();
    expect(query(calls[1]!.url).cursor).toBe('c2');
    expect(store.nextCursor).toBeNull();
  });

  it('moves a dialog between tabs as live updates arrive', async () => {
    fakeFetch({ 'GET /api/conversations': () => ({ body: { items: [], nextCursor: null } }) });
    const store = useConversationsStore();
    store.setView('queue', emptyFilters());
    await flush();
    store.upsert(conv({ id: 5, assigneeId: null, status: 'queued', updatedAt: '2024-05-01T10:00:00.000Z' }));
    expect(store.visible.map((c) => c.id)).toEqual([5]);
    expect(store.counts.queue).toBe(1);
    store.upsert(conv({ id: 5, assigneeId: 7, status: 'open', updatedAt: '2024-05-01T10:01:00.000Z', unreadCount: 2 }));
    expect(store.visible).toEqual([]);
    expect(store.counts).toEqual({ mine: 1, mineUnread: 2, queue: 0 });
  });

  it('ignores snapshots older than what it has', () => {
    const store = useConversationsStore();
    store.upsert(conv({ id: 1, status: 'closed', updatedAt: '2024-05-01T10:05:00.000Z' }));
    expect(store.upsert(conv({ id: 1, status: 'open', updatedAt: '2024-05-01T10:00:00.000Z' }))).toBe(false);
    expect(store.byId.get(1)?.status).toBe('closed');
  });

  it('trusts the server search for its own results and filters live ones locally', async () => {
    fakeFetch({ 'GET /api/conversations': () => ({ body: { items: [conv({ id: 1, contactName: 'Zed', lastMessagePreview: 'x' })], nextCursor: null } }) });
    const store = useConversationsStore();
    store.setView('mine', { ...emptyFilters(), q: 'refund' });
    await flush();
    store.upsert(conv({ id: 2, contactName: 'Bob', lastMessagePreview: 'hello' }));
    store.upsert(conv({ id: 3, contactName: 'Ann', lastMessagePreview: 'a refund please' }));
    expect(store.visible.map((c) => c.id).sort()).toEqual([1, 3]);
  });

  it('assigns, closes and reopens through the API and keeps the answer', async () => {
    const { calls } = fakeFetch({
      'POST /api/conversations/4/assign': ({ body }) => ({ body: conv({ id: 4, assigneeId: (body as { assigneeId: number }).assigneeId, updatedAt: '2024-05-02T00:00:00.000Z' }) }),
      'POST /api/conversations/4/close': () => ({ body: conv({ id: 4, status: 'closed', updatedAt: '2024-05-03T00:00:00.000Z' }) }),
      'POST /api/conversations/4/reopen': () => ({ status: 409, body: { error: { code: 'conflict', message: 'The client has a newer conversation.' } } }),
    });
    const store = useConversationsStore();
    await store.take(4);
    expect(calls[0]?.body).toEqual({ assigneeId: 7 });
    expect(store.byId.get(4)?.assigneeId).toBe(7);
    await store.close(4);
    expect(store.byId.get(4)?.status).toBe('closed');
    await expect(store.reopen(4)).rejects.toThrow('The client has a newer conversation.');
  });
});

describe('load gate', () => {
  it('waits for the realtime link before the first REST snapshot', async () => {
    const { setLoadGate } = await import('./load-gate');
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    setLoadGate(() => gate);
    const { calls } = fakeFetch({ 'GET /api/conversations': () => ({ body: { items: [], nextCursor: null } }) });
    const store = useConversationsStore();
    store.setView('mine', emptyFilters());
    await flush();
    expect(calls).toHaveLength(0);
    expect(store.state).toBe('loading');
    open();
    await flush();
    await flush();
    expect(calls).toHaveLength(1);
    expect(store.state).toBe('done');
    setLoadGate(null);
  });
});
