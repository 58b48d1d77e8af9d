import { randomBytes } from 'node:crypto';
import { access, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { In, IsNull, type EntityManager } from 'typeorm';
import type { Database } from '../db/database.js';
import { AppError, notFound } from '../errors/app-error.js';
import { AttachmentEntity, type Attachment } from './attachment.entity.js';

/** Keeps only what is safe in a download name: no folders, no control characters, a sane length. */
export function safeFileName(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/')).replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '_').trim();
  const clean = base.replace(/^\.+/, '').slice(-200);
  return clean || 'file';
}

/**
 * Files under DATA_DIR/attachments, named by random keys, never by what the sender called them. On
 * PostgreSQL, where several nodes serve together, the contents are also stored in the database with
 * the file's row: a node asked for a file another node received fetches it once into its own folder.
 */
export class AttachmentStore {
  private readonly fetching = new Map<string, Promise<string>>();

  constructor(private readonly db: Database, private readonly root: string) {}

  async save(owner: string, file: { fileName: string; mimeType: string; data: Buffer }): Promise<Attachment> {
    const storageKey = randomBytes(16).toString('hex');
    await this.writeLocal(storageKey, file.data);
    return this.db.write(async (tx) => {
      if (this.db.kind === 'postgres') await tx.sql('INSERT INTO attachment_contents (storage_key, data) VALUES (?, ?)', [storageKey, file.data]);
      return tx.manager.save(AttachmentEntity, {
        messageId: null, owner, fileName: safeFileName(file.fileName), mimeType: file.mimeType.toLowerCase().slice(0, 100),
        size: file.data.length, storageKey, createdAt: Date.now(),
      });
    });
  }

  /** The file's path on this node's disk, fetched from the database first if another node received it. */
  async localPath(storageKey: string): Promise<string> {
    const full = this.pathOf(storageKey);
    if (await access(full).then(() => true, () => false)) return full;
    if (this.db.kind !== 'postgres') throw notFound('File');
    let fetching = this.fetching.get(storageKey);
    if (!fetching) {
      fetching = this.fetch(storageKey).finally(() => this.fetching.delete(storageKey));
      this.fetching.set(storageKey, fetching);
    }
    return fetching;
  }

  /**
   * Files received before their contents went into the database (migration 0008) are only in the
   * folder of the node that received them. Each node offers the ones it holds, whole, at start, so any
   * node can read them from then on. Stops early when `stopping()` says so; resolves with how many it shared.
   */
  async shareLocalFiles(stopping: () => boolean): Promise<number> {
    if (this.db.kind !== 'postgres') return 0;
    let shared = 0;
    for (let after = 0; !stopping();) {
      const rows = (await this.db.manager.query(
        `SELECT a.id, a.storage_key, a.size FROM attachments a
         WHERE a.id > $1 AND NOT EXISTS (SELECT 1 FROM attachment_contents c WHERE c.storage_key = a.storage_key)
         ORDER BY a.id LIMIT 500`, [after])) as Array<{ id: number; storage_key: string; size: number }>;
      if (!rows.length) break;
      after = rows.at(-1)!.id;
      for (const row of rows) {
        if (stopping()) break;
        const data = await readFile(this.pathOf(row.storage_key)).catch(() => null);
        if (data?.length !== Number(row.size)) continue;
        await this.db.manager.query('INSERT INTO attachment_contents (storage_key, data) VALUES ($1, $2) ON CONFLICT DO NOTHING', [row.storage_key, data]);
        shared++;
      }
    }
    return shared;
  }

  private async fetch(storageKey: string): Promise<string> {
    const [row] = (await this.db.manager.query('SELECT data FROM attachment_contents WHERE storage_key = $1', [storageKey])) as Array<{ data: Buffer }>;
    if (!row) throw notFound('File');
    return this.writeLocal(storageKey, row.data);
  }

  /** Written under a temporary name and renamed, so a reader never finds half a file. */
  private async writeLocal(storageKey: string, data: Buffer): Promise<string> {
    const full = this.pathOf(storageKey);
    await mkdir(path.dirname(full), { recursive: true });
    const partial = `${full}.${randomBytes(6).toString('hex')}.part`;
    await writeFile(partial, data, { mode: 0o600 });
    await rename(partial, full);
    return full;
  }

  private pathOf(storageKey: string): string {
    return path.join(this.root, storageKey.slice(0, 2), storageKey);
  }

  /** Attaches uploads to a message inside its transaction; only the uploader's own, not yet used files qualify. */
  async link(manager: EntityManager, ids: number[], owner: string, messageId: number): Promise<Attachment[]> {
    const unique = [...new Set(ids)];
    if (!unique.length) return [];
    const found = await manager.find(AttachmentEntity, { where: { id: In(unique), owner, messageId: IsNull() }, order: { id: 'ASC' } });
    if (found.length !== unique.length) throw new AppError('validation_failed', 'An attachment id is unknown, already used, or not yours');
    await manager.update(AttachmentEntity, { id: In(unique) }, { messageId });
    return found.map((f) => ({ ...f, messageId }));
  }
}
