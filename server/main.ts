import { ConfigError, loadConfig } from '../config/load.js';
import { createHub } from './hub.js';

/** `npm start`: one process, SQLite under DATA_DIR unless DATABASE_URL says otherwise. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const hub = await createHub(config);
  const { url, boot } = await hub.start();
  const publicUrl = config.publicUrl;
  hub.logger.info({ url, database: hub.db.kind }, 'Omniline is running');
  console.log(`\n  Omniline is running at ${publicUrl}  (listening on ${url})`);
  console.log(`  Sample site with the chat widget: ${publicUrl}/demo`);
  if (boot.generatedPassword) {
    console.log(`  Admin login: ${boot.adminEmail} / ${boot.generatedPassword}`);
    console.log(`  (shown once; also saved to ${config.dataDir}/initial-admin-password — change it after signing in)\n`);
  } else {
    console.log(`  Admin login: ${boot.adminEmail} (password: HUB_ADMIN_PASSWORD, or ${config.dataDir}/initial-admin-password from the first start)\n`);
  }
  let signals = 0;
  const shutdown = (signal: string) => {
    if (++signals > 1) process.exit(1);
    hub.logger.info({ signal }, 'shutting down');
    hub.stop().then(() => process.exit(0), (err) => {
      hub.logger.error({ err }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  console.error('Omniline failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
