import sanitize from 'sanitize-html';
import { findHtmlQuote } from './quote.js';

/**
 * Customer HTML made safe before it leaves the connector (the hub sanitizes again at ingest): no
 * scripts, event handlers, forms, frames or styles. Inline `cid:` images point at the stored files;
 * remote images keep their address and are loaded only when the operator asks (the console blocks
 * them). The quoted history is wrapped in `<blockquote lang="x-quoted">` so the console can fold it.
 */

/** The marker the console folds; `lang` is one of the few attributes the hub's sanitizer keeps everywhere. */
export const QUOTE_OPEN = '<blockquote lang="x-quoted">';

const BASE: sanitize.IOptions = {
  allowedTags: [
    'a', 'abbr', 'b', 'blockquote', 'br', 'caption', 'code', 'col', 'colgroup', 'dd', 'del', 'div', 'dl', 'dt', 'em', 'font', 'h1', 'h2',
    'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'ins', 'li', 'mark', 'ol', 'p', 'pre', 'q', 's', 'small', 'span', 'strike', 'strong', 'sub',
    'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'u', 'ul',
  ],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    td: ['colspan', 'rowspan', 'align', 'valign'],
    th: ['colspan', 'rowspan', 'align', 'valign'],
    table: ['width', 'border', 'cellpadding', 'cellspacing'],
    font: ['color'],
    '*': ['dir'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['http', 'https', 'data'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'select', 'button'],
};

/** Inline images by Content-ID (without brackets): the stored attachment's console URL, or null when it was skipped. */
export type CidMap = ReadonlyMap<string, string | null>;

const safeDecode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

function clean(html: string, cids: CidMap): string {
  return sanitize(html, {
    ...BASE,
    transformTags: {
      img: (tagName, attribs) => {
        const src = (attribs.src ?? '').trim();
        const { src: _drop, ...rest } = attribs;
        if (/^cid:/i.test(src)) {
          const url = cids.get(safeDecode(src.slice(4)).replace(/^<|>$/g, '').toLowerCase());
          return { tagName, attribs: url ? { ...rest, src: url } : rest };
        }
        // Remote images keep their address (the console loads them on request); relative ones point nowhere.
        return { tagName, attribs: /^(https?:|data:image\/)/i.test(src) ? attribs : rest };
      },
    },
  });
}

/** Sanitized HTML with the quoted history (if any) folded into the marker. */
export function prepareHtml(html: string, cids: CidMap): { html: string; quoted: boolean } {
  const at = findHtmlQuote(html);
  if (at === null) return { html: clean(html, cids), quoted: false };
  return { html: `${clean(html.slice(0, at), cids)}${QUOTE_OPEN}${clean(html.slice(at), cids)}</blockquote>`, quoted: true };
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Plain text as HTML paragraphs with line breaks and clickable links. */
export function textToHtml(text: string): string {
  const linked = (s: string) => escape(s).replace(/\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)]/g, (u) => `<a href="${u}">${u}</a>`);
  return text
    .replace(/\r\n/g, '\n')
    .split(/\n{2,}/)
    .filter((p) => p.trim())
    .map((p) => `<p>${p.split('\n').map(linked).join('<br>')}</p>`)
    .join('\n');
}

/** A plain-text mail with a quote, as HTML the console can fold (the text itself is stored unchanged). */
export function quotedTextToHtml(text: string, quoteAt: number): string {
  return `${textToHtml(text.slice(0, quoteAt))}${QUOTE_OPEN}${textToHtml(text.slice(quoteAt))}</blockquote>`;
}
