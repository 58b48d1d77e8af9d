import type { WidgetState } from '../state.js';
import { h, show } from './dom.js';
import { icon } from './icons.js';

export interface ComposerActions {
  send(text: string): void;
  attach(file: File): void;
  typed(): void;
}

const MAX_HEIGHT_PX = 120;

/** Textarea (Enter sends, Shift+Enter breaks the line), attach button, send button and a notice line. */
export function createComposer(config: WidgetState['config'], actions: ComposerActions) {
  const notice = h('p', { class: 'notice', role: 'alert' });
  const input = h('textarea', { rows: '1', placeholder: 'Write a message…', 'aria-label': 'Message', maxlength: '5000' });
  const sendButton = h('button', { type: 'submit', class: 'icon-btn send', 'aria-label': 'Send message', disabled: true }, icon('send', 20));
  const file = h('input', { type: 'file', hidden: true, tabindex: '-1', accept: config.attachments.allowedTypes.join(',') });
  const attachButton = config.attachments.enabled
    ? h('button', { type: 'button', class: 'icon-btn attach', 'aria-label': 'Attach a file', onclick: () => file.click() }, icon('attach', 20))
    : null;

  const fit = () => {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, MAX_HEIGHT_PX)}px`;
    sendButton.disabled = input.value.trim().length === 0;
  };
  const submit = () => {
    if (!input.value.trim()) return;
    actions.send(input.value);
    input.value = '';
    fit();
    input.focus();
  };

  input.addEventListener('input', () => {
    fit();
    actions.typed();
  });
  input.addEventListener('keydown', (e) => {
    // `isComposing`: Enter that confirms an IME candidate (Japanese, Chinese…) must not send.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    }
  });
  file.addEventListener('change', () => {
    const picked = file.files?.[0];
    file.value = '';
    if (picked) actions.attach(picked);
  });

  const el = h(
    'form',
    { class: 'composer', onsubmit: (e: Event) => (e.preventDefault(), submit()) },
    notice,
    h('div', { class: 'row' }, attachButton, file, input, sendButton),
  );

  function update(s: WidgetState): void {
    notice.textContent = s.notice ?? '';
    show(notice, s.notice !== null);
  }

  return { el, update, focus: () => input.focus() };
}
