import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/clients.js';
import { startHub } from '../helpers/hub.js';
import { createTestDatabase, postgresAvailable } from '../helpers/postgres.js';

/**
 * A node upgraded past migration 0008 holds files whose contents are only in its own folder: its next
 * start puts them in the database, where every other node can read them.
 */
describe.runIf(await postgresAvailable())('files received before their contents went into the database', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'omniline-older-files-'));
  let db: { url: string; drop(): Promise<void> } | null = null;
  afterAll(async () => {
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('are shared by the node holding them when it starts', async () => {
    db = await createTestDatabase();
    const env = { DATABASE_URL: db.url };
    const first = await startHub({ env, dataDir });
    const data = Buffer.from('%PDF-1.4 an offer from last year');
    const saved = await first.hub.attachments.save('user:1', { fileName: 'offer.pdf', mimeType: 'application/pdf', data });
    const contents = (h: typeof first) => h.hub.db.manager.query('SELECT data FROM attachment_contents WHERE storage_key = $1', [saved.storageKey]) as Promise<Array<{ data: Buffer }>>;
    await first.hub.db.manager.query('DELETE FROM attachment_contents WHERE storage_key = $1', [saved.storageKey]);
    await first.stop();

    const again = await startHub({ env, dataDir });
    try {
      const [row] = await eventually(async () => ((await contents(again)).length ? await contents(again) : undefined), 'the file shared at start');
      expect(row!.data.equals(data)).toBe(true);
    } finally {
      await again.stop();
    }
  });
});
