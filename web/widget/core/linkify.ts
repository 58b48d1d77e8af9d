import { safeHttpUrl } from './urls.js';

export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const URL_LIKE = /\bhttps?:\/\/[^\s<>"]+/gi;
const TRAILING = /[.,;:!?'"\]}>]+$/;

/**
 * Splits message text into plain runs and http(s) links, for rendering as text nodes and anchors
 * (never as HTML). Sentence punctuation after a link stays text; a closing parenthesis stays in the
 * link only when the link opened one, as Wikipedia URLs do.
 */
export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_LIKE)) {
    const start = match.index;
    let candidate = match[0].replace(TRAILING, '');
    if (candidate.endsWith(')') && !candidate.includes('(')) candidate = candidate.slice(0, -1).replace(TRAILING, '');
    const href = safeHttpUrl(candidate);
    if (!href) continue;
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    parts.push({ kind: 'link', text: candidate, href });
    last = start + candidate.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}
