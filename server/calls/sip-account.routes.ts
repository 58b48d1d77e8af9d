import { z } from 'zod';
import { SipAccountBody, SipAccountDto } from '../../shared/calls.js';
import type { ApiRouter } from '../http/api-router.js';
import type { SipAccountService } from './sip-account.service.js';

const Id = z.coerce.number().int().positive().max(2 ** 31 - 1);
const AccountParams = z.object({ id: Id, userId: Id });

/** Admins give operators their extensions on a SIP channel's PBX; passwords go in and never come out. */
export function sipAccountRoutes(api: ApiRouter, accounts: SipAccountService): void {
  api.add({
    method: 'get', path: '/api/channels/{id}/sip-accounts', tag: 'channels', access: ['admin'],
    summary: "Operators' extensions on this SIP channel's PBX (passwords are never shown)", response: z.object({ items: z.array(SipAccountDto) }),
    handler: async ({ params }) => ({ items: await accounts.list(params.id) }),
  });
  api.add({
    method: 'put', path: '/api/channels/{id}/sip-accounts/{userId}', tag: 'channels', access: ['admin'], params: AccountParams,
    summary: "Set a line member's extension and password on this SIP channel (omit the password to keep it)", body: SipAccountBody, response: SipAccountDto,
    handler: ({ params, body }) => accounts.put(params.id, params.userId, body),
  });
  api.add({
    method: 'delete', path: '/api/channels/{id}/sip-accounts/{userId}', tag: 'channels', access: ['admin'], params: AccountParams,
    summary: "Remove a member's extension from this SIP channel",
    handler: ({ params }) => accounts.remove(params.id, params.userId),
  });
}
