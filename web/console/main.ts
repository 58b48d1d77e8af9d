import { createPinia } from 'pinia';
import { createApp, watch } from 'vue';
import App from './App.vue';
import { i18n, setLocale } from './i18n';
import { router } from './router';
import { installSessionLifecycle } from './session-lifecycle';
import { usePrefsStore } from './stores/prefs';
import { useSessionStore } from './stores/session';
import './styles.css';

async function boot(): Promise<void> {
  const app = createApp(App);
  const pinia = createPinia();
  app.use(pinia).use(i18n);

  const prefs = usePrefsStore();
  setLocale(prefs.locale);
  watch(() => prefs.locale, setLocale);

  await useSessionStore().restore();
  installSessionLifecycle(router);
  app.use(router);
  await router.isReady();
  app.mount('#app');
}

void boot();
