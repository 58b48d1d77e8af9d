import { z } from 'zod';
import { LeadDto, LeadListQuery, UpdateLeadBody } from '../../shared/contacts.js';
import type { Database } from '../db/database.js';
import { viewerOf } from '../conversations/access.js';
import type { ApiRouter } from '../http/api-router.js';
import type { LeadService } from './lead.service.js';

export function leadRoutes(api: ApiRouter, leads: LeadService, db: Database): void {
  api.add({
    method: 'get', path: '/api/leads', tag: 'crm', access: 'user', summary: 'Leads, newest first', query: LeadListQuery,
    response: z.object({ items: z.array(LeadDto), nextCursor: z.string().nullable() }),
    handler: async ({ auth, query }) => leads.list(await viewerOf(db.manager, auth.user), query),
  });
  api.add({
    method: 'get', path: '/api/leads/{id}', tag: 'crm', access: 'user', summary: 'One lead', response: LeadDto,
    handler: async ({ auth, params }) => leads.get(await viewerOf(db.manager, auth.user), params.id),
  });
  api.add({
    method: 'patch', path: '/api/leads/{id}', tag: 'crm', access: 'user', summary: 'Change a lead (status, title, responsible)',
    body: UpdateLeadBody, response: LeadDto,
    handler: async ({ auth, params, body }) => leads.update(await viewerOf(db.manager, auth.user), params.id, body),
  });
}
