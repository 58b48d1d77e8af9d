import type { Chat } from '../chat.js';
import type { WidgetState } from '../state.js';
import { h, show } from './dom.js';

const THANKS = 'Thank you for your rating!';
const FAILED = 'Your rating could not be sent. Please try again.';

/** The closing question: five star buttons under the conversation, then a thank-you. */
export function createRating(chat: Chat) {
  const prompt = h('p', { class: 'rating-prompt' });
  const stars = [1, 2, 3, 4, 5].map((n) =>
    h('button', { type: 'button', class: 'star', 'aria-label': `Rate ${n} of 5`, onclick: () => void chat.rate(n) }, '★'),
  );
  const row = h('div', { class: 'rating-stars', role: 'group' }, ...stars);
  const result = h('p', { class: 'rating-result', role: 'status' });
  const el = h('div', { class: 'rating', hidden: true }, prompt, row, result);

  function update(s: WidgetState): void {
    show(el, s.rating !== null);
    if (!s.rating) return;
    prompt.textContent = s.rating.prompt;
    show(row, s.rating.state !== 'done');
    for (const b of stars) (b as HTMLButtonElement).disabled = s.rating.state === 'sending';
    result.textContent = s.rating.state === 'done' ? THANKS : s.rating.state === 'failed' ? FAILED : '';
  }

  return { el, update };
}
