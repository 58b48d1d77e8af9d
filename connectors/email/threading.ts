/**
 * Threading facts of one mail: Message-IDs in one normal form (`<id@host>`), the references the hub
 * matches first, the reply token it matches next (with its sender check), and the thread key that
 * keeps separate threads of one sender apart.
 */

const TOKEN = String.raw`\d{1,10}-[A-Za-z0-9_-]{12}`;
const TOKEN_IN_ADDRESS = new RegExp(String.raw`\+(${TOKEN})@`);
const TOKEN_IN_SUBJECT = new RegExp(String.raw`\[#(${TOKEN})\]`);
const MAX_REFS = 100;

/** `<id@host>`: trimmed, inner whitespace removed, angle brackets added when missing; null for nothing usable. */
export function normalizeMessageId(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const inner = raw.trim().replace(/^<|>$/g, '').replace(/\s+/g, '');
  if (!inner || inner.length > 480) return null;
  return `<${inner}>`;
}

/** Every Message-ID in a References / In-Reply-To value (a string or mailparser's array), in order. */
export function messageIdsIn(value: unknown): string[] {
  const parts = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  const ids: string[] = [];
  for (const p of parts) {
    if (typeof p !== 'string') continue;
    const found = p.match(/<[^<>\s]+>/g) ?? p.split(/\s+/);
    for (const f of found) {
      const id = normalizeMessageId(f);
      if (id) ids.push(id);
    }
  }
  return ids;
}

export interface ThreadHeaders {
  messageId: string;
  inReplyTo: string[];
  references: string[];
}

/** What the hub matches an existing conversation by, best first: In-Reply-To, then References newest first. */
export function threadRefs(h: ThreadHeaders): string[] {
  const out = [...h.inReplyTo, ...[...h.references].reverse()].filter((id) => id !== h.messageId);
  return [...new Set(out)].slice(0, MAX_REFS);
}

/** The thread's root: the first Reference, else In-Reply-To, else the mail itself. */
export function threadKey(h: ThreadHeaders): string {
  return h.references[0] ?? h.inReplyTo[0] ?? h.messageId;
}

/**
 * The reply token of a mail: in a `local+TOKEN@domain` recipient (To, Cc, Delivered-To, …) or a
 * `[#TOKEN]` subject tag. The hub honours it only when the sender is the conversation's contact.
 */
export function findReplyToken(recipients: readonly string[], subject: string | undefined): string | undefined {
  for (const r of recipients) {
    const m = TOKEN_IN_ADDRESS.exec(r);
    if (m) return m[1];
  }
  return subject ? TOKEN_IN_SUBJECT.exec(subject)?.[1] : undefined;
}

const REPLY_PREFIX = /^\s*((re|fwd?|aw|wg|sv|vs|antw|odp|ответ|отв|rif|tr)(\[\d+\])?\s*:\s*)+/i;

/** `Re: <subject>` without stacked prefixes (`Re: RE: Fwd:`); an empty subject stays recognisable. */
export function replySubject(subject: string | undefined, fallback: string): string {
  const base = (subject ?? '').replace(REPLY_PREFIX, '').trim();
  return `Re: ${base || fallback}`;
}

/** Adds the conversation's `[#token]` tag once. */
export function tagSubject(subject: string, token: string): string {
  return subject.includes(`[#${token}]`) ? subject : `${subject} [#${token}]`;
}

/** `local+token@domain` for the From address. */
export function plusAddress(address: string, token: string): string {
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at).split('+')[0];
  return `${local}+${token}${address.slice(at)}`;
}

/** The References of our reply: the conversation's ids oldest first, ending with the mail we answer. */
export function replyReferences(earlier: readonly string[], inReplyTo: string | null): string[] {
  const ids = [...earlier, ...(inReplyTo ? [inReplyTo] : [])].map(normalizeMessageId).filter((x): x is string => !!x);
  const unique = [...new Set(ids.reverse())].reverse();
  // Keep the root and the newest: mail servers cap header length, and both ends carry the thread.
  return unique.length > 20 ? [unique[0]!, ...unique.slice(-19)] : unique;
}
