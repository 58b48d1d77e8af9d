import { z } from 'zod';
import type { Ack } from './errors.js';
import type { EventEnvelope } from './events.js';
import { Presence } from './users.js';

/** Operator namespace, authenticated by the session cookie. */
export const OPERATOR_NAMESPACE = '/operator';

export const SyncRequest = z.object({ afterSeq: z.number().int().nonnegative().nullable() });
export type SyncRequest = z.infer<typeof SyncRequest>;
/** Events after `afterSeq` within the caller's scope, oldest first; `afterSeq: null` only returns the current `lastSeq`. */
export type SyncResult = { events: EventEnvelope[]; lastSeq: number; hasMore: boolean };

export const TypingRequest = z.object({
  conversationId: z.number().int().positive(),
  typing: z.boolean(),
  /** Only `reply` typing is shown to the client; `note` typing stays among colleagues. */
  mode: z.enum(['reply', 'note']),
});
export type TypingRequest = z.infer<typeof TypingRequest>;

export const PresenceRequest = z.object({ presence: Presence });

export interface OperatorServerEvents {
  /** Committed events in seq order, several to a frame when they come fast (one write per socket instead of one per event). */
  events: (batch: EventEnvelope[]) => void;
  presence: (p: { userId: number; presence: Presence }) => void;
  typing: (t: { conversationId: number; who: 'client' | 'operator'; userId: number | null; typing: boolean; mode: 'reply' | 'note' }) => void;
}

export interface OperatorClientEvents {
  sync: (req: SyncRequest, ack: (res: Ack<SyncResult>) => void) => void;
  typing: (req: TypingRequest, ack?: (res: Ack<object>) => void) => void;
  presence: (req: z.infer<typeof PresenceRequest>, ack?: (res: Ack<object>) => void) => void;
}
