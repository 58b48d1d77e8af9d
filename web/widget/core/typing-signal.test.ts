import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTypingSignal } from './typing-signal.js';

describe('createTypingSignal', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('sends true once per interval while typing and false after a pause', () => {
    const events: boolean[] = [];
    const signal = createTypingSignal((t) => events.push(t), 3000, 4000);
    for (let i = 0; i < 10; i += 1) {
      signal.typed();
      vi.advanceTimersByTime(400);
    }
    expect(events).toEqual([true, true]);
    vi.advanceTimersByTime(4000);
    expect(events).toEqual([true, true, false]);
  });

  it('sends false at once on stop, and nothing when no true was sent', () => {
    const events: boolean[] = [];
    const signal = createTypingSignal((t) => events.push(t));
    signal.stop();
    expect(events).toEqual([]);
    signal.typed();
    signal.stop();
    vi.advanceTimersByTime(10_000);
    expect(events).toEqual([true, false]);
  });
});
