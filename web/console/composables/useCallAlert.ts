/**
 * Makes a ringing call heard and seen from another tab: a beep every {@link RING_EVERY_MS} while a call
 * rings here without a ringtone of its own (the Voice SDK rings by itself; JsSIP and a bare push do not),
 * and one browser notification per call when the console is in the background. Follows the profile's
 * sound and desktop-notification choices.
 */
import { onScopeDispose, watch, type Ref } from 'vue';
import { i18n } from '../i18n';
import type { CallEntry } from '../stores/calls';
import { usePrefsStore } from '../stores/prefs';
import { beep, desktopSupported } from './notifier';

export const RING_EVERY_MS = 2_000;

/** Whether the console plays the ring itself: the Twilio Voice SDK already does for calls it rings. */
export function needsRingtone(call: Pick<CallEntry, 'kind' | 'hasPhone'>): boolean {
  return !(call.kind === 'twilio' && call.hasPhone);
}

export function useCallAlert(call: Ref<CallEntry | null>, name: Ref<string>, onOpen: () => void): void {
  const prefs = usePrefsStore();
  let timer: ReturnType<typeof setInterval> | undefined;
  let notified: string | null = null;

  function silence(): void {
    clearInterval(timer);
    timer = undefined;
  }

  function notify(c: CallEntry): void {
    if (notified === c.key || !prefs.desktop || !desktopSupported() || Notification.permission !== 'granted') return;
    if (!document.hidden && document.hasFocus()) return;
    notified = c.key;
    const n = new Notification(i18n.global.t('calls.showHidden', { name: name.value }), { tag: `call-${c.key}`, requireInteraction: true });
    n.onclick = () => {
      window.focus();
      onOpen();
      n.close();
    };
  }

  watch(
    () => (call.value ? `${call.value.key}:${needsRingtone(call.value)}` : null),
    () => {
      silence();
      const c = call.value;
      if (!c) return;
      notify(c);
      if (!prefs.sound || !needsRingtone(c)) return;
      beep();
      timer = setInterval(beep, RING_EVERY_MS);
    },
    { immediate: true },
  );
  onScopeDispose(silence);
}
