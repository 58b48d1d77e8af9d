import type { VisitorMessage } from '../../../shared/visitor-socket.js';
import { formatBytes, formatMessageTime } from '../core/format.js';
import { splitLinks } from '../core/linkify.js';
import type { Outgoing } from '../core/timeline.js';
import { safeHttpUrl } from '../core/urls.js';
import { h } from './dom.js';
import { icon } from './icons.js';

type Attachment = VisitorMessage['attachments'][number];

/** Message text as text nodes plus safe anchors: user content never goes through innerHTML. */
export function renderText(text: string): HTMLElement {
  const parts = splitLinks(text).map((p) =>
    p.kind === 'text' ? p.text : h('a', { href: p.href, target: '_blank', rel: 'noopener noreferrer nofollow' }, p.text),
  );
  return h('p', { class: 'text' }, ...parts);
}

/** Attachment URLs are relative to the Omniline server, not to the page the widget sits on. */
function renderAttachment(a: Attachment, origin: string, onImageLoad: () => void): HTMLElement {
  const href = safeHttpUrl(a.url, origin);
  const label = `${a.fileName} (${formatBytes(a.size)})`;
  if (!href) return h('span', { class: 'file' }, icon('file', 18), label);
  if (a.mimeType.startsWith('image/')) {
    const img = h('img', { src: href, alt: a.fileName, loading: 'lazy', onload: onImageLoad });
    return h('a', { class: 'image', href, target: '_blank', rel: 'noopener noreferrer', title: label }, img);
  }
  return h('a', { class: 'file', href, target: '_blank', rel: 'noopener noreferrer', download: a.fileName }, icon('file', 18), label);
}

/** A stored message; `showAuthor` is false inside a run of replies by the same operator. */
export function renderMessage(m: VisitorMessage, opts: { origin: string; showAuthor: boolean; now: Date; onImageLoad: () => void }): HTMLElement {
  const mine = m.direction === 'in';
  return h(
    'div',
    { class: mine ? 'msg mine' : 'msg theirs' },
    !mine && opts.showAuthor && m.authorName ? h('span', { class: 'author' }, m.authorName) : null,
    h(
      'div',
      { class: 'bubble' },
      m.text ? renderText(m.text) : null,
      ...m.attachments.map((a) => renderAttachment(a, opts.origin, opts.onImageLoad)),
    ),
    h('span', { class: 'meta' }, formatMessageTime(m.createdAt, opts.now)),
  );
}

/** The visitor's optimistic bubble: "Sending…", or a retry button once it failed. */
export function renderOutgoing(o: Outgoing, onRetry: (clientId: string) => void): HTMLElement {
  const failed = o.state === 'failed';
  const file = o.file ? h('span', { class: 'file' }, icon('file', 18), `${o.file.name} (${formatBytes(o.file.size)})`) : null;
  const status = failed
    ? h('button', { type: 'button', class: 'retry', onclick: () => onRetry(o.clientId) }, `${o.error ?? 'Not delivered.'} Tap to retry`)
    : h('span', { class: 'meta' }, o.file ? 'Uploading…' : 'Sending…');
  return h('div', { class: `msg mine ${failed ? 'failed' : 'pending'}` }, h('div', { class: 'bubble' }, o.text ? renderText(o.text) : null, file), status);
}
