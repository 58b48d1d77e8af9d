import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Canned answers, colleagues invited to (or silently following) a dialog, and per-operator pins. */
export class Collaboration1795000000004 implements MigrationInterface {
  name = 'Collaboration1795000000004';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'canned_answers',
      columns: [
        { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        { name: 'line_id', type: 'integer', isNullable: true },
        { name: 'shortcut', type: 'varchar', length: '60' },
        { name: 'text', type: 'text' },
        { name: 'created_by', type: 'integer', isNullable: true },
        { name: 'created_at', type: 'bigint' },
      ],
      foreignKeys: [
        { columnNames: ['line_id'], referencedTableName: 'lines', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
        { columnNames: ['created_by'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'SET NULL' },
      ],
    }));
    await q.createTable(new Table({
      name: 'conversation_participants',
      columns: [
        { name: 'conversation_id', type: 'integer', isPrimary: true },
        { name: 'user_id', type: 'integer', isPrimary: true },
        { name: 'mode', type: 'varchar', length: '10' },
        { name: 'added_by', type: 'integer', isNullable: true },
        { name: 'added_at', type: 'bigint' },
      ],
      foreignKeys: [
        { columnNames: ['conversation_id'], referencedTableName: 'conversations', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
        { columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
      ],
      indices: [{ name: 'ix_participants_user', columnNames: ['user_id'] }],
    }));
    await q.createTable(new Table({
      name: 'conversation_pins',
      columns: [
        { name: 'user_id', type: 'integer', isPrimary: true },
        { name: 'conversation_id', type: 'integer', isPrimary: true },
        { name: 'pinned_at', type: 'bigint' },
      ],
      foreignKeys: [
        { columnNames: ['conversation_id'], referencedTableName: 'conversations', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
        { columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
      ],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['conversation_pins', 'conversation_participants', 'canned_answers']) await q.dropTable(t);
  }
}
