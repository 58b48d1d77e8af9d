/**
 * What starts when an operator signs in (directories, the realtime link) and what is torn down
 * when they leave, plus the global answer to `401 unauthenticated`.
 */
import { watch } from 'vue';
import type { Router } from 'vue-router';
import { http, setUnauthenticatedHandler } from './api/http';
import { notifyDialog } from './composables/notifier';
import { connectRealtime, disconnectRealtime } from './realtime/socket';
import { useChannelsStore } from './stores/channels';
import { useConnectionStore } from './stores/connection';
import { useConversationsStore } from './stores/conversations';
import { useCrmStore } from './stores/crm';
import { useLinesStore } from './stores/lines';
import { useMessagesStore } from './stores/messages';
import { useCallsStore } from './stores/calls';
import { useCannedStore } from './stores/canned';
import { useParticipantsStore } from './stores/participants';
import { useSessionStore } from './stores/session';
import { useUsersStore } from './stores/users';

export function installSessionLifecycle(router: Router): void {
  const session = useSessionStore();
  const users = useUsersStore();
  const lines = useLinesStore();
  const channels = useChannelsStore();
  const conversations = useConversationsStore();
  const messages = useMessagesStore();
  const crm = useCrmStore();
  const connection = useConnectionStore();
  const participants = useParticipantsStore();
  const canned = useCannedStore();
  const calls = useCallsStore();

  /** After a first sync or a failed resync: refetch what the user is looking at. */
  function reload(): void {
    if (conversations.state !== 'idle') void conversations.load();
    void conversations.loadCounts();
    for (const [id, thread] of messages.threads) if (thread.state !== 'idle') void messages.loadLatest(id);
  }

  function start(): void {
    void users.load(true);
    void lines.load(true);
    void channels.load(true);
    void conversations.loadPins().catch(() => undefined);
    // Softphones (the Voice SDK or JsSIP load only for operators who have one).
    void calls.start();
    connectRealtime({
      notify: (kind, c) => notifyDialog(kind, c, (id) => void router.push({ name: 'inbox', params: { scope: kind === 'assigned' ? 'mine' : 'queue', id } })),
      reload,
      checkSession: () => void http.get('/api/me').catch(() => undefined),
    });
  }

  function stop(): void {
    disconnectRealtime();
    calls.stop();
    for (const store of [users, lines, channels, conversations, messages, crm, participants, canned]) store.reset();
  }

  watch(
    () => session.user?.id ?? null,
    (id, previous) => {
      if (previous) stop();
      if (id) start();
    },
    { immediate: true },
  );

  watch(
    () => connection.status,
    (status) => status === 'live' && void session.reassertPresence(),
  );

  setUnauthenticatedHandler(() => {
    if (!session.isAuthenticated) return;
    session.clear();
    const current = router.currentRoute.value;
    if (current.name !== 'login') void router.push({ name: 'login', query: { redirect: current.fullPath } });
  });
}
