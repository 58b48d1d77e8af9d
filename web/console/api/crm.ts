import type { ContactDto, LeadDto, LeadStatus, UpdateContactBody, UpdateLeadBody } from '../../../shared/contacts';
import { http } from './http';

export const crmApi = {
  contact: (id: number) => http.get<ContactDto>(`/api/contacts/${id}`),
  updateContact: (id: number, body: UpdateContactBody) => http.patch<ContactDto>(`/api/contacts/${id}`, body),
  leads: (query: { contactId?: number; status?: LeadStatus; cursor?: number; limit?: number }) =>
    http.get<{ items: LeadDto[]; nextCursor: number | string | null }>('/api/leads', query),
  lead: (id: number) => http.get<LeadDto>(`/api/leads/${id}`),
  updateLead: (id: number, body: UpdateLeadBody) => http.patch<LeadDto>(`/api/leads/${id}`, body),
};
