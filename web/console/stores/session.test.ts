// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setCsrfToken } from '../api/http';
import { fakeFetch } from '../testing/fake-fetch';
import { user } from '../testing/fixtures';
import { useSessionStore } from './session';

beforeEach(() => {
  localStorage.clear();
  setActivePinia(createPinia());
});
afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

describe('session store', () => {
  it('restores nobody on 401 without an error', async () => {
    fakeFetch({ 'GET /api/me': () => ({ status: 401, body: { error: { code: 'unauthenticated', message: 'Sign in.' } } }) });
    const session = useSessionStore();
    await session.restore();
    expect(session.restored).toBe(true);
    expect(session.isAuthenticated).toBe(false);
    expect(session.error).toBeNull();
  });

  it('logs in, then echoes the CSRF token on writes, and logs out', async () => {
    const { calls } = fakeFetch({
      'POST /api/auth/login': () => ({ body: { user: user({ role: 'supervisor', presence: 'away' }), csrfToken: 'csrf-1' } }),
      'PUT /api/me/presence': ({ body }) => ({ body: user({ role: 'supervisor', presence: (body as { presence: 'away' }).presence }) }),
      'POST /api/auth/logout': () => ({ status: 204 }),
    });
    const session = useSessionStore();
    expect(await session.login('olga@example.com', 'secret-password')).toBe(true);
    expect(session.isSupervisor).toBe(true);
    expect(session.isAdmin).toBe(false);
    await session.setPresence('away');
    expect(calls.at(-1)?.headers['X-CSRF-Token']).toBe('csrf-1');
    expect(session.user?.presence).toBe('away');
    await session.logout();
    expect(calls.slice(-2).map((c) => `${c.method} ${c.url}`)).toEqual(['PUT /api/me/presence', 'POST /api/auth/logout']);
    expect(calls.at(-1)?.headers['X-CSRF-Token']).toBe('csrf-1');
    expect(session.user).toBeNull();
  });

  it('shows the server message when login fails', async () => {
    fakeFetch({ 'POST /api/auth/login': () => ({ status: 401, body: { error: { code: 'unauthenticated', message: 'Wrong e-mail or password.' } } }) });
    const session = useSessionStore();
    expect(await session.login('a@b.c', 'x')).toBe(false);
    expect(session.state).toBe('error');
    expect(session.error).toBe('Wrong e-mail or password.');
  });

  it('rolls presence back when the server refuses', async () => {
    fakeFetch({ 'PUT /api/me/presence': () => ({ status: 500, body: { error: { code: 'internal', message: 'Try later.' } } }) });
    const session = useSessionStore();
    session.user = user({ presence: 'online' });
    await session.setPresence('offline');
    expect(session.user?.presence).toBe('online');
    expect(session.error).toBe('Try later.');
  });
});

describe('login presence', () => {
  it('an operator who signs in while offline becomes online', async () => {
    const { calls } = fakeFetch({
      'POST /api/auth/login': () => ({ body: { user: user({ presence: 'offline' }), csrfToken: 'c' } }),
      'PUT /api/me/presence': ({ body }) => ({ body: user({ presence: (body as { presence: 'online' }).presence }) }),
    });
    const session = useSessionStore();
    await session.login('olga@example.com', 'secret-password');
    expect(calls[1]).toMatchObject({ method: 'PUT', body: { presence: 'online' } });
    expect(session.user?.presence).toBe('online');
  });
});

describe('presence memory', () => {
  it('restores the chosen presence after the server marked me offline', async () => {
    const { calls } = fakeFetch({
      'PUT /api/me/presence': ({ body }) => ({ body: user({ presence: (body as { presence: 'away' }).presence }) }),
    });
    const session = useSessionStore();
    session.user = user({ presence: 'online' });
    await session.setPresence('away');
    session.applyPresence('offline');
    await session.reassertPresence();
    expect(calls.at(-1)?.body).toEqual({ presence: 'away' });
    expect(session.user?.presence).toBe('away');
    await session.setPresence('offline');
    const before = calls.length;
    await session.reassertPresence();
    expect(calls.length).toBe(before);
  });
});
