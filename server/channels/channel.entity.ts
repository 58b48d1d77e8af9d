import { EntitySchema } from 'typeorm';
import type { ChannelStatus, ChannelType } from '../../shared/channel.js';
import { bool, id, ref, text, time } from '../db/columns.js';

export interface Channel {
  id: number;
  type: ChannelType;
  name: string;
  lineId: number;
  enabled: boolean;
  /** Settings JSON sealed with the hub secret (AES-256-GCM): credentials never rest in clear. */
  settingsSealed: string;
  publicKey: string | null;
  status: ChannelStatus;
  statusReason: string | null;
  createdAt: number;
}

export const ChannelEntity = new EntitySchema<Channel>({
  name: 'Channel',
  tableName: 'channels',
  columns: {
    id,
    type: text(false, 30),
    name: text(false, 200),
    lineId: { ...ref(), name: 'line_id' },
    enabled: { ...bool(), default: true },
    settingsSealed: { ...text(), name: 'settings_sealed' },
    publicKey: { ...text(true, 64), name: 'public_key', unique: true },
    status: { ...text(false, 20), default: 'stopped' },
    statusReason: { ...text(true, 500), name: 'status_reason' },
    createdAt: { ...time(), name: 'created_at' },
  },
});
