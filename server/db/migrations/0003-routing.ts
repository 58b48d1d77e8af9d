import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Routing: line settings, when each member last got a dialog, per-dialog flags, durable timers. */
export class Routing1795000000003 implements MigrationInterface {
  name = 'Routing1795000000003';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('lines', new TableColumn({ name: 'settings', type: 'text', default: `'{}'` }));
    await q.addColumn('line_members', new TableColumn({ name: 'last_assigned_at', type: 'bigint', isNullable: true }));
    await q.addColumn('conversations', new TableColumn({ name: 'flags', type: 'text', default: `'{}'` }));
    await q.createTable(new Table({
      name: 'timers',
      columns: [
        { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        { name: 'kind', type: 'varchar', length: '30' },
        { name: 'conversation_id', type: 'integer' },
        { name: 'due_at', type: 'bigint' },
        { name: 'payload', type: 'text' },
      ],
      uniques: [{ name: 'uq_timers_kind_conversation', columnNames: ['kind', 'conversation_id'] }],
      indices: [{ name: 'ix_timers_due', columnNames: ['due_at'] }],
      foreignKeys: [{ columnNames: ['conversation_id'], referencedTableName: 'conversations', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('timers');
    await q.dropColumn('conversations', 'flags');
    await q.dropColumn('line_members', 'last_assigned_at');
    await q.dropColumn('lines', 'settings');
  }
}
