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
