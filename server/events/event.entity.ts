import { EntitySchema } from 'typeorm';
import { json, ref, text, time } from '../db/columns.js';

/**
 * The event log: every state change with a strictly increasing `seq`. It is the timeline, the audit
 * trail and the cursor a reconnecting client resumes from. The scope columns let a resume be
 * filtered on the server exactly as the live push was.
 */
export interface EventRow {
  seq: number;
  type: string;
  lineId: number | null;
  conversationId: number | null;
  assigneeId: number | null;
  /** The assignee before this change, so an operator also hears that a dialog left them. */
  prevAssigneeId: number | null;
  actorId: number | null;
  payload: unknown;
  createdAt: number;
}

export const EventEntity = new EntitySchema<EventRow>({
  name: 'Event',
  tableName: 'events',
  columns: {
    seq: { type: 'integer', primary: true, generated: 'increment' },
    type: text(false, 50),
    lineId: { ...ref(true), name: 'line_id' },
    conversationId: { ...ref(true), name: 'conversation_id' },
    assigneeId: { ...ref(true), name: 'assignee_id' },
    prevAssigneeId: { ...ref(true), name: 'prev_assignee_id' },
    actorId: { ...ref(true), name: 'actor_id' },
    payload: json(),
    createdAt: { ...time(), name: 'created_at' },
  },
});
