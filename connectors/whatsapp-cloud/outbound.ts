import { SendError } from '../contract.js';
import type { OutboundMessage } from '../../shared/outbound.js';
import { splitText } from '../telegram/outbound.js';
import { waDigits } from '../whatsapp/phone.js';
import { GraphError, type GraphClient } from './graph.js';
import { SERVICE_WINDOW_HOURS, WhatsappTemplate } from './settings.js';

/** Cloud API limits: 4,096 characters of text, 1,024 of caption. */
const TEXT_LIMIT = 4096;
const CAPTION_LIMIT = 1024;
const MB = 1024 * 1024;
/** Which send type carries a file, by MIME type and size (larger or other files go as documents, up to 100 MB). */
const KINDS: Array<{ kind: 'image' | 'video' | 'audio'; types: RegExp; max: number }> = [
  { kind: 'image', types: /^image\/(jpeg|png)$/, max: 5 * MB },
  { kind: 'video', types: /^video\/(mp4|3gpp)$/, max: 16 * MB },
  { kind: 'audio', types: /^audio\/(aac|mp4|mpeg|amr|ogg)$/, max: 16 * MB },
];

/** Graph error codes that mean "later": throughput, pair rate, spam rate, temporary errors. */
const TRANSIENT_CODES = new Set([1, 2, 4, 17, 80007, 130429, 131000, 131016, 131048, 131056, 133004]);
const WINDOW_CLOSED = `The 24-hour customer service window is closed: WhatsApp only lets you send an approved template until the customer writes again`;

export type CloudPayload = Record<string, unknown>;

export function mediaKind(mimeType: string, size: number): 'image' | 'video' | 'audio' | 'document' {
  return KINDS.find((k) => k.types.test(mimeType) && size <= k.max)?.kind ?? 'document';
}

/** The template body the Graph API expects: variables fill the body's {{1}}, {{2}}, … */
export function templatePayload(t: WhatsappTemplate): CloudPayload {
  return {
    type: 'template',
    template: {
      name: t.name, language: { code: t.language },
      ...(t.variables.length ? { components: [{ type: 'body', parameters: t.variables.map((text) => ({ type: 'text', text })) }] } : {}),
    },
  };
}

/** Whether free-form messages may go: the customer wrote within the last 24 hours. */
export function windowOpen(lastInboundAt: number | null, now = Date.now()): boolean {
  return lastInboundAt !== null && now - lastInboundAt < SERVICE_WINDOW_HOURS * 3600_000;
}

/** The template an outbound message asks for (`template` on the message, once the hub carries it), or null. */
export function templateOf(m: OutboundMessage): WhatsappTemplate | null {
  const raw = (m as OutboundMessage & { template?: unknown }).template;
  if (raw === undefined || raw === null) return null;
  const parsed = WhatsappTemplate.safeParse(raw);
  if (!parsed.success) throw new SendError(`Invalid WhatsApp template: ${parsed.error.issues[0]?.message}`, false);
  return parsed.data;
}

export function toSendError(err: unknown): SendError {
  if (err instanceof SendError) return err;
  if (err instanceof GraphError) {
    if (err.code === 131047) return new SendError(WINDOW_CLOSED, false);
    if (err.code === 190) return new SendError('WhatsApp rejected the access token (190): renew it in the channel settings', false);
    const reason = `WhatsApp: ${err.message}${err.details ? `: ${err.details}` : ''}${err.code ? ` (${err.code})` : ''}`;
    const transient = err.status >= 500 || err.status === 429 || (err.code !== null && TRANSIENT_CODES.has(err.code));
    return new SendError(reason, transient);
  }
  return new SendError(`WhatsApp unreachable: ${(err as Error).message}`, true);
}

/**
 * Sends one message: a template, or text (split over 4,096 characters) and files (uploaded, then sent
 * by media id; a short text rides as the first file's caption). Free-form content is refused before any
 * call when the 24-hour window is closed. Resolves with the first WhatsApp message id.
 */
export async function sendCloud(
  graph: GraphClient,
  m: OutboundMessage,
  lastInboundAt: number | null,
  progress = new Map<number, string[]>(),
): Promise<{ externalId: string }> {
  const to = waDigits(m.recipientExternalId);
  const template = templateOf(m);
  const payloads: CloudPayload[] = [];
  if (template) payloads.push(templatePayload(template));
  else {
    if (!windowOpen(lastInboundAt)) throw new SendError(WINDOW_CLOSED, false);
    const text = m.text.trim();
    const captioned = m.attachments.length > 0 && text.length > 0 && text.length <= CAPTION_LIMIT;
    if (text && !captioned) for (const part of splitText(text, TEXT_LIMIT)) payloads.push({ type: 'text', text: { body: part, preview_url: false } });
    for (const [i, a] of m.attachments.entries()) {
      const kind = mediaKind(a.mimeType, a.size);
      const id = await graph.upload(a.path, a.mimeType, a.fileName).catch((err) => Promise.reject(toSendError(err)));
      const caption = captioned && i === 0 && kind !== 'audio' ? { caption: text } : {};
      payloads.push({ type: kind, [kind]: { id, ...caption, ...(kind === 'document' ? { filename: a.fileName } : {}) } });
    }
  }
  if (!payloads.length) throw new SendError('Nothing to send: the message has no text and no files', false);
  // Parts sent by an earlier, interrupted attempt of this message are not sent again.
  const ids = progress.get(m.messageId) ?? [];
  for (const p of payloads.slice(ids.length)) {
    try {
      ids.push((await graph.sendMessage({ to, ...p })).messages[0]!.id);
      progress.set(m.messageId, ids);
    } catch (err) {
      const e = toSendError(err);
      if (!e.transient) progress.delete(m.messageId);
      throw e;
    }
  }
  progress.delete(m.messageId);
  return { externalId: ids[0]! };
}
