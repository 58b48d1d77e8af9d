/**
 * Sound and desktop notification when a dialog is assigned to me or enters my queue.
 * The beep is synthesized, so no audio file has to be shipped.
 */
import type { ConversationDto } from '../../../shared/conversations';
import { i18n } from '../i18n';
import { usePrefsStore } from '../stores/prefs';

let audio: AudioContext | null = null;

export function beep(): void {
  try {
    audio ??= new AudioContext();
    const now = audio.currentTime;
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = 'sine';
    osc.frequency.setValueAtTime(880, now);
    osc.frequency.setValueAtTime(1320, now + 0.12);
    gain.gain.setValueAtTime(0.0001, now);
    gain.gain.exponentialRampToValueAtTime(0.2, now + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + 0.3);
    osc.connect(gain).connect(audio.destination);
    osc.start(now);
    osc.stop(now + 0.32);
  } catch {
    // No audio (autoplay policy before the first click, or no device): stay silent.
  }
}

export function desktopSupported(): boolean {
  return typeof window !== 'undefined' && 'Notification' in window;
}

/** Ask for permission; resolves to whether desktop notifications may be shown. */
export async function requestDesktopPermission(): Promise<boolean> {
  if (!desktopSupported()) return false;
  if (Notification.permission === 'granted') return true;
  if (Notification.permission === 'denied') return false;
  return (await Notification.requestPermission()) === 'granted';
}

export function notifyDialog(kind: 'assigned' | 'queued', c: ConversationDto, open: (id: number) => void): void {
  const prefs = usePrefsStore();
  if (prefs.sound) beep();
  if (!prefs.desktop || !desktopSupported() || Notification.permission !== 'granted') return;
  if (!document.hidden && document.hasFocus()) return;
  const t = i18n.global.t;
  const n = new Notification(t(kind === 'assigned' ? 'notify.assigned' : 'notify.queued', { name: c.contactName }), {
    body: c.lastMessagePreview,
    tag: `conversation-${c.id}`,
  });
  n.onclick = () => {
    window.focus();
    open(c.id);
    n.close();
  };
}
