import { EntitySchema } from 'typeorm';
import { ref, text, time } from '../db/columns.js';

export interface ConnectorStateRow {
  channelId: number;
  key: string;
  value: string;
  updatedAt: number;
}

export const ConnectorStateEntity = new EntitySchema<ConnectorStateRow>({
  name: 'ConnectorState',
  tableName: 'connector_state',
  columns: {
    channelId: { ...ref(), primary: true, name: 'channel_id' },
    key: { ...text(false, 200), primary: true },
    value: text(),
    updatedAt: { ...time(), name: 'updated_at' },
  },
});
