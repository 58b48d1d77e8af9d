import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.js';
import { createHub } from '../../server/hub.js';
import { UserEntity } from '../../server/users/user.entity.js';
import { eventually, login, operatorSocket, type ApiClient } from '../helpers/clients.js';
import { freePort, startHub, type TestHub } from '../helpers/hub.js';
import { createTestDatabase, postgresAvailable } from '../helpers/postgres.js';
import { clusterPeersAvailable, dropKeys, REDIS_URL } from './peers.js';

const available = (await postgresAvailable()) && (await clusterPeersAvailable({ nginx: false }));

/**
 * Two nodes in this process on one PostgreSQL database and one Redis: what each node keeps must agree
 * with the other's (presence, sign-in limits, running channels), and a node with another secret must
 * not join.
 */
describe.runIf(available)('state shared by several nodes', () => {
  const prefix = `omniline-test-${randomBytes(4).toString('hex')}:`;
  const secret = randomBytes(24).toString('base64url');
  let db: { url: string; drop(): Promise<void> };
  let one: TestHub;
  let two: TestHub;
  let admin: ApiClient;
  const env = () => ({ DATABASE_URL: db.url, REDIS_URL, REDIS_KEY_PREFIX: prefix, HUB_SECRET: secret, CLUSTER_LEASE_SECONDS: '2' });

  beforeAll(async () => {
    db = await createTestDatabase();
    [one, two] = await Promise.all([startHub({ env: env() }), startHub({ env: env() })]);
    admin = await login(one.url, one.admin.email, one.admin.password);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([one?.stop(), two?.stop()]);
    await db?.drop();
    await dropKeys(prefix);
  });

  it('a user stays online while a tab is open on any node; offline after the grace once none is left', async () => {
    const userId = admin.session.user.id;
    const presence = async () => (await one.hub.db.manager.findOneByOrFail(UserEntity, { id: userId })).presence;
    expect((await admin.call('PUT', '/api/me/presence', { presence: 'online' })).status).toBe(200);
    const onOne = await operatorSocket(one.url, admin.cookie);
    const onTwo = await operatorSocket(two.url, admin.cookie);
    onOne.socket.close();
    await new Promise((r) => setTimeout(r, 600)); // three times the grace (200 ms)
    expect(await presence()).toBe('online');
    onTwo.socket.close();
    await eventually(async () => (await presence()) === 'offline', 'offline after the grace', 3000);
  });

  it('a channel changed through one node restarts on the other with the new settings', async () => {
    const title = async (t: TestHub) => (await fetch(`${t.url}/api/widget/${t.demoWidgetKey}/config`).then((r) => r.json())).title as string;
    expect(await title(two)).toBe('Chat with Northwind');
    expect((await admin.call('PATCH', `/api/channels/${one.demoChannelId}`, { settings: { title: 'Changed on one node' } })).status).toBe(200);
    expect(await title(one)).toBe('Changed on one node');
    await eventually(async () => (await title(two)) === 'Changed on one node', 'the other node restarted the channel', 5000);
  });

  it('counts failed sign-ins of all nodes together', async () => {
    const attempt = (url: string) => fetch(`${url}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@test.local', password: 'wrong-password-0' }),
    }).then((r) => r.status);
    const statuses = [];
    for (const url of [one.url, two.url, one.url, two.url, one.url]) statuses.push(await attempt(url));
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    expect(await attempt(two.url)).toBe(429);
    expect(await attempt(one.url)).toBe(429);
  });

  it('refuses to join with another HUB_SECRET, in one line saying so', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'omniline-test-'));
    try {
      const config = loadConfig({ ...env(), HUB_SECRET: randomBytes(24).toString('base64url'), DATA_DIR: dataDir, PORT: String(await freePort()), HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
      await expect(createHub(config, { logger: pino({ level: 'silent' }) })).rejects.toThrow(/^HUB_SECRET differs from the other nodes sharing this Redis/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('exactly one node coordinates; stopping it hands the lease to the other at once', async () => {
    const held = () => [one, two].filter((t) => t.hub.cluster?.held().includes('coordinator'));
    await eventually(() => held().length === 1, 'one coordinator');
    const [holder] = held();
    const other = holder === one ? two : one;
    const stoppedAt = Date.now();
    await holder!.hub.stop();
    await eventually(() => other.hub.cluster!.held().includes('coordinator'), 'the other node coordinates', 1000);
    expect(Date.now() - stoppedAt).toBeLessThan(1000); // released, not expired (the lease is 2 s)
  });
});
