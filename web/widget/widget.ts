import type { WidgetConfig } from '../../shared/visitor-socket.js';
import { createChat } from './chat.js';
import type { EmbedOptions } from './embed/script-origin.js';
import { createWidgetApi } from './net/api.js';
import { createVisitorStorage } from './net/storage.js';
import { socketLinkFactory } from './net/visitor-socket.js';
import { createStore, initialState } from './state.js';
import { mountView } from './ui/view.js';

/** The page-facing API, as `window.Omniline`. */
export interface OmnilineApi {
  open(): void;
  close(): void;
  toggle(): void;
}

declare global {
  interface Window {
    Omniline?: OmnilineApi;
  }
}

/**
 * Loads the line's config, draws the widget, resumes a returning visitor, then exposes
 * `window.Omniline` and fires `omniline:ready`. A widget whose config cannot be loaded stays off
 * the page rather than showing a chat that cannot work.
 */
export async function startWidget(embed: EmbedOptions): Promise<void> {
  const api = createWidgetApi(embed.origin, embed.key);
  const storage = createVisitorStorage(embed.key);
  let config: WidgetConfig;
  try {
    config = await api.config();
  } catch (err) {
    console.warn(`Omniline: chat widget not started (${err instanceof Error ? err.message : String(err)})`);
    return;
  }

  const store = createStore(initialState(config));
  const chat = createChat({ api, openLink: socketLinkFactory(embed.origin, embed.key), storage, store });
  const setOpen = (open: boolean) => {
    storage.setOpen(open);
    store.update({ open });
  };
  const omniline: OmnilineApi = {
    open: () => setOpen(true),
    close: () => setOpen(false),
    toggle: () => setOpen(!store.get().open),
  };
  const view = mountView(store.get(), embed.origin, chat, omniline);
  store.subscribe((s) => {
    view.render(s);
    if (s.open) chat.markRead();
  });
  if (embed.openOnLoad || storage.wasOpen()) omniline.open();
  view.render(store.get());

  window.Omniline = omniline;
  window.dispatchEvent(new CustomEvent('omniline:ready', { detail: omniline }));
  await chat.start();
}
