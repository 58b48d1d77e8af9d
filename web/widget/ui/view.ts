import { textColorOn } from '../core/color.js';
import type { Chat } from '../chat.js';
import type { WidgetState } from '../state.js';
import { h } from './dom.js';
import { createLauncher } from './launcher.js';
import { createPanel } from './panel.js';
import { WIDGET_CSS } from './styles.js';

export interface ViewActions {
  toggle(): void;
  close(): void;
}

/**
 * Puts the widget on the page inside a shadow root attached to its own custom element. Styles are
 * adopted as a constructed sheet where supported, which pages with a strict CSP also allow.
 */
export function mountView(s0: WidgetState, origin: string, chat: Chat, actions: ViewActions) {
  const host = document.createElement('omniline-widget');
  // Page rules such as `body > * { transform: … }` would re-anchor our fixed layers; pin the host.
  host.style.setProperty('all', 'initial', 'important');
  const shadow = host.attachShadow({ mode: 'open' });
  if ('adoptedStyleSheets' in shadow && typeof CSSStyleSheet.prototype.replaceSync === 'function') {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(WIDGET_CSS);
    shadow.adoptedStyleSheets = [sheet];
  } else {
    shadow.append(h('style', {}, WIDGET_CSS));
  }

  const launcher = createLauncher(actions.toggle);
  const closeToLauncher = () => {
    actions.close();
    // After the render the close schedules: on phones the launcher is hidden until then.
    queueMicrotask(() => launcher.el.focus());
  };
  const panel = createPanel(s0, origin, chat, closeToLauncher);
  const root = h('div', { class: 'root' }, panel.el, launcher.el);
  root.style.setProperty('--accent', s0.config.color);
  root.style.setProperty('--on-accent', textColorOn(s0.config.color));
  shadow.append(root);
  shadow.addEventListener('keydown', (e) => {
    if ((e as KeyboardEvent).key === 'Escape' && !panel.el.hidden) closeToLauncher();
  });
  document.body.append(host);

  return {
    render(s: WidgetState): void {
      root.classList.toggle('open', s.open);
      launcher.update(s);
      panel.update(s);
    },
  };
}
