import { EntitySchema } from 'typeorm';
import { bool, id, int, ref, text, time } from '../db/columns.js';

export interface Line {
  id: number;
  name: string;
  crmCreateLead: boolean;
  crmSourceName: string;
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
    createdAt: { ...time(), name: 'created_at' },
  },
});

/** Queue membership: `position` orders the members for distribution. */
export interface LineMember {
  lineId: number;
  userId: number;
  position: number;
}

export const LineMemberEntity = new EntitySchema<LineMember>({
  name: 'LineMember',
  tableName: 'line_members',
  columns: {
    lineId: { ...ref(), primary: true, name: 'line_id' },
    userId: { ...ref(), primary: true, name: 'user_id' },
    position: int(0),
  },
});
