import { EntitySchema } from 'typeorm';
import type { LeadStatus } from '../../shared/contacts.js';
import { id, ref, text, time } from '../db/columns.js';

export interface Lead {
  id: number;
  contactId: number;
  lineId: number | null;
  title: string;
  status: LeadStatus;
  source: string;
  responsibleId: number | null;
  createdAt: number;
  updatedAt: number;
}

export const LeadEntity = new EntitySchema<Lead>({
  name: 'Lead',
  tableName: 'leads',
  columns: {
    id,
    contactId: { ...ref(), name: 'contact_id' },
    lineId: { ...ref(true), name: 'line_id' },
    title: text(false, 300),
    status: text(false, 20),
    source: text(false, 200),
    responsibleId: { ...ref(true), name: 'responsible_id' },
    createdAt: { ...time(), name: 'created_at' },
    updatedAt: { ...time(), name: 'updated_at' },
  },
});
