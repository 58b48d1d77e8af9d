import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch } from '../testing/fake-fetch';
import { user } from '../testing/fixtures';
import { useSessionStore } from './session';
import { useUsersStore } from './users';

beforeEach(() => setActivePinia(createPinia()));
afterEach(() => vi.unstubAllGlobals());

describe('users store', () => {
  it('keeps my own entry in step with the session, even against a stale list', async () => {
    fakeFetch({ 'GET /api/users': () => ({ body: { items: [user({ id: 7, presence: 'offline' }), user({ id: 8, name: 'Bob' })] } }) });
    const session = useSessionStore();
    session.user = user({ id: 7, presence: 'online' });
    const users = useUsersStore();
    await users.load();
    expect(users.byId.get(7)?.presence).toBe('online');
    session.applyPresence('away');
    await Promise.resolve();
    expect(users.byId.get(7)?.presence).toBe('away');
    expect(users.list.map((u) => u.name)).toEqual(['Bob', 'Olga']);
  });

  it('creates, updates and removes users, throwing the server message', async () => {
    fakeFetch({
      'POST /api/users': ({ body }) => ({ status: 201, body: user({ id: 9, ...(body as object) }) }),
      'PATCH /api/users/9': () => ({ status: 422, body: { error: { code: 'validation_failed', message: 'password: at least 10 characters' } } }),
      'DELETE /api/users/9': () => ({ status: 204 }),
    });
    const users = useUsersStore();
    await users.create({ email: 'v@x.io', name: 'Vera', password: '0123456789' });
    expect(users.name(9)).toBe('Vera');
    await expect(users.update(9, { password: 'short' })).rejects.toThrow('password: at least 10 characters');
    await users.remove(9);
    expect(users.byId.has(9)).toBe(false);
  });
});
