import { EntitySchema } from 'typeorm';
import { ref, text, time } from '../db/columns.js';

/** An operator's extension on the PBX of a SIP channel; the password is sealed with the hub secret. */
export interface SipAccount {
  channelId: number;
  userId: number;
  extension: string;
  passwordSealed: string;
  updatedAt: number;
}

export const SipAccountEntity = new EntitySchema<SipAccount>({
  name: 'SipAccount',
  tableName: 'sip_accounts',
  columns: {
    channelId: { ...ref(), primary: true, name: 'channel_id' },
    userId: { ...ref(), primary: true, name: 'user_id' },
    extension: text(false, 64),
    passwordSealed: { ...text(), name: 'password_sealed' },
    updatedAt: { ...time(), name: 'updated_at' },
  },
});
