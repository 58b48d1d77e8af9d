import type { Chat } from '../chat.js';
import type { WidgetState } from '../state.js';
import { createComposer } from './composer.js';
import { h, show } from './dom.js';
import { icon } from './icons.js';
import { createMessageList } from './message-list.js';
import { createPrechatForm } from './prechat-form.js';
import { createRating } from './rating.js';
import { createOfflineContact } from './offline-contact.js';

const LINK_NOTICE: Partial<Record<WidgetState['link'], string>> = {
  reconnecting: 'Reconnecting…',
  unavailable: 'Chat is unavailable right now. Please try again later.',
};

/** The chat window: header with presence, notices, conversation, then pre-chat form or composer. */
export function createPanel(s0: WidgetState, origin: string, chat: Chat, close: () => void) {
  const title = h('h2', { id: 'ol-title' }, s0.config.title);
  const statusText = h('span', {});
  const status = h('p', { class: 'status' }, h('span', { class: 'dot', 'aria-hidden': 'true' }), statusText);
  const offline = h('p', { class: 'banner offline' }, "We're offline — leave a message and we'll reply here");
  const linkNotice = h('p', { class: 'banner link', role: 'status' });
  const list = createMessageList(origin, (id) => chat.retry(id));
  const prechat = createPrechatForm(s0.config, (body) => void chat.submitPrechat(body));
  const rating = createRating(chat);
  const offlineContact = createOfflineContact(chat);
  const composer = createComposer(s0.config, { send: (t) => chat.send(t), attach: (f) => chat.attach(f), typed: () => chat.typed() });

  const el = h(
    'section',
    { class: 'panel', role: 'dialog', 'aria-labelledby': title.id, hidden: true },
    h(
      'header',
      { class: 'header' },
      h('div', { class: 'heading' }, title, status),
      h('button', { type: 'button', class: 'icon-btn', 'aria-label': 'Minimize chat', onclick: close }, icon('minimize')),
    ),
    offline,
    offlineContact.el,
    linkNotice,
    list.el,
    rating.el,
    prechat.el,
    composer.el,
  );

  let askedFirst = s0.prechat !== 'done';

  function update(s: WidgetState): void {
    const wasHidden = el.hidden;
    show(el, s.open);
    status.classList.toggle('online', s.online);
    statusText.textContent = s.online ? 'Online' : 'Offline';
    show(offline, !s.online);
    linkNotice.textContent = LINK_NOTICE[s.link] ?? '';
    show(linkNotice, Boolean(LINK_NOTICE[s.link]));
    const askFirst = s.prechat !== 'done';
    show(prechat.el, askFirst);
    show(composer.el, !askFirst);
    list.update(s);
    rating.update(s);
    offlineContact.update(s);
    prechat.update(s);
    composer.update(s);
    if (wasHidden && s.open) {
      list.scrollToEnd();
      (askFirst ? prechat : composer).focus();
    } else if (askedFirst && !askFirst && s.open) {
      composer.focus();
    }
    askedFirst = askFirst;
  }

  return { el, update };
}
