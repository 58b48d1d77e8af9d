import type { ContactDto, LeadDto, LeadStatus, UpdateContactBody, UpdateLeadBody } from '../../../shared/contacts';
import { http } from './http';

export const crmApi = {
  searchContacts: (q: string, limit = 10) => http.get<{ items: ContactDto[] }>('/api/contacts', { q, limit }),
  /** Moves `otherId`'s identities, dialogs and leads into `id`; 409 when both have an open dialog on one channel. */
  merge: (id: number, otherId: number) => http.post<ContactDto>(`/api/contacts/${id}/merge`, { otherId }),
  contact: (id: number) => http.get<ContactDto>(`/api/contacts/${id}`),
  updateContact: (id: number, body: UpdateContactBody) => http.patch<ContactDto>(`/api/contacts/${id}`, body),
  leads: (query: { contactId?: number; status?: LeadStatus; cursor?: number; limit?: number }) =>
    http.get<{ items: LeadDto[]; nextCursor: number | string | null }>('/api/leads', query),
  lead: (id: number) => http.get<LeadDto>(`/api/leads/${id}`),
  updateLead: (id: number, body: UpdateLeadBody) => http.patch<LeadDto>(`/api/leads/${id}`, body),
};
