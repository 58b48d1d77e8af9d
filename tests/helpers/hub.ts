import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../config/load.js';
import { createHub, type Hub, type HubOptions } from '../../server/hub.js';
import { ChannelEntity } from '../../server/channels/channel.entity.js';
import { createTestDatabase } from './postgres.js';

export interface TestHub {
  url: string;
  hub: Hub;
  admin: { email: string; password: string };
  /** The site chat created on first start (the one /demo embeds). */
  demoWidgetKey: string;
  demoChannelId: number;
  stop(): Promise<void>;
}

export const ADMIN = { email: 'admin@test.local', password: 'admin-password-1' };

/** A real hub on a free loopback port with its own data folder (and its own PostgreSQL database when asked). */
export async function startHub(options: { database?: 'sqlite' | 'postgres'; env?: Record<string, string>; hub?: HubOptions; dataDir?: string } = {}): Promise<TestHub> {
  // A given data folder is reused and kept: a second hub on it is a restart.
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'omniline-test-'));
  const pgdb = options.database === 'postgres' ? await createTestDatabase() : null;
  const port = await freePort();
  const config = loadConfig({
    DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://localhost:${port}`, HUB_ADMIN_EMAIL: ADMIN.email, HUB_ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'silent',
    NODE_ENV: 'test', ...(pgdb ? { DATABASE_URL: pgdb.url } : {}), ...options.env,
  });
  const hub = await createHub(config, { logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), presenceGraceMs: 200, ...options.hub });
  const { url } = await hub.start();
  const channel = await hub.db.manager.findOneOrFail(ChannelEntity, { where: { type: 'webchat' }, order: { id: 'ASC' } });
  return {
    url, hub, admin: ADMIN, demoWidgetKey: channel.publicKey!, demoChannelId: channel.id,
    async stop() {
      await hub.stop();
      await pgdb?.drop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}
