import { unreadCount } from '../core/timeline.js';
import type { WidgetState } from '../state.js';
import { h, show } from './dom.js';
import { icon } from './icons.js';

/** The round button in the corner, with a badge counting operator replies the visitor has not seen. */
export function createLauncher(toggle: () => void) {
  const badge = h('span', { class: 'badge', 'aria-hidden': 'true', hidden: true });
  const chat = icon('chat', 26);
  const close = icon('close', 24);
  const el = h('button', { type: 'button', class: 'launcher', 'aria-expanded': 'false', onclick: toggle }, chat, close, badge);

  function update(s: WidgetState): void {
    const unread = s.open ? 0 : unreadCount(s.timeline.messages, s.lastReadId);
    el.setAttribute('aria-expanded', String(s.open));
    el.setAttribute('aria-label', s.open ? 'Close chat' : unread > 0 ? `Open chat, ${unread} unread` : 'Open chat');
    chat.style.display = s.open ? 'none' : '';
    close.style.display = s.open ? '' : 'none';
    badge.textContent = unread > 9 ? '9+' : String(unread);
    show(badge, unread > 0);
  }

  return { el, update };
}
