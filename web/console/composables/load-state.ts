/**
 * The loading state every store and view uses instead of letting errors reach templates.
 */
import { ref, type Ref } from 'vue';
import { ApiError } from '../api/http';

export type LoadState = 'idle' | 'loading' | 'done' | 'error';

/** The message to show for an error: the server's own `error.message`, else a code the UI translates. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return String(error);
}

export interface Tracked {
  state: Ref<LoadState>;
  error: Ref<string | null>;
  /** Runs `task`, mirrors its progress in `state`/`error`; resolves to its result or `undefined` on failure. */
  run<T>(task: () => Promise<T>): Promise<T | undefined>;
}

export function useTracked(): Tracked {
  const state = ref<LoadState>('idle');
  const error = ref<string | null>(null);
  async function run<T>(task: () => Promise<T>): Promise<T | undefined> {
    state.value = 'loading';
    error.value = null;
    try {
      const result = await task();
      state.value = 'done';
      return result;
    } catch (cause) {
      error.value = errorMessage(cause);
      state.value = 'error';
      return undefined;
    }
  }
  return { state, error, run };
}
