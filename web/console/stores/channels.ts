/** Channels with their live status and capabilities (what the composer may offer). */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ChannelDto, CreateChannelBody, UpdateChannelBody } from '../../../shared/channels';
import { channelsApi } from '../api/channels';
import { useTracked } from '../composables/load-state';

export const useChannelsStore = defineStore('channels', () => {
  const byId = ref(new Map<number, ChannelDto>());
  const { state, error, run } = useTracked();
  const list = computed(() => [...byId.value.values()].sort((a, b) => a.id - b.id));

  /** `quiet` refreshes without flipping the state to loading (status polling). */
  async function load(force = false, quiet = false): Promise<void> {
    if (!force && (state.value === 'loading' || state.value === 'done')) return;
    const task = async () => {
      const { items } = await channelsApi.list();
      byId.value = new Map(items.map((c) => [c.id, c]));
    };
    if (quiet && state.value === 'done') await task().catch(() => undefined);
    else await run(task);
  }

  async function create(body: CreateChannelBody): Promise<ChannelDto> {
    const channel = await channelsApi.create(body);
    byId.value.set(channel.id, channel);
    return channel;
  }

  async function update(id: number, body: UpdateChannelBody): Promise<ChannelDto> {
    const channel = await channelsApi.update(id, body);
    byId.value.set(channel.id, channel);
    return channel;
  }

  async function remove(id: number): Promise<void> {
    await channelsApi.remove(id);
    byId.value.delete(id);
  }

  function reset(): void {
    byId.value = new Map();
    state.value = 'idle';
  }

  return { byId, list, state, error, load, create, update, remove, reset };
});
