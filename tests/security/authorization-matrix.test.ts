import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../shared/users.js';
import { login, type ApiClient } from '../helpers/clients.js';
import { startHub, type TestHub } from '../helpers/hub.js';

type Who = 'public' | 'user' | Role[];
const STAFF: Role[] = ['supervisor', 'admin'];
const ADMIN: Role[] = ['admin'];

/**
 * Who may call what, written down by hand: the policy this suite holds the server to. A route added
 * without a line here fails the completeness check; a route whose guard is loosened fails the matrix.
 */
const POLICY: Record<string, Who> = {
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'user',
  'GET /api/me': 'user',
  'PUT /api/me/presence': 'user',
  'GET /api/me/pins': 'user',
  'GET /api/users': 'user',
  'POST /api/users': ADMIN,
  'PATCH /api/users/{id}': ADMIN,
  'DELETE /api/users/{id}': ADMIN,
  'GET /api/lines': 'user',
  'POST /api/lines': ADMIN,
  'GET /api/lines/{id}': 'user',
  'PATCH /api/lines/{id}': ADMIN,
  'GET /api/channels': 'user',
  'POST /api/channels': ADMIN,
  'POST /api/channels/test': ADMIN,
  'PATCH /api/channels/{id}': ADMIN,
  'DELETE /api/channels/{id}': ADMIN,
  'GET /api/channels/{id}/templates': 'user',
  'GET /api/conversations': 'user',
  'GET /api/conversations/{id}': 'user',
  'GET /api/conversations/{id}/messages': 'user',
  'POST /api/conversations/{id}/messages': 'user',
  'POST /api/conversations/{id}/notes': 'user',
  'POST /api/conversations/{id}/assign': 'user',
  'POST /api/conversations/{id}/transfer': 'user',
  'GET /api/conversations/{id}/participants': 'user',
  'POST /api/conversations/{id}/participants': 'user',
  'POST /api/conversations/{id}/join': STAFF,
  'PUT /api/conversations/{id}/pin': 'user',
  'DELETE /api/conversations/{id}/pin': 'user',
  'POST /api/conversations/{id}/spam': 'user',
  'POST /api/conversations/{id}/transcript': 'user',
  'POST /api/conversations/{id}/review': STAFF,
  'POST /api/conversations/{id}/skip': 'user',
  'POST /api/conversations/{id}/close': 'user',
  'POST /api/conversations/{id}/reopen': 'user',
  'POST /api/messages/{id}/retry': 'user',
  'GET /api/contacts': 'user',
  'GET /api/contacts/{id}': 'user',
  'PATCH /api/contacts/{id}': 'user',
  'POST /api/contacts/{id}/merge': 'user',
  'GET /api/leads': 'user',
  'GET /api/leads/{id}': 'user',
  'PATCH /api/leads/{id}': 'user',
  'GET /api/canned-answers': 'user',
  'POST /api/canned-answers': STAFF,
  'PATCH /api/canned-answers/{id}': STAFF,
  'DELETE /api/canned-answers/{id}': STAFF,
  'POST /api/uploads': 'user',
  'GET /api/attachments/{id}': 'user',
  'GET /api/calls/phones': 'user',
  'GET /api/calls/lookup': 'user',
  'POST /api/calls/dial': 'user',
  'POST /api/calls/sip': 'user',
  'GET /api/messages/{id}/recording': 'user',
  'GET /api/channels/{id}/sip-accounts': ADMIN,
  'PUT /api/channels/{id}/sip-accounts/{userId}': ADMIN,
  'DELETE /api/channels/{id}/sip-accounts/{userId}': ADMIN,
};

const ROLES: Role[] = ['operator', 'supervisor', 'admin'];
/** An id nothing has: allowed callers get 404 or a validation error, never a pass on the guard. */
const NO_SUCH_ID = '2147480000';

const allows = (who: Who, role: Role) => who === 'public' || who === 'user' || who.includes(role);

describe('authorization matrix: every role × every REST route', () => {
  let t: TestHub;
  const as: Partial<Record<Role, ApiClient>> = {};
  let routes: Array<{ method: string; path: string; access: unknown }>;

  beforeAll(async () => {
    t = await startHub();
    const admin = await login(t.url, t.admin.email, t.admin.password);
    as.admin = admin;
    for (const role of ['operator', 'supervisor'] as const) {
      const email = `${role}@matrix.test`;
      const made = await admin.call('POST', '/api/users', { email, name: role, role, password: 'matrix-password-1' });
      expect(made.status).toBe(201);
      as[role] = await login(t.url, email, 'matrix-password-1');
    }
    routes = Object.entries((t.hub.openapi as { paths: unknown }).paths as Record<string, Record<string, { 'x-access': unknown }>>).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, access: op['x-access'] })),
    );
  });
  afterAll(() => t.stop());

  it('has a policy line for every route, and the routes declare the same access', () => {
    const served = routes.map((r) => `${r.method} ${r.path}`).sort();
    expect(served).toEqual(Object.keys(POLICY).sort());
    for (const r of routes) expect(r.access, `${r.method} ${r.path}`).toEqual(POLICY[`${r.method} ${r.path}`]);
  });

  it('refuses anonymous callers on every route that is not public, before reading the request', async () => {
    for (const r of routes) {
      if (POLICY[`${r.method} ${r.path}`] === 'public') continue;
      const res = await fetch(`${t.url}${r.path.replace(/\{\w+\}/g, NO_SUCH_ID)}`, { method: r.method });
      expect(res.status, `${r.method} ${r.path}`).toBe(401);
    }
  });

  it('refuses each role what the policy does not give it, and lets it through where it does', async () => {
    for (const r of routes) {
      const who = POLICY[`${r.method} ${r.path}`]!;
      if (r.path === '/api/auth/logout' || r.path === '/api/auth/login') continue;
      for (const role of ROLES) {
        const res = await as[role]!.call(r.method, r.path.replace(/\{\w+\}/g, NO_SUCH_ID), r.method === 'GET' || r.method === 'DELETE' ? undefined : {});
        const label = `${role} ${r.method} ${r.path} → ${res.status}`;
        if (allows(who, role)) expect([401, 403], label).not.toContain(res.status);
        else {
          expect(res.status, label).toBe(403);
          expect(res.body.error.code, label).toBe('forbidden');
        }
      }
    }
  });

  it('refuses a write whose CSRF token is missing, for every role', async () => {
    for (const role of ROLES) {
      const res = await as[role]!.call('PUT', '/api/me/presence', { presence: 'away' }, { 'x-csrf-token': '' });
      expect(res.status, role).toBe(403);
      expect(res.body.error.code).toBe('csrf_failed');
    }
  });
});
