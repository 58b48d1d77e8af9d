/** vue-i18n set up once; the language comes from the profile, or the browser on first visit. */
import { createI18n } from 'vue-i18n';
import en from './en';
import ru from './ru';

export type MessageSchema = typeof en;

export const i18n = createI18n<[MessageSchema], 'en' | 'ru', false>({
  legacy: false,
  locale: 'en',
  fallbackLocale: 'en',
  messages: { en, ru },
  missingWarn: false,
  fallbackWarn: false,
});

export function setLocale(locale: 'en' | 'ru'): void {
  i18n.global.locale.value = locale;
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}
