// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { computed, defineComponent, h, nextTick } from 'vue';
import type { LineDto } from '../../../shared/lines';
import { i18n } from '../i18n';
import { useLinesStore } from '../stores/lines';
import { fakeFetch } from '../testing/fake-fetch';
import { line } from '../testing/fixtures';
import { useLineDraft, type LineDraftState } from './useLineDraft';

let pinia: ReturnType<typeof createPinia>;
beforeEach(() => {
  pinia = createPinia();
  setActivePinia(pinia);
});
afterEach(() => vi.unstubAllGlobals());

/** The composable inside a component, as the editor uses it, over the line in the store. */
function host(id: number): LineDraftState {
  let state!: LineDraftState;
  const lines = useLinesStore();
  mount(
    defineComponent({
      setup() {
        state = useLineDraft(computed(() => lines.byId.get(id) ?? null));
        return () => h('div');
      },
    }),
    { global: { plugins: [pinia, i18n] } },
  );
  return state;
}

describe('useLineDraft', () => {
  it('saves one whole section, then counts later edits as unsaved again', async () => {
    const lines = useLinesStore();
    lines.upsert(line({ id: 3 }));
    let stored: LineDto = line({ id: 3 });
    const { calls } = fakeFetch({
      'PATCH /api/lines/3': (call) => {
        stored = { ...stored, ...(call.body as Partial<LineDto>) };
        return { body: stored };
      },
    });
    const d = host(3);
    d.draft.value.hours.enabled = true;
    d.draft.value.routing.mode = 'least_busy';
    expect(d.dirty.value).toMatchObject({ hours: true, routing: true, general: false });

    await d.save('hours');
    expect(calls).toHaveLength(1);
    expect(Object.keys(calls[0]!.body as object)).toEqual(['hours']);
    expect(d.justSaved('hours')).toBe(true);
    await nextTick();
    // The unsaved routing edit survives the line changing in the store.
    expect(d.draft.value.routing.mode).toBe('least_busy');
    expect(d.dirty.value).toMatchObject({ hours: false, routing: true });

    d.draft.value.hours.enabled = false;
    expect(d.dirty.value.hours).toBe(true);
    expect(d.justSaved('hours')).toBe(false);
    d.discard('hours');
    expect(d.draft.value.hours.enabled).toBe(true);
    expect(d.dirty.value.hours).toBe(false);
  });

  it('stops invalid input before the server and pins the hub 400 to its field', async () => {
    useLinesStore().upsert(line({ id: 4 }));
    const { calls } = fakeFetch({
      'PATCH /api/lines/4': () => ({
        status: 400,
        body: { error: { code: 'validation_failed', message: 'routing.fallbackLineId must name another existing line', details: { issues: [{ path: ['body', 'routing', 'fallbackLineId'], message: 'must name another existing line' }] } } },
      }),
    });
    const d = host(4);
    d.draft.value.hours.week.mon = [{ from: '25:00', to: '18:00' }];
    expect(await d.save('hours')).toBeUndefined();
    expect(calls).toHaveLength(0);
    expect(d.issue('hours.week.mon.0.from')).toBe('Enter a time such as 09:00.');
    expect(d.trackers.hours.error.value).toContain('Fix the highlighted fields');

    d.draft.value.routing.fallbackLineId = 99;
    expect(await d.save('routing')).toBeUndefined();
    expect(d.trackers.routing.error.value).toBe('routing.fallbackLineId must name another existing line');
    expect(d.issue('routing.fallbackLineId')).toBe('must name another existing line');
    // The hours problem is still shown; saving routing only clears its own.
    expect(d.issuesAt('hours.week.mon')).toHaveLength(1);
  });
});
