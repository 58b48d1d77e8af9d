import { existsSync } from 'node:fs';
import wwebjs from 'whatsapp-web.js';
import type { WorkerConfig } from './protocol.js';

const { Client, LocalAuth, MessageMedia } = wwebjs;

/**
 * The production client module the worker loads: whatsapp-web.js with LocalAuth (the session lives in
 * DATA_DIR, so a restart needs no new QR) and the system's headless Chromium (puppeteer's own download is
 * disabled in this project).
 */
export function createClient(config: WorkerConfig) {
  if (!existsSync(config.chromiumPath)) {
    throw new Error(`Chromium not found at ${config.chromiumPath}: install it (apt-get install chromium) or set the path in the channel settings`);
  }
  return new Client({
    authStrategy: new LocalAuth({ clientId: config.clientId, dataPath: config.dataPath }),
    puppeteer: {
      executablePath: config.chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-setuid-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--no-first-run'],
    },
    // Keep QR codes coming while an admin has the page open: 0 = no limit.
    qrMaxRetries: 0,
    takeoverOnConflict: true,
  });
}

export function createMedia(mimetype: string, base64: string, filename: string) {
  return new MessageMedia(mimetype, base64, filename);
}
