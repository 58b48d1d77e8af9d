/** Open lines: routing groups of operators with their CRM policy. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { LineBody, LineDto } from '../../../shared/lines';
import { linesApi } from '../api/lines';
import { useTracked } from '../composables/load-state';

export const useLinesStore = defineStore('lines', () => {
  const byId = ref(new Map<number, LineDto>());
  const { state, error, run } = useTracked();
  const list = computed(() => [...byId.value.values()].sort((a, b) => a.id - b.id));

  async function load(force = false): Promise<void> {
    if (!force && (state.value === 'loading' || state.value === 'done')) return;
    await run(async () => {
      const { items } = await linesApi.list();
      byId.value = new Map(items.map((l) => [l.id, l]));
    });
  }

  async function save(id: number | null, body: LineBody): Promise<LineDto> {
    const line = id === null ? await linesApi.create(body) : await linesApi.update(id, body);
    byId.value.set(line.id, line);
    return line;
  }

  /** Changes some fields (routing, hours and messages as whole objects); throws for the caller to show. */
  async function update(id: number, body: Partial<LineBody>): Promise<LineDto> {
    const line = await linesApi.update(id, body);
    byId.value.set(line.id, line);
    return line;
  }

  function upsert(line: LineDto): void {
    byId.value.set(line.id, line);
  }

  function name(id: number): string {
    return byId.value.get(id)?.name ?? `#${id}`;
  }

  function reset(): void {
    byId.value = new Map();
    state.value = 'idle';
  }

  return { byId, list, state, error, load, save, update, upsert, name, reset };
});
