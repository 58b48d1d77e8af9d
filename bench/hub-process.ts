/**
 * The hub under test, in a process of its own (started by bench/chat-latency.ts, bench/scale.ts,
 * bench/queries.ts): a real hub on 127.0.0.1 and a free port. Logging is off so that the figures
 * measure the hub, not the log sink.
 *
 * The database is SQLite in a temporary data folder that is removed on stop, unless the parent sets
 * BENCH_DATA_DIR (an existing data folder, e.g. a seeded one, kept on stop) and/or
 * BENCH_DATABASE_URL (a PostgreSQL database).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../config/load.js';
import { createHub } from '../server/hub.js';
import { ChannelEntity } from '../server/channels/channel.entity.js';
import { serveAsChild } from './child.js';
import { BENCH_ADMIN } from './lib/bench-users.js';

serveAsChild(async () => {
  const kept = process.env.BENCH_DATA_DIR;
  const dataDir = kept ? path.resolve(kept) : mkdtempSync(path.join(tmpdir(), 'omniline-bench-'));
  const cleanUp = () => (kept ? undefined : rmSync(dataDir, { recursive: true, force: true }));
  try {
    const config = loadConfig({
      NODE_ENV: 'production', DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', PUBLIC_URL: 'http://127.0.0.1',
      HUB_ADMIN_EMAIL: BENCH_ADMIN.email, HUB_ADMIN_PASSWORD: BENCH_ADMIN.password, LOG_LEVEL: 'silent',
      ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
    });
    const hub = await createHub(config, { logger: pino({ level: 'silent' }) });
    const { url } = await hub.start();
    const channel = await hub.db.manager.findOneOrFail(ChannelEntity, { where: { type: 'webchat' }, order: { id: 'ASC' } });
    return {
      info: { url: url.replace('//localhost:', '//127.0.0.1:'), admin: BENCH_ADMIN, widgetKey: channel.publicKey, channelId: channel.id, dataDir, database: config.database.kind },
      async stop() {
        try {
          await hub.stop();
        } finally {
          cleanUp();
        }
      },
    };
  } catch (err) {
    cleanUp();
    throw err;
  }
});
