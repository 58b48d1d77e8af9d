import { findEmbedScript, readEmbedOptions, type EmbedOptions } from './embed/script-origin.js';
import { startWidget } from './widget.js';

const LOADED = Symbol.for('omniline.widget');

// Read synchronously: `document.currentScript` is gone once the first await has happened.
const script = findEmbedScript(document);
const embed = script && readEmbedOptions(script.getAttribute('src') ?? '', document.baseURI, script.dataset.key, script.dataset.open);

if (!embed) {
  console.warn('Omniline: add data-key="…" to the <script src=".../widget.js"> tag to start the chat widget.');
} else if (!(LOADED in window)) {
  // The flag stops a second copy (say the template's and a tag manager's) from drawing a second widget.
  Object.defineProperty(window, LOADED, { value: true });
  start(embed);
}

function start(options: EmbedOptions): void {
  if (document.body) void startWidget(options);
  else document.addEventListener('DOMContentLoaded', () => void startWidget(options), { once: true });
}
