import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { In, IsNull, type EntityManager } from 'typeorm';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { AttachmentEntity, type Attachment } from './attachment.entity.js';

/** Keeps only what is safe in a download name: no folders, no control characters, a sane length. */
export function safeFileName(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/')).replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '_').trim();
  const clean = base.replace(/^\.+/, '').slice(-200);
  return clean || 'file';
}

/** Files on local disk under DATA_DIR/attachments, named by random keys, never by what the sender called them. */
export class AttachmentStore {
  constructor(private readonly db: Database, private readonly root: string) {}

  async save(owner: string, file: { fileName: string; mimeType: string; data: Buffer }): Promise<Attachment> {
    const storageKey = randomBytes(16).toString('hex');
    const full = this.pathOf(storageKey);
    await mkdir(path.dirname(full), { recursive: true });
    await writeFile(full, file.data, { mode: 0o600 });
    return this.db.write((tx) =>
      tx.manager.save(AttachmentEntity, {
        messageId: null, owner, fileName: safeFileName(file.fileName), mimeType: file.mimeType.toLowerCase().slice(0, 100),
        size: file.data.length, storageKey, createdAt: Date.now(),
      }),
    );
  }

  pathOf(storageKey: string): string {
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
