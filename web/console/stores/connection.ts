/** The state of the realtime link, shown as a banner when it drops. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';

export type LinkStatus = 'idle' | 'connecting' | 'syncing' | 'live' | 'down';

export const useConnectionStore = defineStore('connection', () => {
  const status = ref<LinkStatus>('idle');
  /** Whether the link was ever live in this session: the first connect shows no banner. */
  const wasLive = ref(false);
  const lastError = ref<string | null>(null);
  /** Bumped after every successful resync, so open views can refresh what events cannot carry. */
  const resyncs = ref(0);

  const showBanner = computed(() => wasLive.value && status.value !== 'live');

  function set(next: LinkStatus, error: string | null = null): void {
    status.value = next;
    if (next === 'live') wasLive.value = true;
    lastError.value = error;
  }

  function reset(): void {
    status.value = 'idle';
    wasLive.value = false;
    lastError.value = null;
  }

  return { status, wasLive, lastError, resyncs, showBanner, set, reset };
});
