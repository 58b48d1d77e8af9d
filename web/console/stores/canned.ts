/** Canned answers: the composer's `/` popup reads them, supervisors and admins edit them in settings. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { CannedAnswerBody, CannedAnswerDto } from '../../../shared/canned';
import { cannedApi } from '../api/canned';
import { useTracked } from '../composables/load-state';

export const useCannedStore = defineStore('canned', () => {
  const byId = ref(new Map<number, CannedAnswerDto>());
  const { state, error, run } = useTracked();
  const list = computed(() => [...byId.value.values()].sort((a, b) => a.shortcut.localeCompare(b.shortcut)));

  async function load(force = false): Promise<void> {
    if (!force && (state.value === 'loading' || state.value === 'done')) return;
    await run(async () => {
      const { items } = await cannedApi.list();
      byId.value = new Map(items.map((c) => [c.id, c]));
    });
  }

  async function create(body: CannedAnswerBody): Promise<CannedAnswerDto> {
    const item = await cannedApi.create(body);
    byId.value.set(item.id, item);
    return item;
  }

  async function update(id: number, body: Partial<CannedAnswerBody>): Promise<CannedAnswerDto> {
    const item = await cannedApi.update(id, body);
    byId.value.set(item.id, item);
    return item;
  }

  async function remove(id: number): Promise<void> {
    await cannedApi.remove(id);
    byId.value.delete(id);
  }

  function reset(): void {
    byId.value = new Map();
    state.value = 'idle';
  }

  return { byId, list, state, error, load, create, update, remove, reset };
});
