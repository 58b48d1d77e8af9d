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
    createdAt: { ...time(), name: 'created_at' },
  },
});
