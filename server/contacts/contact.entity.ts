import { EntitySchema } from 'typeorm';
import type { ChannelType } from '../../shared/channel.js';
import { id, ref, text, time } from '../db/columns.js';

export interface Contact {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  createdAt: number;
  updatedAt: number;
}

export const ContactEntity = new EntitySchema<Contact>({
  name: 'Contact',
  tableName: 'contacts',
  columns: {
    id,
    name: text(false, 200),
    email: text(true, 320),
    phone: text(true, 40),
    createdAt: { ...time(), name: 'created_at' },
    updatedAt: { ...time(), name: 'updated_at' },
  },
});

/** One way to reach a contact: unique per channel type, so one person is one contact across channels. */
export interface ContactIdentity {
  id: number;
  contactId: number;
  channelType: ChannelType;
  externalId: string;
}

export const ContactIdentityEntity = new EntitySchema<ContactIdentity>({
  name: 'ContactIdentity',
  tableName: 'contact_identities',
  columns: {
    id,
    contactId: { ...ref(), name: 'contact_id' },
    channelType: { ...text(false, 30), name: 'channel_type' },
    externalId: { ...text(false, 320), name: 'external_id' },
  },
  uniques: [{ name: 'uq_identity', columns: ['channelType', 'externalId'] }],
});
