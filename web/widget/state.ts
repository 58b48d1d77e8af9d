import type { WidgetConfig } from '../../shared/visitor-socket.js';
import { EMPTY_TIMELINE, type Timeline } from './core/timeline.js';

/** Everything the view draws; changed only through the store, read by `render`. */
export interface WidgetState {
  config: WidgetConfig;
  open: boolean;
  /** Starts from the config, then follows `status` events. */
  online: boolean;
  /** `idle`: no session yet (a new visitor who has not written); `unavailable`: the server refused us. */
  link: 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'unavailable';
  /** A new visitor on a line that asks for name/e-mail/phone first. */
  prechat: 'needed' | 'submitting' | 'done';
  prechatError: string | null;
  timeline: Timeline;
  lastReadId: number;
  /** Operator's name while they type ('' when the server sends none), null otherwise. */
  operatorTyping: string | null;
  /** Shown under the composer: a refused file, a failed upload. */
  notice: string | null;
  /** Offline, we ask for an e-mail to answer at: `ask` (show the form), `sending`, `done` (given, or not needed). */
  offlineContact: 'ask' | 'sending' | 'done';
  /** The dialog closed and the line asks for a 1–5 rating. */
  rating: { prompt: string; state: 'asked' | 'sending' | 'done' | 'failed' } | null;
}

export function initialState(config: WidgetConfig): WidgetState {
  return {
    config,
    open: false,
    online: config.online,
    link: 'idle',
    prechat: 'done',
    prechatError: null,
    timeline: EMPTY_TIMELINE,
    lastReadId: 0,
    operatorTyping: null,
    notice: null,
    rating: null,
    offlineContact: 'ask',
  };
}

export interface Store<T> {
  get(): T;
  update(patch: Partial<T> | ((s: T) => Partial<T>)): void;
  subscribe(fn: (s: T) => void): void;
}

/** A minimal observable; subscribers run once per microtask however many updates happened in it. */
export function createStore<T extends object>(initial: T): Store<T> {
  let state = initial;
  let scheduled = false;
  const subscribers: Array<(s: T) => void> = [];
  return {
    get: () => state,
    update(patch) {
      state = { ...state, ...(typeof patch === 'function' ? patch(state) : patch) };
      if (scheduled) return;
      scheduled = true;
      queueMicrotask(() => {
        scheduled = false;
        for (const fn of subscribers) fn(state);
      });
    },
    subscribe: (fn) => void subscribers.push(fn),
  };
}
