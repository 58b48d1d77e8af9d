import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TYPING_TTL_MS, useTypingStore } from './typing';

beforeEach(() => {
  vi.useFakeTimers();
  setActivePinia(createPinia());
});
afterEach(() => vi.useRealTimers());

describe('typing store', () => {
  it('tracks the client and colleagues per conversation, fading silent signals', () => {
    const typing = useTypingStore();
    typing.apply({ conversationId: 1, who: 'client', userId: null, typing: true, mode: 'reply' });
    typing.apply({ conversationId: 1, who: 'operator', userId: 8, typing: true, mode: 'note' });
    expect(typing.of(1)).toEqual({ client: true, operators: { 8: 'note' } });
    expect(typing.of(2)).toEqual({ client: false, operators: {} });
    typing.apply({ conversationId: 1, who: 'operator', userId: 8, typing: false, mode: 'note' });
    expect(typing.of(1).operators).toEqual({});
    vi.advanceTimersByTime(TYPING_TTL_MS + 1);
    expect(typing.of(1).client).toBe(false);
  });

  it('a repeated signal keeps it alive', () => {
    const typing = useTypingStore();
    const signal = { conversationId: 1, who: 'client' as const, userId: null, typing: true, mode: 'reply' as const };
    typing.apply(signal);
    vi.advanceTimersByTime(TYPING_TTL_MS - 100);
    typing.apply(signal);
    vi.advanceTimersByTime(TYPING_TTL_MS - 100);
    expect(typing.of(1).client).toBe(true);
  });
});
