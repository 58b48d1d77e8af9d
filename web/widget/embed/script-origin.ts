/** What the embedding `<script>` tag tells the widget. */
export interface EmbedOptions {
  /** Origin of the Omniline server: every API call and the socket go there, not to the host page. */
  origin: string;
  key: string;
  /** `data-open="true"`: show the panel on load. */
  openOnLoad: boolean;
}

const WIDGET_SRC = /\/widget\.js(?:[?#]|$)/;

/**
 * The tag that loaded this bundle. `document.currentScript` is only set while the bundle's top
 * level runs, so this must be called synchronously at start-up; the fallback covers loaders that
 * inject the bundle in ways that leave it null.
 */
export function findEmbedScript(doc: Document): HTMLScriptElement | null {
  const current = doc.currentScript;
  if (current && current.tagName === 'SCRIPT' && (current as HTMLScriptElement).dataset.key) return current as HTMLScriptElement;
  const candidates = Array.from(doc.querySelectorAll<HTMLScriptElement>('script[src][data-key]'));
  return candidates.find((s) => WIDGET_SRC.test(s.src)) ?? null;
}

/** Reads the options from the tag's `src` and `data-*` values; null when the key is missing or the src unusable. */
export function readEmbedOptions(src: string, baseUri: string, key: string | undefined, open: string | undefined): EmbedOptions | null {
  if (!key?.trim()) return null;
  let origin: string;
  try {
    origin = new URL(src, baseUri).origin;
  } catch {
    return null;
  }
  if (!origin.startsWith('http')) return null;
  return { origin, key: key.trim(), openOnLoad: open === 'true' };
}
