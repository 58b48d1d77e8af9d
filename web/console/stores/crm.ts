/** Contacts and leads shown in the CRM card beside a dialog. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ContactDto, LeadDto, UpdateContactBody, UpdateLeadBody } from '../../../shared/contacts';
import { crmApi } from '../api/crm';

export const useCrmStore = defineStore('crm', () => {
  const contacts = ref(new Map<number, ContactDto>());
  const leads = ref(new Map<number, LeadDto>());
  /** contactId -> lead id, or null when the contact has no lead. */
  const leadOfContact = ref(new Map<number, number | null>());

  function upsertContact(contact: ContactDto): void {
    contacts.value.set(contact.id, contact);
  }

  function upsertLead(lead: LeadDto): void {
    leads.value.set(lead.id, lead);
    const known = leadOfContact.value.get(lead.contactId);
    // Keep the newest lead of a contact as "the" lead.
    if (known === undefined || known === null || lead.id >= known) leadOfContact.value.set(lead.contactId, lead.id);
  }

  async function loadContact(id: number): Promise<ContactDto> {
    const contact = await crmApi.contact(id);
    upsertContact(contact);
    return contact;
  }

  async function loadLeadOf(contactId: number): Promise<LeadDto | null> {
    const { items } = await crmApi.leads({ contactId, limit: 20 });
    const newest = [...items].sort((a, b) => b.id - a.id)[0] ?? null;
    for (const l of items) leads.value.set(l.id, l);
    leadOfContact.value.set(contactId, newest?.id ?? null);
    return newest;
  }

  function leadFor(contactId: number): LeadDto | null {
    const id = leadOfContact.value.get(contactId);
    return id === undefined || id === null ? null : (leads.value.get(id) ?? null);
  }

  async function updateContact(id: number, body: UpdateContactBody): Promise<ContactDto> {
    const contact = await crmApi.updateContact(id, body);
    upsertContact(contact);
    return contact;
  }

  async function searchContacts(q: string): Promise<ContactDto[]> {
    return (await crmApi.searchContacts(q)).items;
  }

  /** Merges `otherId` into `id`; the other contact is gone afterwards. */
  async function merge(id: number, otherId: number): Promise<ContactDto> {
    const contact = await crmApi.merge(id, otherId);
    contacts.value.delete(otherId);
    upsertContact(contact);
    return contact;
  }

  async function updateLead(id: number, body: UpdateLeadBody): Promise<LeadDto> {
    const lead = await crmApi.updateLead(id, body);
    upsertLead(lead);
    return lead;
  }

  function reset(): void {
    contacts.value = new Map();
    leads.value = new Map();
    leadOfContact.value = new Map();
  }

  return { contacts, leads, leadOfContact, upsertContact, upsertLead, loadContact, loadLeadOf, leadFor, updateContact, searchContacts, merge, updateLead, reset };
});
