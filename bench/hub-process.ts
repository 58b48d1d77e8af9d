/**
 * The hub under test, in a process of its own (started by bench/chat-latency.ts): a real hub on
 * 127.0.0.1, a free port, SQLite in a temporary data folder that is removed on stop. Logging is off
 * so that the figures measure the hub, not the log sink.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../config/load.js';
import { createHub } from '../server/hub.js';
import { ChannelEntity } from '../server/channels/channel.entity.js';
import { serveAsChild } from './child.js';

const BENCH_ADMIN = { email: 'admin@bench.local', password: 'bench-admin-password-1' };

serveAsChild(async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'omniline-bench-'));
  try {
    const config = loadConfig({
      NODE_ENV: 'production', DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', PUBLIC_URL: 'http://127.0.0.1',
      HUB_ADMIN_EMAIL: BENCH_ADMIN.email, HUB_ADMIN_PASSWORD: BENCH_ADMIN.password, LOG_LEVEL: 'silent',
    });
    const hub = await createHub(config, { logger: pino({ level: 'silent' }) });
    const { url } = await hub.start();
    const channel = await hub.db.manager.findOneOrFail(ChannelEntity, { where: { type: 'webchat' }, order: { id: 'ASC' } });
    return {
      info: { url: url.replace('//localhost:', '//127.0.0.1:'), admin: BENCH_ADMIN, widgetKey: channel.publicKey, channelId: channel.id, dataDir },
      async stop() {
        try {
          await hub.stop();
        } finally {
          rmSync(dataDir, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
});
