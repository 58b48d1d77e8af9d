import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderApiDocs } from '../../server/http/api-docs.js';
import { login } from '../helpers/clients.js';
import { startHub, type TestHub } from '../helpers/hub.js';

describe('the API description', () => {
  let t: TestHub;
  let doc: { openapi: string; paths: Record<string, Record<string, { 'x-access': string | string[] }>> };
  beforeAll(async () => {
    t = await startHub();
    doc = await (await fetch(`${t.url}/api/openapi.json`)).json();
  });
  afterAll(() => t.stop());

  it('is served as OpenAPI 3 with the core routes', () => {
    expect(doc.openapi).toBe('3.0.3');
    for (const p of ['/api/auth/login', '/api/me', '/api/conversations', '/api/conversations/{id}/messages', '/api/conversations/{id}/notes', '/api/leads/{id}']) {
      expect(doc.paths[p], p).toBeDefined();
    }
  });

  it('docs/api.md is up to date (regenerate with npm run docs:api)', () => {
    expect(readFileSync('docs/api.md', 'utf8')).toBe(renderApiDocs(doc as never));
  });

  it('every route that needs a user refuses a request without a session, and admin routes refuse an operator', async () => {
    const admin = await login(t.url, t.admin.email, t.admin.password);
    await admin.call('POST', '/api/users', { email: 'op@test.local', name: 'Op', role: 'operator', password: 'operator-pass-1' });
    const op = await login(t.url, 'op@test.local', 'operator-pass-1');
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, o] of Object.entries(ops)) {
        if (o['x-access'] === 'public') continue;
        const url = path.replace('{id}', '1');
        const anon = await fetch(`${t.url}${url}`, { method: method.toUpperCase() });
        expect(anon.status, `${method} ${path} without a session`).toBe(401);
        if (Array.isArray(o['x-access']) && !o['x-access'].includes('operator')) {
          const r = await op.call(method.toUpperCase(), url, method === 'get' || method === 'delete' ? undefined : {});
          expect(r.status, `${method} ${path} as operator`).toBe(403);
        }
      }
    }
  });
});
