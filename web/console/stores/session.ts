/** Who is signed in, their CSRF token and presence. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Presence, SessionDto, UserDto } from '../../../shared/users';
import { authApi } from '../api/auth';
import { ApiError, setCsrfToken } from '../api/http';
import { errorMessage, type LoadState } from '../composables/load-state';
import { usePrefsStore } from './prefs';

export const useSessionStore = defineStore('session', () => {
  const prefs = usePrefsStore();
  const user = ref<UserDto | null>(null);
  const state = ref<LoadState>('idle');
  const error = ref<string | null>(null);
  /** Set once restore() has answered, so the router knows whether to wait. */
  const restored = ref(false);

  const isAuthenticated = computed(() => user.value !== null);
  const role = computed(() => user.value?.role ?? null);
  const isSupervisor = computed(() => role.value === 'supervisor' || role.value === 'admin');
  const isAdmin = computed(() => role.value === 'admin');

  function accept(session: SessionDto): void {
    user.value = session.user;
    setCsrfToken(session.csrfToken);
  }

  /** Resume a cookie session; a 401 simply means nobody is signed in. */
  async function restore(): Promise<void> {
    try {
      accept(await authApi.me());
    } catch (cause) {
      if (!(cause instanceof ApiError && cause.status === 401)) error.value = errorMessage(cause);
      user.value = null;
    } finally {
      restored.value = true;
    }
  }

  async function login(email: string, password: string): Promise<boolean> {
    state.value = 'loading';
    error.value = null;
    try {
      accept(await authApi.login(email, password));
      state.value = 'done';
      // Signing in means being at work: back to the last chosen presence, online when that was offline.
      const wanted = prefs.presence && prefs.presence !== 'offline' ? prefs.presence : 'online';
      if (user.value?.presence !== wanted) await setPresence(wanted);
      return true;
    } catch (cause) {
      error.value = errorMessage(cause);
      state.value = 'error';
      return false;
    }
  }

  async function logout(): Promise<void> {
    try {
      // Stop receiving dialogs at once rather than after the server's reconnect grace.
      await authApi.setPresence('offline');
      await authApi.logout();
    } catch {
      // The session is dropped locally either way.
    }
    clear();
  }

  /** Forget the session locally (logout, or a 401 from the server). */
  function clear(): void {
    user.value = null;
    setCsrfToken(null);
    state.value = 'idle';
  }

  /** An explicit choice is remembered in this browser and restored after a long disconnect. */
  async function setPresence(presence: Presence, remember = true): Promise<void> {
    if (!user.value) return;
    if (remember) prefs.presence = presence;
    const previous = user.value.presence;
    user.value = { ...user.value, presence };
    try {
      user.value = await authApi.setPresence(presence);
      error.value = null;
    } catch (cause) {
      if (user.value) user.value = { ...user.value, presence: previous };
      error.value = errorMessage(cause);
    }
  }

  /** A presence change pushed by the server for this user (another tab, auto-away). */
  function applyPresence(presence: Presence): void {
    if (user.value) user.value = { ...user.value, presence };
  }

  /** After the realtime link comes back: the server may have marked me offline meanwhile. */
  async function reassertPresence(): Promise<void> {
    const wanted = prefs.presence;
    if (user.value && wanted && wanted !== 'offline' && user.value.presence === 'offline') await setPresence(wanted, false);
  }

  return {
    user,
    state,
    error,
    restored,
    isAuthenticated,
    role,
    isSupervisor,
    isAdmin,
    restore,
    login,
    logout,
    clear,
    setPresence,
    applyPresence,
    reassertPresence,
  };
});
