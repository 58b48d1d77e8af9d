/** One shared clock ticking every second, for waiting timers; it stops when nobody listens. */
import { onScopeDispose, ref, type Ref } from 'vue';

const now = ref(Date.now());
let users = 0;
let timer: ReturnType<typeof setInterval> | null = null;

export function useNow(): Ref<number> {
  users++;
  if (!timer) timer = setInterval(() => (now.value = Date.now()), 1000);
  onScopeDispose(() => {
    users--;
    if (users === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  });
  return now;
}
