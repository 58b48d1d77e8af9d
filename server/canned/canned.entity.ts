import { EntitySchema } from 'typeorm';
import { id, ref, text, time } from '../db/columns.js';

/** A prepared answer operators insert by typing `/` and its shortcut; global, or for one line. */
export interface CannedAnswer {
  id: number;
  lineId: number | null;
  shortcut: string;
  text: string;
  createdBy: number | null;
  createdAt: number;
}

export const CannedAnswerEntity = new EntitySchema<CannedAnswer>({
  name: 'CannedAnswer',
  tableName: 'canned_answers',
  columns: {
    id,
    lineId: { ...ref(true), name: 'line_id' },
    shortcut: text(false, 60),
    text: text(),
    createdBy: { ...ref(true), name: 'created_by' },
    createdAt: { ...time(), name: 'created_at' },
  },
});
