import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TypingRequest } from '../../../shared/operator-socket';
import { createTypingEmitter, TYPING_IDLE_MS } from './useTypingEmitter';

describe('typing emitter', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('throttles typing=true, sends false after a pause, and tells the mode', () => {
    const sent: TypingRequest[] = [];
    const e = createTypingEmitter(5, (r) => sent.push(r));
    e.input('note', 0);
    e.input('note', 1000);
    e.input('note', 2000);
    expect(sent).toEqual([{ conversationId: 5, typing: true, mode: 'note' }]);
    e.input('note', 3500);
    expect(sent).toHaveLength(2);
    vi.advanceTimersByTime(TYPING_IDLE_MS + 10);
    expect(sent.at(-1)).toEqual({ conversationId: 5, typing: false, mode: 'note' });
  });

  it('switching mode stops the old mode before starting the new one', () => {
    const sent: TypingRequest[] = [];
    const e = createTypingEmitter(5, (r) => sent.push(r));
    e.input('reply', 0);
    e.input('note', 100);
    expect(sent.map((r) => `${r.mode}:${r.typing}`)).toEqual(['reply:true', 'reply:false', 'note:true']);
    e.stop();
    e.stop();
    expect(sent.map((r) => `${r.mode}:${r.typing}`)).toEqual(['reply:true', 'reply:false', 'note:true', 'note:false']);
  });
});
