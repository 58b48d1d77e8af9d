import { EntitySchema } from 'typeorm';
import { id, json, ref, text, time } from '../db/columns.js';

export type TimerKind = 'pass_on' | 'no_answer' | 'auto_close';

/** A deadline stored as a due time, so it survives a restart and fires once. */
export interface Timer {
  id: number;
  kind: TimerKind;
  conversationId: number;
  dueAt: number;
  payload: Record<string, unknown>;
}

export const TimerEntity = new EntitySchema<Timer>({
  name: 'Timer',
  tableName: 'timers',
  columns: {
    id,
    kind: text(false, 30),
    conversationId: { ...ref(), name: 'conversation_id' },
    dueAt: { ...time(), name: 'due_at' },
    payload: json(),
  },
});
