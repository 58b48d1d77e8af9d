import type { SecretBox } from '../secrets/secret-box.js';

/**
 * Short, unguessable conversation tokens for threaded channels: `<id>-<mac>`, small enough for a
 * `reply+TOKEN@` address and a subject tag, and useless for any other conversation.
 */
export class ReplyTokens {
  constructor(private readonly box: SecretBox) {}

  issue(conversationId: number): string {
    return `${conversationId}-${this.mac(conversationId)}`;
  }

  /** The conversation id, or null when the token was not issued by this hub. */
  read(token: string): number | null {
    const m = /^(\d{1,10})-([A-Za-z0-9_-]{12})$/.exec(token.trim());
    if (!m) return null;
    const id = Number(m[1]);
    return this.mac(id) === m[2] ? id : null;
  }

  private mac(id: number): string {
    return this.box.sign('reply-token', { c: id }).split('.')[1]!.slice(0, 12);
  }
}
