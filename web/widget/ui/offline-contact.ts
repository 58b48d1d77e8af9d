import type { Chat } from '../chat.js';
import type { WidgetState } from '../state.js';
import { h, show } from './dom.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Out of hours or with nobody online: asks once for an e-mail address so the answer can reach the visitor. */
export function createOfflineContact(chat: Chat) {
  const input = h('input', { type: 'email', name: 'email', autocomplete: 'email', placeholder: 'you@example.com', 'aria-label': 'Your e-mail', maxlength: '320' });
  const error = h('span', { class: 'field-error', role: 'alert', hidden: true });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Notify me');
  const el = h(
    'form',
    { class: 'offline-contact', novalidate: true, hidden: true, onsubmit: onSubmit },
    h('p', {}, 'Leave your e-mail and we will answer there as well.'),
    h('div', { class: 'row' }, input, button),
    error,
  );

  function onSubmit(e: Event): void {
    e.preventDefault();
    const email = (input as HTMLInputElement).value.trim();
    const ok = EMAIL.test(email);
    error.textContent = ok ? '' : 'Please enter a valid e-mail address.';
    show(error, !ok);
    if (ok) void chat.leaveContact(email);
    else (input as HTMLInputElement).focus();
  }

  function update(s: WidgetState): void {
    show(el, !s.online && s.prechat === 'done' && s.offlineContact !== 'done');
    (button as HTMLButtonElement).disabled = s.offlineContact === 'sending';
  }

  return { el, update };
}
