/** Who is typing in which conversation: the client, and colleagues (with their mode). */
import { defineStore } from 'pinia';
import { ref } from 'vue';

export interface TypingSignal {
  conversationId: number;
  who: 'client' | 'operator';
  userId: number | null;
  typing: boolean;
  mode: 'reply' | 'note';
}

export interface TypingState {
  client: boolean;
  /** userId -> mode */
  operators: Record<number, 'reply' | 'note'>;
}

/** A typing signal that is not repeated fades after this long. */
export const TYPING_TTL_MS = 8000;

export const useTypingStore = defineStore('typing', () => {
  const byConversation = ref<Record<number, TypingState>>({});
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  function entry(id: number): TypingState {
    byConversation.value[id] ??= { client: false, operators: {} };
    return byConversation.value[id] as TypingState;
  }

  function set(signal: TypingSignal, typing: boolean): void {
    const e = entry(signal.conversationId);
    if (signal.who === 'client') e.client = typing;
    else if (signal.userId !== null) {
      if (typing) e.operators[signal.userId] = signal.mode;
      else delete e.operators[signal.userId];
    }
  }

  function apply(signal: TypingSignal): void {
    const key = `${signal.conversationId}:${signal.who}:${signal.userId ?? ''}`;
    clearTimeout(timers.get(key));
    timers.delete(key);
    set(signal, signal.typing);
    if (signal.typing) timers.set(key, setTimeout(() => (set(signal, false), timers.delete(key)), TYPING_TTL_MS));
  }

  function of(id: number): TypingState {
    return byConversation.value[id] ?? { client: false, operators: {} };
  }

  /** The client sent a message: their typing is over. */
  function clientStopped(id: number): void {
    apply({ conversationId: id, who: 'client', userId: null, typing: false, mode: 'reply' });
  }

  return { byConversation, apply, of, clientStopped };
});
