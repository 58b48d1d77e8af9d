import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

const pk = (name = 'id'): TableColumnOptions => ({ name, type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' });
const int = (name: string, isNullable = false, dflt?: number): TableColumnOptions => ({ name, type: 'integer', isNullable, ...(dflt === undefined ? {} : { default: dflt }) });
const time = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable });
const str = (name: string, length: number, isNullable = false, dflt?: string): TableColumnOptions => ({
  name, type: 'varchar', length: String(length), isNullable, ...(dflt === undefined ? {} : { default: `'${dflt}'` }),
});
const txt = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'text', isNullable });
const bool = (name: string, dflt: boolean): TableColumnOptions => ({ name, type: 'boolean', default: dflt ? 'true' : 'false' });
const fk = (column: string, table: string, onDelete: 'CASCADE' | 'SET NULL' | 'RESTRICT' = 'CASCADE') => ({
  columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'], onDelete,
});

/** The core schema. Written with TypeORM's portable table API so SQLite and PostgreSQL get the same shape. */
export class InitialSchema1795000000001 implements MigrationInterface {
  name = 'InitialSchema1795000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'users',
      columns: [pk(), str('email', 320), str('name', 200), txt('password_hash'), str('role', 20), str('presence', 20, false, 'offline'),
        int('max_open_dialogs', false, 10), time('created_at')],
      uniques: [{ name: 'uq_users_email', columnNames: ['email'] }],
    }));
    await q.createTable(new Table({
      name: 'sessions',
      columns: [{ ...str('token_hash', 64), isPrimary: true }, int('user_id'), str('csrf_token', 64), time('created_at'), time('expires_at')],
      foreignKeys: [fk('user_id', 'users')],
      indices: [{ name: 'ix_sessions_user', columnNames: ['user_id'] }],
    }));
    await q.createTable(new Table({
      name: 'lines',
      columns: [pk(), str('name', 200), bool('crm_create_lead', true), str('crm_source_name', 200, false, ''), time('created_at')],
    }));
    await q.createTable(new Table({
      name: 'line_members',
      columns: [{ ...int('line_id'), isPrimary: true }, { ...int('user_id'), isPrimary: true }, int('position', false, 0)],
      foreignKeys: [fk('line_id', 'lines'), fk('user_id', 'users')],
      indices: [{ name: 'ix_line_members_user', columnNames: ['user_id'] }],
    }));
    await q.createTable(new Table({
      name: 'channels',
      columns: [pk(), str('type', 30), str('name', 200), int('line_id'), bool('enabled', true), txt('settings_sealed'),
        str('public_key', 64, true), str('status', 20, false, 'stopped'), str('status_reason', 500, true), time('created_at')],
      uniques: [{ name: 'uq_channels_public_key', columnNames: ['public_key'] }],
      foreignKeys: [fk('line_id', 'lines', 'RESTRICT')],
    }));
    await q.createTable(new Table({
      name: 'contacts',
      columns: [pk(), str('name', 200), str('email', 320, true), str('phone', 40, true), time('created_at'), time('updated_at')],
      indices: [{ name: 'ix_contacts_email', columnNames: ['email'] }, { name: 'ix_contacts_phone', columnNames: ['phone'] }],
    }));
    await q.createTable(new Table({
      name: 'contact_identities',
      columns: [pk(), int('contact_id'), str('channel_type', 30), str('external_id', 320)],
      uniques: [{ name: 'uq_identity', columnNames: ['channel_type', 'external_id'] }],
      foreignKeys: [fk('contact_id', 'contacts')],
      indices: [{ name: 'ix_identities_contact', columnNames: ['contact_id'] }],
    }));
    await q.createTable(new Table({
      name: 'leads',
      columns: [pk(), int('contact_id'), int('line_id', true), str('title', 300), str('status', 20), str('source', 200),
        int('responsible_id', true), time('created_at'), time('updated_at')],
      foreignKeys: [fk('contact_id', 'contacts'), fk('line_id', 'lines', 'SET NULL'), fk('responsible_id', 'users', 'SET NULL')],
      indices: [{ name: 'ix_leads_contact', columnNames: ['contact_id'] }, { name: 'ix_leads_status', columnNames: ['status', 'id'] }],
    }));
    await q.createTable(new Table({
      name: 'conversations',
      columns: [pk(), int('line_id'), int('channel_id'), int('contact_id'), str('contact_external_id', 320), str('thread_key', 500, false, ''), str('status', 20), int('assignee_id', true),
        str('last_message_preview', 200, false, ''), time('last_message_at'), time('waiting_since', true), int('unread_count', false, 0),
        time('first_reply_at', true), time('closed_at', true), time('created_at'), time('updated_at')],
      foreignKeys: [fk('line_id', 'lines', 'RESTRICT'), fk('channel_id', 'channels', 'RESTRICT'), fk('contact_id', 'contacts', 'RESTRICT'),
        fk('assignee_id', 'users', 'SET NULL')],
      indices: [
        { name: 'ix_conversations_activity', columnNames: ['last_message_at', 'id'] },
        { name: 'ix_conversations_line_status', columnNames: ['line_id', 'status', 'last_message_at'] },
        { name: 'ix_conversations_assignee', columnNames: ['assignee_id', 'status'] },
        { name: 'ix_conversations_contact', columnNames: ['contact_id'] },
      ],
    }));
    // One live dialog per contact, channel and thread: the database, not a lock, keeps concurrent first messages from opening two.
    await q.createIndex('conversations', new TableIndex({
      name: 'uq_conversations_live', columnNames: ['channel_id', 'contact_id', 'thread_key'], isUnique: true, where: "status <> 'closed'",
    }));
    await q.createTable(new Table({
      name: 'messages',
      columns: [pk(), int('conversation_id'), int('channel_id'), str('direction', 3), str('visibility', 10), str('kind', 10),
        int('author_id', true), txt('text'), txt('html', true), str('external_id', 500, true), str('delivery_status', 10, true),
        str('delivery_error', 1000, true), txt('meta'), time('created_at')],
      uniques: [{ name: 'uq_messages_external', columnNames: ['channel_id', 'external_id'] }],
      foreignKeys: [fk('conversation_id', 'conversations'), fk('author_id', 'users', 'SET NULL')],
      indices: [{ name: 'ix_messages_conversation', columnNames: ['conversation_id', 'id'] }],
    }));
    await q.createTable(new Table({
      name: 'attachments',
      columns: [pk(), int('message_id', true), str('owner', 400), str('file_name', 255), str('mime_type', 100), int('size', false, 0),
        str('storage_key', 100), time('created_at')],
      foreignKeys: [fk('message_id', 'messages')],
      indices: [{ name: 'ix_attachments_message', columnNames: ['message_id'] }],
    }));
    await q.createTable(new Table({
      name: 'outbox',
      columns: [pk(), int('message_id'), int('channel_id'), int('attempts', false, 0), time('next_attempt_at'), time('locked_until', true),
        str('last_error', 1000, true), time('created_at')],
      uniques: [{ name: 'uq_outbox_message', columnNames: ['message_id'] }],
      foreignKeys: [fk('message_id', 'messages')],
      indices: [{ name: 'ix_outbox_due', columnNames: ['next_attempt_at'] }],
    }));
    await q.createTable(new Table({
      name: 'events',
      columns: [pk('seq'), str('type', 50), int('line_id', true), int('conversation_id', true), int('assignee_id', true),
        int('prev_assignee_id', true), int('actor_id', true), txt('payload'), time('created_at')],
      indices: [{ name: 'ix_events_conversation', columnNames: ['conversation_id', 'seq'] }],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['events', 'outbox', 'attachments', 'messages', 'conversations', 'leads', 'contact_identities', 'contacts',
      'channels', 'line_members', 'lines', 'sessions', 'users']) {
      await q.dropTable(t);
    }
  }
}
