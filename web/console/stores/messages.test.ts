import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch, query } from '../testing/fake-fetch';
import { msg } from '../testing/fixtures';
import { useMessagesStore } from './messages';

beforeEach(() => setActivePinia(createPinia()));
afterEach(() => vi.unstubAllGlobals());

const page = (from: number, to: number) => Array.from({ length: from - to + 1 }, (_, i) => msg({ id: from - i }));

describe('messages store', () => {
  it('loads the newest page, then older ones with before = the smallest id', async () => {
    const { calls } = fakeFetch({
      'GET /api/conversations/1/messages': ({ url }) =>
        query(url).before ? { body: { items: page(50, 1), hasMore: false } } : { body: { items: page(100, 51), hasMore: true } },
    });
    const store = useMessagesStore();
    await store.loadLatest(1);
    const t = store.thread(1);
    expect(t.items.map((m) => m.id).slice(0, 2)).toEqual([51, 52]);
    expect(t.hasMore).toBe(true);
    expect(await store.loadOlder(1)).toBe(50);
    expect(query(calls[1]!.url)).toMatchObject({ before: '51', limit: '50' });
    expect(t.items).toHaveLength(100);
    expect(t.items[0]?.id).toBe(1);
    expect(await store.loadOlder(1)).toBe(0);
    expect(calls).toHaveLength(2);
  });

  it('applies live messages only to opened threads, once per id', async () => {
    fakeFetch({ 'GET /api/conversations/1/messages': () => ({ body: { items: [msg({ id: 1 })], hasMore: false } }) });
    const store = useMessagesStore();
    store.upsert(msg({ id: 9, conversationId: 2 }));
    expect(store.threads.has(2)).toBe(false);
    await store.loadLatest(1);
    store.upsert(msg({ id: 2, deliveryStatus: 'sent', direction: 'out' }));
    store.upsert(msg({ id: 2, deliveryStatus: 'read', direction: 'out' }));
    expect(store.thread(1).items.map((m) => [m.id, m.deliveryStatus])).toEqual([
      [1, null],
      [2, 'read'],
    ]);
  });

  it('shows a send as pending, replaces it with the stored message, and keeps failures for retry', async () => {
    let fail = true;
    const { calls } = fakeFetch({
      'GET /api/conversations/1/messages': () => ({ body: { items: [], hasMore: false } }),
      'POST /api/conversations/1/notes': ({ body }) => ({ status: 201, body: msg({ id: 5, visibility: 'internal', text: (body as { text: string }).text }) }),
      'POST /api/conversations/1/messages': () =>
        fail ? { status: 422, body: { error: { code: 'validation_failed', message: 'Text is too long for SMS.' } } } : { status: 201, body: msg({ id: 6, direction: 'out' }) },
    });
    const store = useMessagesStore();
    await store.loadLatest(1);
    const sending = store.send(1, 'note', 'VIP client');
    expect(store.thread(1).pending).toHaveLength(1);
    await sending;
    expect(store.thread(1).pending).toHaveLength(0);
    expect(store.thread(1).items[0]?.visibility).toBe('internal');

    await store.send(1, 'reply', 'Hello', [{ id: 3, fileName: 'a.png', mimeType: 'image/png', size: 1, url: '/x' }]);
    expect(calls.at(-1)?.body).toEqual({ text: 'Hello', attachmentIds: [3] });
    const failed = store.thread(1).pending[0]!;
    expect(failed).toMatchObject({ state: 'failed', error: 'Text is too long for SMS.' });
    fail = false;
    await store.resend(1, failed.tempId);
    expect(store.thread(1).pending).toHaveLength(0);
    expect(store.thread(1).items.map((m) => m.id)).toEqual([5, 6]);
  });

  it('retries a failed delivery through POST /api/messages/:id/retry', async () => {
    const { calls } = fakeFetch({
      'GET /api/conversations/1/messages': () => ({ body: { items: [msg({ id: 4, direction: 'out', deliveryStatus: 'failed', deliveryError: 'Bot blocked' })], hasMore: false } }),
      'POST /api/messages/4/retry': () => ({ body: msg({ id: 4, direction: 'out', deliveryStatus: 'pending' }) }),
    });
    const store = useMessagesStore();
    await store.loadLatest(1);
    await store.retry(4);
    expect(calls.at(-1)?.method).toBe('POST');
    expect(store.thread(1).items[0]?.deliveryStatus).toBe('pending');
  });
});

describe('pending copies', () => {
  it('a live event for my message replaces its pending copy before the POST answers', async () => {
    const { useSessionStore } = await import('./session');
    const { user } = await import('../testing/fixtures');
    useSessionStore().user = user({ id: 7 });
    let answer!: (v: { status: number; body: unknown }) => void;
    fakeFetch({
      'GET /api/conversations/1/messages': () => ({ body: { items: [], hasMore: false } }),
      'POST /api/conversations/1/messages': () => new Promise((r) => (answer = r)),
    });
    const store = useMessagesStore();
    await store.loadLatest(1);
    const sending = store.send(1, 'reply', 'On my way');
    store.upsert(msg({ id: 8, direction: 'out', authorId: 7, text: 'On my way' }));
    expect(store.thread(1).pending).toHaveLength(0);
    expect(store.thread(1).items.map((m) => m.id)).toEqual([8]);
    answer({ status: 201, body: msg({ id: 8, direction: 'out', authorId: 7, text: 'On my way' }) });
    await sending;
    expect(store.thread(1).items).toHaveLength(1);
  });
});
