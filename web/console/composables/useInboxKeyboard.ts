/**
 * Gmail-style list keys: j/k anywhere outside a text field, ↑/↓ inside the list, Enter opens
 * (rows are links, so Enter is native).
 */
import { onBeforeUnmount, onMounted, type Ref } from 'vue';

/** The next row index, clamped; from "nothing focused" ±1 lands on the first row. */
export function nextIndex(current: number, delta: number, length: number): number {
  if (length === 0) return -1;
  if (current < 0) return delta > 0 ? 0 : 0;
  return Math.min(length - 1, Math.max(0, current + delta));
}

export function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
}

export function useInboxKeyboard(list: Ref<HTMLElement | null>, selector = '[data-row]'): void {
  function rows(): HTMLElement[] {
    return list.value ? [...list.value.querySelectorAll<HTMLElement>(selector)] : [];
  }

  function move(delta: number): void {
    const all = rows();
    const active = document.activeElement;
    let current = all.findIndex((row) => row === active || row.contains(active));
    if (current < 0) current = all.findIndex((row) => row.getAttribute('aria-current') === 'page');
    const target = all[nextIndex(current, current < 0 ? 0 : delta, all.length)];
    target?.focus();
    target?.scrollIntoView({ block: 'nearest' });
  }

  function onKey(event: KeyboardEvent): void {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const inList = list.value?.contains(document.activeElement) ?? false;
    if ((event.key === 'ArrowDown' || event.key === 'ArrowUp') && inList) {
      event.preventDefault();
      move(event.key === 'ArrowDown' ? 1 : -1);
    } else if ((event.key === 'j' || event.key === 'k') && !isEditable(event.target)) {
      event.preventDefault();
      move(event.key === 'j' ? 1 : -1);
    }
  }

  onMounted(() => document.addEventListener('keydown', onKey));
  onBeforeUnmount(() => document.removeEventListener('keydown', onKey));
}
