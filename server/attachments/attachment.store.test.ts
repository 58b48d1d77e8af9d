import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresAvailable } from '../../tests/helpers/postgres.js';
import { Database } from '../db/database.js';
import { AttachmentStore, safeFileName } from './attachment.store.js';

describe('safeFileName', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\windows\\system.ini', 'system.ini'],
    ['report "final".pdf', 'report _final_.pdf'],
    ['.htaccess', 'htaccess'],
    ['', 'file'],
    ['a\u0000b.txt', 'a_b.txt'],
  ])('%j → %j', (input, expected) => expect(safeFileName(input)).toBe(expected));

  it('keeps the end of an overlong name, where the extension is', () => {
    expect(safeFileName('x'.repeat(300) + '.png')).toHaveLength(200);
    expect(safeFileName('x'.repeat(300) + '.png').endsWith('.png')).toBe(true);
  });
});

const databases = ['sqlite', ...((await postgresAvailable()) ? ['postgres' as const] : [])] as const;

/** Two nodes: one database, each its own data folder. */
describe.each(databases)('files read by another node (%s)', (kind) => {
  let db: Database;
  let pgDb: { url: string; drop(): Promise<void> } | null = null;
  const work = mkdtempSync(path.join(tmpdir(), 'omniline-files-'));
  const nodeA = () => new AttachmentStore(db, path.join(work, 'a'));
  const nodeB = () => new AttachmentStore(db, path.join(work, 'b'));
  const data = Buffer.from([0, 1, 2, 255, ...Buffer.from(' a PDF, say\n')]);

  beforeAll(async () => {
    pgDb = kind === 'postgres' ? await createTestDatabase() : null;
    db = await Database.open(pgDb ? { kind: 'postgres', url: pgDb.url } : { kind: 'sqlite', file: path.join(work, 'db.sqlite') });
  });
  afterAll(async () => {
    await db?.close();
    await pgDb?.drop();
    rmSync(work, { recursive: true, force: true });
  });

  it('reads a file back on the node that received it', async () => {
    const a = nodeA();
    const saved = await a.save('user:1', { fileName: 'x.pdf', mimeType: 'application/pdf', data });
    expect(readFileSync(await a.localPath(saved.storageKey))).toEqual(data);
  });

  if (kind === 'postgres') {
    it('fetches a file another node received, once, into its own folder, whole', async () => {
      const saved = await nodeA().save('user:1', { fileName: 'x.pdf', mimeType: 'application/pdf', data });
      const b = nodeB();
      const paths = await Promise.all([b.localPath(saved.storageKey), b.localPath(saved.storageKey), b.localPath(saved.storageKey)]);
      expect(new Set(paths).size).toBe(1);
      expect(paths[0]!.startsWith(path.join(work, 'b'))).toBe(true);
      expect(readFileSync(paths[0]!)).toEqual(data);
      // No temporary file is left beside it.
      expect(readdirSync(path.dirname(paths[0]!))).toEqual([saved.storageKey]);
    });

    it('stores no contents for an upload whose row is not stored', async () => {
      const before = (await db.manager.query('SELECT COUNT(*) AS n FROM attachment_contents')) as Array<{ n: string }>;
      await expect(nodeA().save('x'.repeat(500), { fileName: 'x.pdf', mimeType: 'application/pdf', data })).rejects.toThrow();
      const after = (await db.manager.query('SELECT COUNT(*) AS n FROM attachment_contents')) as Array<{ n: string }>;
      expect(after[0]!.n).toBe(before[0]!.n);
    });

    it('shares, at start, the whole files a node received before contents went into the database', async () => {
      const [a, b] = [nodeA(), nodeB()];
      const old = await a.save('user:1', { fileName: 'old.pdf', mimeType: 'application/pdf', data });
      const cut = await a.save('user:1', { fileName: 'cut.pdf', mimeType: 'application/pdf', data });
      const elsewhere = await b.save('user:1', { fileName: 'elsewhere.pdf', mimeType: 'application/pdf', data });
      // As before migration 0008: rows and files, no contents. One file is half written on disk.
      await db.manager.query('DELETE FROM attachment_contents WHERE storage_key IN ($1, $2, $3)', [old.storageKey, cut.storageKey, elsewhere.storageKey]);
      writeFileSync(await a.localPath(cut.storageKey), data.subarray(0, 5));
      const c = new AttachmentStore(db, path.join(work, 'c'));
      await expect(c.localPath(old.storageKey)).rejects.toMatchObject({ code: 'not_found' });

      expect(await a.shareLocalFiles(() => true)).toBe(0);
      expect(await a.shareLocalFiles(() => false)).toBe(1);
      expect(readFileSync(await c.localPath(old.storageKey))).toEqual(data);
      await expect(c.localPath(cut.storageKey)).rejects.toMatchObject({ code: 'not_found' });
      await expect(c.localPath(elsewhere.storageKey)).rejects.toMatchObject({ code: 'not_found' });
      expect(await a.shareLocalFiles(() => false)).toBe(0);
      expect(await b.shareLocalFiles(() => false)).toBe(1);
      expect(readFileSync(await c.localPath(elsewhere.storageKey))).toEqual(data);
    });
  } else {
    it('shares nothing on SQLite: its one node holds every file', async () => {
      await nodeA().save('user:1', { fileName: 'x.pdf', mimeType: 'application/pdf', data });
      expect(await nodeA().shareLocalFiles(() => false)).toBe(0);
    });

    it('answers "not found" on another data folder: one SQLite node has one', async () => {
      const saved = await nodeA().save('user:1', { fileName: 'x.pdf', mimeType: 'application/pdf', data });
      await expect(nodeB().localPath(saved.storageKey)).rejects.toMatchObject({ code: 'not_found' });
    });
  }

  it('answers "not found" for a key nobody stored', async () => {
    await expect(nodeB().localPath('0'.repeat(32))).rejects.toMatchObject({ code: 'not_found' });
  });
});
