import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * File contents in the database, on PostgreSQL only: there several nodes serve together, and a file
 * received by one must be readable by the others without a shared file system. Each node keeps the
 * files it has read in its own DATA_DIR as a cache. SQLite is one node, whose data folder is the store.
 */
export class AttachmentContents1795000000008 implements MigrationInterface {
  name = 'AttachmentContents1795000000008';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    await q.query('CREATE TABLE attachment_contents (storage_key VARCHAR(100) PRIMARY KEY, data BYTEA NOT NULL)');
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    await q.query('DROP TABLE attachment_contents');
  }
}
