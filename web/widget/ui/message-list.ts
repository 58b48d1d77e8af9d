import type { WidgetState } from '../state.js';
import { h, show } from './dom.js';
import { renderMessage, renderOutgoing } from './message-bubble.js';

const NEAR_BOTTOM_PX = 80;

/**
 * The conversation log. Bubbles are built once per key and reused, so a long history is not
 * rebuilt on every keystroke, and the view follows new messages only when the visitor was already
 * at the bottom (reading older messages is not interrupted).
 */
export function createMessageList(origin: string, onRetry: (clientId: string) => void) {
  const welcomeText = h('p', { class: 'text' });
  const welcome = h('div', { class: 'msg theirs welcome' }, h('div', { class: 'bubble' }, welcomeText));
  const typing = h('p', { class: 'typing', 'aria-live': 'polite' });
  const items = h('div', { class: 'items' });
  const el = h('div', { class: 'log', role: 'log', 'aria-label': 'Conversation', tabindex: '0' }, welcome, items, typing);
  let rendered = new Map<string, HTMLElement>();
  let order: string[] = [];
  let stick = true;

  const scrollToEnd = () => {
    el.scrollTop = el.scrollHeight;
  };
  el.addEventListener('scroll', () => {
    stick = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
  });
  const onImageLoad = () => {
    if (stick) scrollToEnd();
  };

  function update(s: WidgetState): void {
    const now = new Date();
    const next = new Map<string, HTMLElement>();
    const keys: string[] = [];
    const add = (key: string, build: () => HTMLElement) => {
      next.set(key, rendered.get(key) ?? build());
      keys.push(key);
    };
    let previousAuthor: string | null = null;
    for (const m of s.timeline.messages) {
      const author = m.direction === 'out' ? (m.authorName ?? '') : null;
      const showAuthor = author !== null && author !== previousAuthor;
      previousAuthor = author;
      add(`m${m.id}:${showAuthor}`, () => renderMessage(m, { origin, showAuthor, now, onImageLoad }));
    }
    for (const o of s.timeline.outgoing) add(`o${o.clientId}:${o.state}:${o.error}`, () => renderOutgoing(o, onRetry));

    // The visitor just wrote: bring their bubble into view even if they had scrolled up.
    const known = new Set(order.map((k) => k.split(':')[0]));
    const sentSomething = s.timeline.outgoing.some((o) => !known.has(`o${o.clientId}`));
    if (keys.join() !== order.join()) items.replaceChildren(...keys.map((k) => next.get(k) as HTMLElement));
    rendered = next;
    order = keys;

    welcomeText.textContent = s.config.welcomeText;
    show(welcome, s.config.welcomeText.trim().length > 0);
    typing.textContent = s.operatorTyping === null ? '' : `${s.operatorTyping || 'The operator'} is typing…`;
    if (stick || sentSomething) scrollToEnd();
  }

  return { el, update, scrollToEnd };
}
