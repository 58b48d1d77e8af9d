import { EntitySchema } from 'typeorm';
import { id, int, ref, text, time } from '../db/columns.js';

/** A public outbound message waiting to be handed to its connector. Deleted once sent or failed for good. */
export interface OutboxItem {
  id: number;
  messageId: number;
  channelId: number;
  attempts: number;
  nextAttemptAt: number;
  lockedUntil: number | null;
  lastError: string | null;
  /** Set just before the connector is called, cleared when the attempt's outcome is known: a value at claim time means a send was cut off. */
  sendStartedAt: number | null;
  createdAt: number;
}

export const OutboxEntity = new EntitySchema<OutboxItem>({
  name: 'OutboxItem',
  tableName: 'outbox',
  columns: {
    id,
    messageId: { ...ref(), name: 'message_id', unique: true },
    channelId: { ...ref(), name: 'channel_id' },
    attempts: int(0),
    nextAttemptAt: { ...time(), name: 'next_attempt_at' },
    lockedUntil: { ...time(true), name: 'locked_until' },
    lastError: { ...text(true, 1000), name: 'last_error' },
    sendStartedAt: { ...time(true), name: 'send_started_at' },
    createdAt: { ...time(), name: 'created_at' },
  },
});
