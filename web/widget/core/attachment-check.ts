import type { WidgetConfig } from '../../../shared/visitor-socket.js';
import { formatBytes } from './format.js';

type AttachmentRules = WidgetConfig['attachments'];

/**
 * Checks a picked file before uploading it, so the visitor learns at once (and without spending
 * their data plan) that it would be refused; the server checks again and has the last word.
 * Returns the message to show, or null when the file may go.
 */
export function checkAttachment(file: { name: string; size: number; type: string }, rules: AttachmentRules): string | null {
  if (!rules.enabled) return 'Attachments are turned off for this chat.';
  if (file.size === 0) return `“${file.name}” is empty.`;
  if (rules.maxBytes > 0 && file.size > rules.maxBytes) {
    return `“${file.name}” is ${formatBytes(file.size)}; the limit is ${formatBytes(rules.maxBytes)}.`;
  }
  if (!isAllowedType(file, rules.allowedTypes)) return `Files like “${file.name}” can't be sent here.`;
  return null;
}

/**
 * Matches the way an `<input accept>` list does: exact MIME types, `type/*` wildcards and
 * `.ext` suffixes. An empty list allows nothing, as on the server.
 */
export function isAllowedType(file: { name: string; type: string }, allowed: readonly string[]): boolean {
  const mime = file.type.toLowerCase();
  const name = file.name.toLowerCase();
  return allowed.some((rule) => {
    const r = rule.trim().toLowerCase();
    if (r.startsWith('.')) return name.endsWith(r);
    if (r.endsWith('/*')) return mime.startsWith(r.slice(0, -1));
    return mime === r;
  });
}
