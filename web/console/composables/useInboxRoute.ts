/** The inbox tab and filters live in the URL (shareable, survive reload); this maps them both ways. */
import { computed } from 'vue';
import { useRoute, useRouter, type LocationQuery } from 'vue-router';
import { ConversationStatus } from '../../../shared/conversations';
import { emptyFilters, isScope, type InboxFilters, type Scope } from '../stores/conversation-filters';

const num = (v: unknown): number | null => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null);

export function filtersFromQuery(query: LocationQuery): InboxFilters {
  const status = ConversationStatus.safeParse(query.status);
  return {
    ...emptyFilters(),
    lineId: num(query.line),
    channelId: num(query.channel),
    status: status.success ? status.data : null,
    q: typeof query.q === 'string' ? query.q : '',
  };
}

export function queryFromFilters(f: InboxFilters): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.lineId !== null) out.line = String(f.lineId);
  if (f.channelId !== null) out.channel = String(f.channelId);
  if (f.status !== null) out.status = f.status;
  if (f.q.trim()) out.q = f.q.trim();
  return out;
}

export function useInboxRoute() {
  const route = useRoute();
  const router = useRouter();
  const scope = computed<Scope>(() => (isScope(route.params.scope) ? route.params.scope : 'mine'));
  const id = computed(() => num(route.params.id));
  const filters = computed(() => filtersFromQuery(route.query));

  function setFilters(f: InboxFilters): void {
    void router.replace({ name: 'inbox', params: { scope: scope.value, id: id.value ?? undefined }, query: queryFromFilters(f) });
  }

  function open(conversationId: number | null): void {
    void router.push({ name: 'inbox', params: { scope: scope.value, id: conversationId ?? undefined }, query: route.query });
  }

  return { scope, id, filters, setFilters, open };
}
