import { EntitySchema } from 'typeorm';
import type { LineSettings } from '../../shared/routing.js';
import { bool, id, int, json, ref, text, time } from '../db/columns.js';

export interface Line {
  id: number;
  name: string;
  crmCreateLead: boolean;
  crmSourceName: string;
  /** Routing, working hours and automatic messages, as stored (parse with `LineSettings` for defaults). */
  settings: Partial<LineSettings>;
  createdAt: number;
}

export const LineEntity = new EntitySchema<Line>({
  name: 'Line',
  tableName: 'lines',
  columns: {
    id,
    name: text(false, 200),
    crmCreateLead: { ...bool(), name: 'crm_create_lead' },
    crmSourceName: { ...text(false, 200), name: 'crm_source_name', default: '' },
    settings: json(),
    createdAt: { ...time(), name: 'created_at' },
  },
});

/** Queue membership: `position` orders the members for distribution. */
export interface LineMember {
  lineId: number;
  userId: number;
  position: number;
  /** When this member last received a dialog of the line: the "evenly" mode's fairness clock. */
  lastAssignedAt: number | null;
}

export const LineMemberEntity = new EntitySchema<LineMember>({
  name: 'LineMember',
  tableName: 'line_members',
  columns: {
    lineId: { ...ref(), primary: true, name: 'line_id' },
    userId: { ...ref(), primary: true, name: 'user_id' },
    position: int(0),
    lastAssignedAt: { ...time(true), name: 'last_assigned_at' },
  },
});
