import { EntitySchema } from 'typeorm';
import { ref, text, time } from '../db/columns.js';

/**
 * A colleague in a dialog besides its assignee: `invited` (asked to help, sees the whole history)
 * or `silent` (a supervisor following it; the client is never told).
 */
export interface Participant {
  conversationId: number;
  userId: number;
  mode: 'invited' | 'silent';
  addedBy: number | null;
  addedAt: number;
}

export const ParticipantEntity = new EntitySchema<Participant>({
  name: 'Participant',
  tableName: 'conversation_participants',
  columns: {
    conversationId: { ...ref(), primary: true, name: 'conversation_id' },
    userId: { ...ref(), primary: true, name: 'user_id' },
    mode: text(false, 10),
    addedBy: { ...ref(true), name: 'added_by' },
    addedAt: { ...time(), name: 'added_at' },
  },
});

/** An operator's pinned dialog, kept at the top of their inbox. */
export interface Pin {
  userId: number;
  conversationId: number;
  pinnedAt: number;
}

export const PinEntity = new EntitySchema<Pin>({
  name: 'Pin',
  tableName: 'conversation_pins',
  columns: {
    userId: { ...ref(), primary: true, name: 'user_id' },
    conversationId: { ...ref(), primary: true, name: 'conversation_id' },
    pinnedAt: { ...time(), name: 'pinned_at' },
  },
});
