// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { defineComponent, h, ref } from 'vue';
import { isEditable, nextIndex, useInboxKeyboard } from './useInboxKeyboard';

describe('nextIndex', () => {
  it('clamps within the list', () => {
    expect(nextIndex(0, 1, 3)).toBe(1);
    expect(nextIndex(2, 1, 3)).toBe(2);
    expect(nextIndex(0, -1, 3)).toBe(0);
    expect(nextIndex(-1, 1, 3)).toBe(0);
    expect(nextIndex(-1, 1, 0)).toBe(-1);
  });
});

describe('isEditable', () => {
  it('knows text fields', () => {
    expect(isEditable(document.createElement('textarea'))).toBe(true);
    expect(isEditable(document.createElement('input'))).toBe(true);
    expect(isEditable(document.createElement('a'))).toBe(false);
    expect(isEditable(null)).toBe(false);
  });
});

describe('useInboxKeyboard', () => {
  it('moves focus through rows with j/k and arrows, but not while typing', () => {
    const Host = defineComponent({
      setup() {
        const list = ref<HTMLElement | null>(null);
        useInboxKeyboard(list);
        return () =>
          h('div', [
            h('input', { id: 'search' }),
            h('div', { ref: list }, [1, 2, 3].map((n) => h('a', { href: `#${n}`, 'data-row': '', id: `row${n}` }, String(n)))),
          ]);
      },
    });
    const wrapper = mount(Host, { attachTo: document.body });
    const press = (key: string, target: EventTarget = document.body) =>
      target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
    press('j');
    expect(document.activeElement?.id).toBe('row1');
    press('j');
    expect(document.activeElement?.id).toBe('row2');
    press('ArrowDown', document.activeElement as Element);
    expect(document.activeElement?.id).toBe('row3');
    press('k');
    expect(document.activeElement?.id).toBe('row2');
    const search = document.getElementById('search') as HTMLInputElement;
    search.focus();
    press('j', search);
    expect(document.activeElement?.id).toBe('search');
    wrapper.unmount();
  });
});
