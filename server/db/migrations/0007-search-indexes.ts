import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for substring search (`?q=` on contacts and conversations), which a B-tree cannot serve:
 * with 100,000 conversations and 1,000,000 messages a search that matches little read every row
 * (37–91 ms for contacts, 0.3–0.6 s for conversations; docs/performance.md, "Large databases").
 *
 * - SQLite: FTS5 tables with the trigram tokenizer over contacts (name, e-mail, phone) and message
 *   texts, external-content (the text is not stored twice) and kept in step by triggers. Queried
 *   with a phrase MATCH, which finds any substring of three characters or more, case-insensitively.
 * - PostgreSQL: pg_trgm GIN indexes on the very expressions the queries filter on
 *   (`LOWER(name) LIKE …`), so the queries stay as they are. Without the extension (not installed on
 *   the server) the indexes are skipped and search stays a scan.
 *
 * On SQLite, TypeORM rebuilds a table for most column changes (copy, drop, rename), which drops its
 * triggers: a later migration that does so on `contacts` or `messages` must create the triggers
 * below again and rebuild the index (`INSERT INTO contacts_search(contacts_search) VALUES ('rebuild')`).
 */
export class SearchIndexes1795000000007 implements MigrationInterface {
  name = 'SearchIndexes1795000000007';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'postgres') return this.upPostgres(q);
    await q.query(`CREATE VIRTUAL TABLE contacts_search USING fts5(name, email, phone, content='contacts', content_rowid='id', tokenize='trigram')`);
    await q.query(`CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts BEGIN
      INSERT INTO contacts_search (rowid, name, email, phone) VALUES (new.id, new.name, new.email, new.phone);
    END`);
    await q.query(`CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts BEGIN
      INSERT INTO contacts_search (contacts_search, rowid, name, email, phone) VALUES ('delete', old.id, old.name, old.email, old.phone);
    END`);
    await q.query(`CREATE TRIGGER contacts_search_update AFTER UPDATE OF name, email, phone ON contacts BEGIN
      INSERT INTO contacts_search (contacts_search, rowid, name, email, phone) VALUES ('delete', old.id, old.name, old.email, old.phone);
      INSERT INTO contacts_search (rowid, name, email, phone) VALUES (new.id, new.name, new.email, new.phone);
    END`);
    await q.query(`INSERT INTO contacts_search (contacts_search) VALUES ('rebuild')`);

    await q.query(`CREATE VIRTUAL TABLE messages_search USING fts5(text, content='messages', content_rowid='id', tokenize='trigram')`);
    await q.query(`CREATE TRIGGER messages_search_insert AFTER INSERT ON messages BEGIN
      INSERT INTO messages_search (rowid, text) VALUES (new.id, new.text);
    END`);
    await q.query(`CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN
      INSERT INTO messages_search (messages_search, rowid, text) VALUES ('delete', old.id, old.text);
    END`);
    await q.query(`CREATE TRIGGER messages_search_update AFTER UPDATE OF text ON messages BEGIN
      INSERT INTO messages_search (messages_search, rowid, text) VALUES ('delete', old.id, old.text);
      INSERT INTO messages_search (rowid, text) VALUES (new.id, new.text);
    END`);
    await q.query(`INSERT INTO messages_search (messages_search) VALUES ('rebuild')`);
  }

  private async upPostgres(q: QueryRunner): Promise<void> {
    // A failed CREATE EXTENSION would abort the migration's transaction; the savepoint keeps it alive.
    await q.query('SAVEPOINT search_trgm');
    try {
      await q.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
      await q.query('RELEASE SAVEPOINT search_trgm');
    } catch {
      await q.query('ROLLBACK TO SAVEPOINT search_trgm');
      return;
    }
    await q.query('CREATE INDEX ix_contacts_name_trgm ON contacts USING gin (LOWER(name) gin_trgm_ops)');
    await q.query('CREATE INDEX ix_contacts_email_trgm ON contacts USING gin (LOWER(email) gin_trgm_ops)');
    await q.query('CREATE INDEX ix_contacts_phone_trgm ON contacts USING gin (phone gin_trgm_ops)');
    await q.query('CREATE INDEX ix_messages_text_trgm ON messages USING gin (LOWER(text) gin_trgm_ops)');
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'postgres') {
      for (const ix of ['ix_messages_text_trgm', 'ix_contacts_phone_trgm', 'ix_contacts_email_trgm', 'ix_contacts_name_trgm']) await q.query(`DROP INDEX IF EXISTS ${ix}`);
      return;
    }
    for (const t of ['messages_search_update', 'messages_search_delete', 'messages_search_insert', 'contacts_search_update', 'contacts_search_delete', 'contacts_search_insert']) {
      await q.query(`DROP TRIGGER IF EXISTS ${t}`);
    }
    await q.query('DROP TABLE IF EXISTS messages_search');
    await q.query('DROP TABLE IF EXISTS contacts_search');
  }
}
