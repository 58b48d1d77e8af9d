/**
 * Turns keystrokes into `typing` events the operator can use: `true` at most every `repeatMs`
 * while keys keep coming (so a lost event is soon repeated), `false` once after `idleMs` of quiet
 * or when the message is sent. Never one event per keystroke.
 */
export function createTypingSignal(emit: (typing: boolean) => void, repeatMs = 3000, idleMs = 4000) {
  let sentAt = 0;
  let idle: ReturnType<typeof setTimeout> | undefined;

  function stop(): void {
    clearTimeout(idle);
    if (sentAt) emit(false);
    sentAt = 0;
  }

  return {
    typed(): void {
      if (Date.now() - sentAt > repeatMs) {
        emit(true);
        sentAt = Date.now();
      }
      clearTimeout(idle);
      idle = setTimeout(stop, idleMs);
    },
    stop,
  };
}
