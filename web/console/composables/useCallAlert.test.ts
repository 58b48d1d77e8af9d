// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { effectScope, nextTick, ref } from 'vue';
import { newCall, type CallEntry } from '../stores/call-entry';
import { usePrefsStore } from '../stores/prefs';
import { needsRingtone, RING_EVERY_MS, useCallAlert } from './useCallAlert';

const beep = vi.hoisted(() => vi.fn());
vi.mock('./notifier', () => ({ beep, desktopSupported: () => false }));

beforeEach(() => {
  localStorage.clear();
  setActivePinia(createPinia());
  beep.mockClear();
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe('useCallAlert', () => {
  it('rings only where no ringtone plays already (the Voice SDK rings its own calls)', () => {
    expect(needsRingtone({ kind: 'twilio', hasPhone: true })).toBe(false);
    expect(needsRingtone({ kind: 'sip', hasPhone: true })).toBe(true);
    expect(needsRingtone({ kind: 'twilio', hasPhone: false })).toBe(true);
  });

  it('beeps every 2 s while a SIP call rings, and stops when it is answered', async () => {
    const call = ref<CallEntry | null>(null);
    const scope = effectScope();
    scope.run(() => useCallAlert(call, ref('Anna'), () => undefined));
    call.value = newCall('sip-1', { channelId: 4, direction: 'in', remote: '1002', kind: 'sip', hasPhone: true });
    await nextTick();
    expect(beep).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(RING_EVERY_MS * 2);
    expect(beep).toHaveBeenCalledTimes(3);
    call.value = null;
    await nextTick();
    vi.advanceTimersByTime(RING_EVERY_MS * 2);
    expect(beep).toHaveBeenCalledTimes(3);
    scope.stop();
  });

  it('stays silent when the profile turned sound off', async () => {
    usePrefsStore().sound = false;
    const call = ref<CallEntry | null>(newCall('sip-1', { channelId: 4, direction: 'in', remote: '1002', kind: 'sip', hasPhone: true }));
    const scope = effectScope();
    scope.run(() => useCallAlert(call, ref('Anna'), () => undefined));
    vi.advanceTimersByTime(RING_EVERY_MS * 2);
    expect(beep).not.toHaveBeenCalled();
    scope.stop();
  });
});
