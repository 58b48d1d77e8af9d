// @vitest-environment happy-dom
// @vitest-environment-options {"settings":{"disableJavaScriptFileLoading":true,"handleDisabledFileLoadingAsSuccess":true}}
// The fixture tags below must not be fetched; happy-dom would otherwise try and log each failure.
import { afterEach, describe, expect, it } from 'vitest';
import { findEmbedScript, readEmbedOptions } from './script-origin.js';

describe('readEmbedOptions', () => {
  it('takes the server origin from the script src, not from the host page', () => {
    expect(readEmbedOptions('https://hub.example/widget.js?v=2', 'https://shop.example/p/1', 'KEY12345', undefined)).toEqual({
      origin: 'https://hub.example',
      key: 'KEY12345',
      openOnLoad: false,
    });
  });

  it('resolves a relative src against the page (the demo page is served by the hub itself)', () => {
    expect(readEmbedOptions('/widget.js', 'http://localhost:3000/demo', 'k', 'true')).toEqual({ origin: 'http://localhost:3000', key: 'k', openOnLoad: true });
  });

  it('gives null without a key or with a non-http src', () => {
    expect(readEmbedOptions('https://hub.example/widget.js', 'https://a.example/', ' ', undefined)).toBeNull();
    expect(readEmbedOptions('file:///widget.js', 'file:///index.html', 'k', undefined)).toBeNull();
  });
});

describe('findEmbedScript', () => {
  afterEach(() => {
    document.head.replaceChildren();
  });

  it('falls back to the widget.js tag with a data-key when currentScript is not set', () => {
    document.head.innerHTML = `
      <script src="https://cdn.example/analytics.js" data-key="nope"></script>
      <script src="https://hub.example/other/widget.js"></script>
      <script src="https://hub.example/widget.js?v=3" data-key="KEY12345"></script>`;
    expect(findEmbedScript(document)?.dataset.key).toBe('KEY12345');
  });

  it('gives null when the page has no embed tag', () => {
    expect(findEmbedScript(document)).toBeNull();
  });
});
