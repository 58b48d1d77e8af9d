import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, operatorSocket, type ApiClient } from '../helpers/clients.js';
import { startHub, type TestHub } from '../helpers/hub.js';

describe('sign-in, sessions and CSRF', () => {
  let t: TestHub;
  let admin: ApiClient;
  beforeAll(async () => {
    t = await startHub();
    admin = await login(t.url, t.admin.email, t.admin.password);
  });
  afterAll(() => t.stop());

  const attempt = (email: string, password: string) =>
    fetch(`${t.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });

  it('sets an httpOnly SameSite cookie and never stores the password in clear', async () => {
    const res = await attempt(t.admin.email, t.admin.password);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/omni_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const [row] = await t.hub.db.manager.query('SELECT password_hash FROM users WHERE email = ?', [t.admin.email]);
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain(t.admin.password);
  });

  it('rate limits after repeated wrong passwords, even for the right one', async () => {
    await admin.call('POST', '/api/users', { email: 'victim@test.local', name: 'Victim', password: 'victim-password-1' });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await attempt('victim@test.local', `wrong-${i}`)).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
    const right = await attempt('victim@test.local', 'victim-password-1');
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await right.json()).error.code).toBe('rate_limited');
  });

  it('refuses the session cookie of a deleted user, over HTTP and on the socket', async () => {
    await admin.call('POST', '/api/users', { email: 'leaver@test.local', name: 'Leaver', password: 'leaver-password-1' });
    const leaver = await login(t.url, 'leaver@test.local', 'leaver-password-1');
    expect((await leaver.call('GET', '/api/me')).status).toBe(200);
    const sock = await operatorSocket(t.url, leaver.cookie);
    const closed = new Promise((r) => sock.socket.on('disconnect', r));
    expect((await admin.call('DELETE', `/api/users/${leaver.session.user.id}`)).status).toBe(204);
    await closed;
    const me = await leaver.call('GET', '/api/me');
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('unauthenticated');
    await expect(operatorSocket(t.url, leaver.cookie)).rejects.toThrow(/unauthenticated/);
  });

  it('logout ends the session', async () => {
    const c = await login(t.url, t.admin.email, t.admin.password);
    expect((await c.call('POST', '/api/auth/logout')).status).toBe(204);
    expect((await c.call('GET', '/api/me')).status).toBe(401);
  });

  it('a write without the CSRF token is refused and changes nothing', async () => {
    const r = await fetch(`${t.url}/api/lines`, {
      method: 'POST', headers: { cookie: admin.cookie, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Forged' }),
    });
    expect(r.status).toBe(403);
    expect((await r.json()).error.code).toBe('csrf_failed');
    const lines = await admin.call('GET', '/api/lines');
    expect(lines.body.items.map((l: { name: string }) => l.name)).not.toContain('Forged');
  });

  it('an operator socket from a foreign origin is refused', async () => {
    const { io } = await import('socket.io-client');
    const s = io(`${t.url}/operator`, { transports: ['websocket'], extraHeaders: { cookie: admin.cookie, origin: 'https://evil.example' }, reconnection: false, forceNew: true });
    const err = await new Promise<Error>((r) => s.once('connect_error', r));
    expect(err.message).toMatch(/origin/);
    s.close();
  });

  it('presence changes reach colleagues live', async () => {
    const sock = await operatorSocket(t.url, admin.cookie);
    const seen: string[] = [];
    sock.socket.on('presence', (p) => seen.push(p.presence));
    const r = await admin.call('PUT', '/api/me/presence', { presence: 'away' });
    expect(r.body.presence).toBe('away');
    await new Promise((res) => sock.socket.emit('presence', { presence: 'online' }, res));
    await new Promise((res) => setTimeout(res, 100));
    expect(seen).toEqual(['away', 'online']);
    const bad = await new Promise<any>((res) => sock.socket.emit('presence', { presence: 'dancing' } as never, res));
    expect(bad.ok).toBe(false);
    sock.socket.close();
  });
});
