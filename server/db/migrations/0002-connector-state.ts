import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Durable per-channel state of connectors: IMAP checkpoints, update offsets, session markers. */
export class ConnectorState1795000000002 implements MigrationInterface {
  name = 'ConnectorState1795000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'connector_state',
      columns: [
        { name: 'channel_id', type: 'integer', isPrimary: true },
        { name: 'key', type: 'varchar', length: '200', isPrimary: true },
        { name: 'value', type: 'text' },
        { name: 'updated_at', type: 'bigint' },
      ],
      foreignKeys: [{ columnNames: ['channel_id'], referencedTableName: 'channels', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('connector_state');
  }
}
