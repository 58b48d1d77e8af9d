import { z } from 'zod';
import { ContactDto, UpdateContactBody } from '../../shared/contacts.js';
import { SearchText } from '../../shared/conversations.js';
import type { Database } from '../db/database.js';
import { viewerOf } from '../conversations/access.js';
import type { ApiRouter } from '../http/api-router.js';
import type { ContactService } from './contact.service.js';

export function contactRoutes(api: ApiRouter, contacts: ContactService, db: Database): void {
  api.add({
    method: 'get', path: '/api/contacts', tag: 'contacts', access: 'user', summary: 'Search contacts by name, e-mail or phone',
    query: z.object({ q: SearchText.min(1), limit: z.coerce.number().int().min(1).max(100).default(20) }),
    response: z.object({ items: z.array(ContactDto) }),
    handler: async ({ auth, query }) => ({ items: await contacts.search(await viewerOf(db.manager, auth.user), query.q, query.limit) }),
  });
  api.add({
    method: 'get', path: '/api/contacts/{id}', tag: 'contacts', access: 'user', summary: 'A contact with its channel identities', response: ContactDto,
    handler: async ({ auth, params }) => contacts.get(await viewerOf(db.manager, auth.user), params.id),
  });
  api.add({
    method: 'post', path: '/api/contacts/{id}/merge', tag: 'contacts', access: 'user',
    summary: 'Merge another contact into this one (identities, dialogs, leads)', body: z.object({ otherId: z.number().int().positive() }), response: ContactDto,
    handler: async ({ auth, params, body }) => contacts.merge(await viewerOf(db.manager, auth.user), params.id, body.otherId),
  });
  api.add({
    method: 'patch', path: '/api/contacts/{id}', tag: 'contacts', access: 'user', summary: 'Edit a contact', body: UpdateContactBody, response: ContactDto,
    handler: async ({ auth, params, body }) => contacts.update(await viewerOf(db.manager, auth.user), params.id, body),
  });
}
