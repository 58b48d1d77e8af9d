/** Pure rules for what the composer allows on a channel, unit-tested beside. */
import type { Capabilities } from '../../../shared/channel';

export type ComposeMode = 'reply' | 'note';

/** Used when the channel list has not answered yet: permissive, the server has the last word. */
export const FALLBACK_CAPABILITIES: Capabilities = {
  attachments: true,
  maxTextLength: 20_000,
  maxAttachmentBytes: 25 * 1024 * 1024,
  edits: false,
  readReceipts: false,
  typing: true,
  replyWindowHours: null,
};

/** Notes are internal: the server allows 20,000 characters whatever the channel. */
export const NOTE_MAX_LENGTH = 20_000;

export function maxLength(caps: Capabilities, mode: ComposeMode): number {
  return mode === 'note' ? NOTE_MAX_LENGTH : Math.min(caps.maxTextLength, NOTE_MAX_LENGTH);
}

export type FileProblem = { key: 'composer.noAttachments' | 'composer.noteNoAttachments' | 'composer.fileTooLarge'; name: string };

export function checkFile(file: { name: string; size: number }, caps: Capabilities, mode: ComposeMode): FileProblem | null {
  if (mode === 'note') return { key: 'composer.noteNoAttachments', name: file.name };
  if (!caps.attachments) return { key: 'composer.noAttachments', name: file.name };
  if (caps.maxAttachmentBytes > 0 && file.size > caps.maxAttachmentBytes) return { key: 'composer.fileTooLarge', name: file.name };
  return null;
}

/** True when the channel only allows free-form replies for some hours after the client's last message, and they passed. */
export function replyWindowClosed(caps: Capabilities, lastInboundAt: string | null, now: number): boolean {
  if (caps.replyWindowHours === null || lastInboundAt === null) return false;
  return now - Date.parse(lastInboundAt) > caps.replyWindowHours * 3600_000;
}

export type ReplyWindow = { state: 'none' } | { state: 'open'; minutesLeft: number } | { state: 'closed' };

/**
 * Where the channel's reply window stands: `none` when the channel has none (or the client has not
 * written yet, so nothing to count from), `open` with the minutes left, or `closed` (templates only).
 */
export function replyWindow(caps: Capabilities, lastInboundAt: string | null, now: number): ReplyWindow {
  if (caps.replyWindowHours === null || lastInboundAt === null) return { state: 'none' };
  const left = Date.parse(lastInboundAt) + caps.replyWindowHours * 3600_000 - now;
  return left > 0 ? { state: 'open', minutesLeft: Math.ceil(left / 60_000) } : { state: 'closed' };
}

/** How many variables a template body takes: its highest `{{n}}`. */
export function templateVariableCount(body: string): number {
  let max = 0;
  for (const m of body.matchAll(/\{\{\s*(\d+)\s*\}\}/g)) max = Math.max(max, Number(m[1]));
  return max;
}

/** The body as the client will read it; an empty variable shows as its `{{n}}`. */
export function previewTemplate(body: string, variables: readonly string[]): string {
  return body.replace(/\{\{\s*(\d+)\s*\}\}/g, (whole, n: string) => variables[Number(n) - 1]?.trim() || whole);
}

export interface SendCheck {
  text: string;
  mode: ComposeMode;
  attachments: number;
  uploading: boolean;
  caps: Capabilities;
}

/** Whether Send may go: something to send, within limits, uploads done. */
export function canSend(c: SendCheck): boolean {
  if (c.uploading) return false;
  const text = c.text.trim();
  if (text.length > maxLength(c.caps, c.mode)) return false;
  if (c.mode === 'note') return text.length > 0;
  return text.length > 0 || c.attachments > 0;
}
