import type { EntityManager } from 'typeorm';
import type { ContactDto } from '../../shared/contacts.js';
import { ContactIdentityEntity, type Contact } from './contact.entity.js';

export async function toContactDto(manager: EntityManager, c: Contact): Promise<ContactDto> {
  const identities = await manager.find(ContactIdentityEntity, { where: { contactId: c.id }, order: { id: 'ASC' } });
  return {
    id: c.id, name: c.name, email: c.email, phone: c.phone,
    identities: identities.map((i) => ({ id: i.id, channelType: i.channelType, externalId: i.externalId })),
    createdAt: new Date(c.createdAt).toISOString(), updatedAt: new Date(c.updatedAt).toISOString(),
  };
}
