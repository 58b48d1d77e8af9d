import type { VisitorMessage } from '../../../shared/visitor-socket.js';

/** A message the visitor wrote that the server has not confirmed yet. */
export interface Outgoing {
  /** Idempotency key sent with every attempt, so a retry is stored once. */
  clientId: string;
  text: string;
  /** What the visitor picked, for display; the `File` itself stays with the controller. */
  file: { name: string; size: number; type: string } | null;
  state: 'sending' | 'failed';
  error: string | null;
  createdAt: string;
}

/** Server messages (sorted by id, unique) followed by the visitor's unconfirmed ones. */
export interface Timeline {
  messages: VisitorMessage[];
  outgoing: Outgoing[];
}

export const EMPTY_TIMELINE: Timeline = { messages: [], outgoing: [] };

/**
 * Adds server messages, keeping one copy per id in id order. The same message can arrive from a
 * `send` ack, a `message` push and a `sync` after reconnecting, in any order.
 */
export function mergeMessages(current: VisitorMessage[], incoming: readonly VisitorMessage[]): VisitorMessage[] {
  if (incoming.length === 0) return current;
  const byId = new Map(current.map((m) => [m.id, m]));
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/**
 * Server messages arriving by push or sync. One of them may be the visitor's own message whose ack
 * was lost: its `clientId` matches an unconfirmed bubble, which it then replaces.
 */
export function receive(t: Timeline, incoming: readonly VisitorMessage[]): Timeline {
  const confirmed = new Set(incoming.map((m) => m.clientId).filter((c): c is string => c !== null));
  return { messages: mergeMessages(t.messages, incoming), outgoing: t.outgoing.filter((o) => !confirmed.has(o.clientId)) };
}

/** The cursor for `sync`: everything up to here is already on screen. */
export function lastMessageId(messages: readonly VisitorMessage[]): number {
  return messages.at(-1)?.id ?? 0;
}

export function addOutgoing(t: Timeline, o: Outgoing): Timeline {
  return { ...t, outgoing: [...t.outgoing, o] };
}

/** The server stored the message: its copy replaces the optimistic bubble. */
export function confirmOutgoing(t: Timeline, clientId: string, message: VisitorMessage): Timeline {
  return { messages: mergeMessages(t.messages, [message]), outgoing: t.outgoing.filter((o) => o.clientId !== clientId) };
}

export function setOutgoingState(t: Timeline, clientId: string, state: Outgoing['state'], error: string | null = null): Timeline {
  return { ...t, outgoing: t.outgoing.map((o) => (o.clientId === clientId ? { ...o, state, error } : o)) };
}

/** Operator replies newer than what the visitor has seen with the panel open. */
export function unreadCount(messages: readonly VisitorMessage[], lastReadId: number): number {
  return messages.filter((m) => m.direction === 'out' && m.id > lastReadId).length;
}
