/**
 * Conversations by id plus the inbox view (tab, filters, server pages). Live events upsert into
 * `byId`; the visible list is derived, so a dialog moves between tabs the moment it changes.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ConversationDto } from '../../../shared/conversations';
import { collaborationApi } from '../api/collaboration';
import { conversationsApi } from '../api/conversations';
import { errorMessage, type LoadState } from '../composables/load-state';
import {
  compareFor,
  emptyFilters,
  inScope,
  isNewer,
  matchesFilters,
  matchesSearch,
  pinnedFirst,
  type InboxFilters,
  type Scope,
} from './conversation-filters';
import { loadGate } from './load-gate';
import { useSessionStore } from './session';

const PAGE = 50;

export const useConversationsStore = defineStore('conversations', () => {
  const session = useSessionStore();
  const byId = ref(new Map<number, ConversationDto>());

  const scope = ref<Scope>('mine');
  const filters = ref<InboxFilters>(emptyFilters());
  /** Ids the server returned for the current tab and filters. */
  const serverIds = ref(new Set<number>());
  const nextCursor = ref<string | null>(null);
  const state = ref<LoadState>('idle');
  const error = ref<string | null>(null);
  const loadingMore = ref(false);
  /** Dialogs of colleagues I was invited into or follow: "mine" too, as on the server. */
  const joined = ref(new Set<number>());
  /** Dialogs I pinned to the top of my lists. */
  const pinned = ref(new Set<number>());
  let generation = 0;

  const meId = computed(() => session.user?.id ?? null);

  const visible = computed(() => {
    const f = filters.value;
    const items: ConversationDto[] = [];
    for (const c of byId.value.values()) {
      if (!inScope(c, scope.value, meId.value, f.status, joined.value) || !matchesFilters(c, f)) continue;
      if (!serverIds.value.has(c.id) && !matchesSearch(c, f.q)) continue;
      items.push(c);
    }
    return items.sort(pinnedFirst(compareFor(scope.value), pinned.value));
  });

  /** Badges on the tabs, from everything known locally. */
  const counts = computed(() => {
    let mineUnread = 0;
    let mine = 0;
    let queue = 0;
    for (const c of byId.value.values()) {
      if (inScope(c, 'mine', meId.value, null, joined.value)) {
        mine++;
        mineUnread += c.unreadCount;
      } else if (inScope(c, 'queue', meId.value)) queue++;
    }
    return { mine, mineUnread, queue };
  });

  function upsert(c: ConversationDto): boolean {
    if (!isNewer(c, byId.value.get(c.id))) return false;
    byId.value.set(c.id, c);
    return true;
  }

  function upsertMany(items: ConversationDto[]): void {
    for (const c of items) upsert(c);
  }

  /** The server's "mine" also lists dialogs I joined: remember those that are not assigned to me. */
  function learnJoined(s: Scope, items: ConversationDto[]): void {
    if (s !== 'mine') return;
    for (const c of items) if (c.assigneeId !== meId.value) joined.value.add(c.id);
  }

  /** I was invited into a dialog (or joined it): load it into my lists. */
  async function addJoined(id: number): Promise<void> {
    joined.value.add(id);
    await refresh(id);
  }

  function query(cursor?: string) {
    const f = filters.value;
    return {
      scope: scope.value,
      lineId: f.lineId ?? undefined,
      channelId: f.channelId ?? undefined,
      status: f.status ?? undefined,
      q: f.q.trim() || undefined,
      cursor,
      limit: PAGE,
    };
  }

  /** (Re)load the first page of the current tab. */
  async function load(): Promise<void> {
    const mine = ++generation;
    state.value = 'loading';
    error.value = null;
    try {
      await loadGate();
      const page = await conversationsApi.list(query());
      if (mine !== generation) return;
      upsertMany(page.items);
      learnJoined(scope.value, page.items);
      serverIds.value = new Set(page.items.map((c) => c.id));
      nextCursor.value = page.nextCursor;
      state.value = 'done';
    } catch (cause) {
      if (mine !== generation) return;
      error.value = errorMessage(cause);
      state.value = 'error';
    }
  }

  async function loadMore(): Promise<void> {
    if (!nextCursor.value || loadingMore.value || state.value !== 'done') return;
    const mine = generation;
    loadingMore.value = true;
    try {
      const page = await conversationsApi.list(query(nextCursor.value));
      if (mine !== generation) return;
      upsertMany(page.items);
      learnJoined(scope.value, page.items);
      for (const c of page.items) serverIds.value.add(c.id);
      nextCursor.value = page.nextCursor;
    } catch (cause) {
      error.value = errorMessage(cause);
    } finally {
      loadingMore.value = false;
    }
  }

  /** Fill the tab badges: what is mine and what waits in the queue. */
  async function loadCounts(): Promise<void> {
    const scopes: Scope[] = ['mine', 'queue'];
    await loadGate();
    await Promise.all(
      scopes.map((s) =>
        conversationsApi
          .list({ scope: s, limit: 200 })
          .then((page) => {
            upsertMany(page.items);
            learnJoined(s, page.items);
          })
          .catch(() => undefined),
      ),
    );
  }

  function setView(nextScope: Scope, nextFilters: InboxFilters): void {
    scope.value = nextScope;
    filters.value = { ...nextFilters };
    serverIds.value = new Set();
    nextCursor.value = null;
    void load();
  }

  /** Make sure one conversation is known (a dialog opened by URL). */
  async function ensure(id: number): Promise<ConversationDto> {
    const known = byId.value.get(id);
    if (known) return known;
    await loadGate();
    const c = await conversationsApi.get(id);
    upsert(c);
    return c;
  }

  async function refresh(id: number): Promise<void> {
    upsert(await conversationsApi.get(id));
  }

  /** Actions throw so the caller can show the server's message next to the button. */
  async function assign(id: number, assigneeId: number | null, comment?: string): Promise<ConversationDto> {
    const c = await conversationsApi.assign(id, assigneeId, comment);
    upsert(c);
    return c;
  }

  const take = (id: number) => assign(id, meId.value);

  async function close(id: number): Promise<ConversationDto> {
    const c = await conversationsApi.close(id);
    upsert(c);
    return c;
  }

  async function reopen(id: number): Promise<ConversationDto> {
    const c = await conversationsApi.reopen(id);
    upsert(c);
    return c;
  }

  async function transferToLine(id: number, lineId: number, comment?: string): Promise<ConversationDto> {
    const c = await conversationsApi.transferToLine(id, lineId, comment);
    upsert(c);
    return c;
  }

  /** Passes my dialog on; the hub answers 204, so the new assignee is read back (or arrives as an event). */
  async function skip(id: number): Promise<void> {
    await conversationsApi.skip(id);
    await refresh(id).catch(() => undefined);
  }

  async function review(id: number, score: number, comment: string | null): Promise<ConversationDto> {
    const c = await conversationsApi.review(id, { score, comment });
    upsert(c);
    return c;
  }

  async function loadPins(): Promise<void> {
    await loadGate();
    const { conversationIds } = await collaborationApi.pins();
    pinned.value = new Set(conversationIds);
    await Promise.all(conversationIds.map((id) => ensure(id).catch(() => undefined)));
  }

  async function setPinned(id: number, pin: boolean): Promise<void> {
    await (pin ? collaborationApi.pin(id) : collaborationApi.unpin(id));
    const next = new Set(pinned.value);
    if (pin) next.add(id);
    else next.delete(id);
    pinned.value = next;
  }

  async function spam(id: number): Promise<ConversationDto> {
    const c = await collaborationApi.spam(id);
    upsert(c);
    return c;
  }

  /** How many messages went to the client; a 409 says the channel cannot. */
  async function sendTranscript(id: number): Promise<number> {
    return (await collaborationApi.transcript(id)).sent;
  }

  /** Every conversation of a scope, page by page (supervisor counts); capped to keep it bounded. */
  async function loadAll(s: Scope, cap = 1000): Promise<ConversationDto[]> {
    const out: ConversationDto[] = [];
    let cursor: string | undefined;
    do {
      const page = await conversationsApi.list({ scope: s, cursor, limit: 200 });
      upsertMany(page.items);
      out.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && out.length < cap);
    return out;
  }

  function reset(): void {
    generation++;
    byId.value = new Map();
    serverIds.value = new Set();
    nextCursor.value = null;
    joined.value = new Set();
    pinned.value = new Set();
    state.value = 'idle';
    error.value = null;
  }

  return {
    byId,
    scope,
    filters,
    visible,
    counts,
    nextCursor,
    state,
    error,
    loadingMore,
    joined,
    pinned,
    upsert,
    addJoined,
    loadPins,
    setPinned,
    spam,
    sendTranscript,
    upsertMany,
    load,
    loadMore,
    loadCounts,
    setView,
    ensure,
    refresh,
    assign,
    take,
    close,
    reopen,
    transferToLine,
    skip,
    review,
    loadAll,
    reset,
  };
});
