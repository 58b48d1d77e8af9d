/** Personal settings kept in this browser: language, sound, desktop notifications. */
import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import type { Presence } from '../../../shared/users';

export type Locale = 'en' | 'ru';
export const LOCALES: Locale[] = ['en', 'ru'];
const KEY = 'omniline.console.prefs';

interface Prefs {
  locale: Locale;
  sound: boolean;
  desktop: boolean;
  /** The presence this operator last chose here, restored after the link drops long enough to go offline. */
  presence: Presence | null;
}

/** The browser's language when it is one we speak, else English. */
export function detectLocale(languages: readonly string[] = typeof navigator === 'undefined' ? [] : navigator.languages ?? [navigator.language]): Locale {
  for (const lang of languages) {
    const base = lang?.toLowerCase().split('-')[0];
    if (base === 'ru' || base === 'en') return base;
  }
  return 'en';
}

function read(): Partial<Prefs> {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Prefs>;
  } catch {
    return {};
  }
}

export const usePrefsStore = defineStore('prefs', () => {
  const saved = read();
  const locale = ref<Locale>(saved.locale && LOCALES.includes(saved.locale) ? saved.locale : detectLocale());
  const sound = ref(saved.sound ?? true);
  const desktop = ref(saved.desktop ?? false);
  const presence = ref<Presence | null>(saved.presence ?? null);

  watch([locale, sound, desktop, presence], () => {
    try {
      const prefs: Prefs = { locale: locale.value, sound: sound.value, desktop: desktop.value, presence: presence.value };
      localStorage.setItem(KEY, JSON.stringify(prefs));
    } catch {
      // Private mode: settings last for this tab only.
    }
  });

  return { locale, sound, desktop, presence };
});
