import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../config/load.js';
import { createHub } from '../hub.js';
import { renderApiDocs } from './api-docs.js';

/** `npm run docs:api`: writes docs/api.md from the live route definitions. */
const dir = mkdtempSync(path.join(tmpdir(), 'omniline-docs-'));
const hub = await createHub(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' }), { logger: pino({ level: 'silent' }) });
writeFileSync(path.resolve('docs/api.md'), renderApiDocs(hub.openapi as never));
await hub.db.close();
rmSync(dir, { recursive: true, force: true });
console.log('docs/api.md written');
