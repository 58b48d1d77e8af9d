/**
 * Emits my typing state for one conversation: `true` at most every few seconds while keys are
 * pressed, `false` after a pause, on send, on mode change and on leaving.
 */
import { onBeforeUnmount, watch, type Ref } from 'vue';
import type { TypingRequest } from '../../../shared/operator-socket';

export const TYPING_REPEAT_MS = 3000;
export const TYPING_IDLE_MS = 4000;

export function createTypingEmitter(conversationId: number, emit: (req: TypingRequest) => void) {
  let typingMode: TypingRequest['mode'] | null = null;
  let lastSent = 0;
  let idle: ReturnType<typeof setTimeout> | undefined;

  function stop(): void {
    clearTimeout(idle);
    if (typingMode !== null) emit({ conversationId, typing: false, mode: typingMode });
    typingMode = null;
    lastSent = 0;
  }

  function input(mode: TypingRequest['mode'], now = Date.now()): void {
    if (typingMode !== null && typingMode !== mode) stop();
    if (typingMode === null || now - lastSent >= TYPING_REPEAT_MS) {
      emit({ conversationId, typing: true, mode });
      lastSent = now;
    }
    typingMode = mode;
    clearTimeout(idle);
    idle = setTimeout(stop, TYPING_IDLE_MS);
  }

  return { input, stop };
}

export function useTypingEmitter(conversationId: number, mode: Ref<TypingRequest['mode']>, emit: (req: TypingRequest) => void) {
  const emitter = createTypingEmitter(conversationId, emit);
  watch(mode, () => emitter.stop());
  onBeforeUnmount(() => emitter.stop());
  return emitter;
}
