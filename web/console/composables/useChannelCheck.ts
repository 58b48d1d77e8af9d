import { ref } from 'vue';
import type { ChannelType } from '../../../shared/channel';
import type { TestChannelResult } from '../../../shared/channels';
import { http } from '../api/http';
import { errorMessage } from './load-state';

/**
 * "Check" in a connect form: the hub tries the settings against the provider without saving them
 * (POST /api/channels/test); a saved channel's masked secrets are filled in by the hub from `channelId`.
 */
export function useChannelCheck(type: ChannelType) {
  const checking = ref(false);
  const result = ref<TestChannelResult | null>(null);

  async function check(settings: Record<string, unknown>, channelId?: number): Promise<void> {
    checking.value = true;
    result.value = null;
    try {
      result.value = await http.post<TestChannelResult>('/api/channels/test', { type, settings, channelId });
    } catch (err) {
      result.value = { ok: false, message: errorMessage(err) };
    } finally {
      checking.value = false;
    }
  }

  return { checking, result, check };
}
