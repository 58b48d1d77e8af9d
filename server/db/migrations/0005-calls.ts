import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Each operator's extension and (sealed) password on the PBX of a SIP channel: one per channel and user. */
export class Calls1795000000005 implements MigrationInterface {
  name = 'Calls1795000000005';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'sip_accounts',
      columns: [
        { name: 'channel_id', type: 'integer', isPrimary: true },
        { name: 'user_id', type: 'integer', isPrimary: true },
        { name: 'extension', type: 'varchar', length: '64' },
        { name: 'password_sealed', type: 'text' },
        { name: 'updated_at', type: 'bigint' },
      ],
      foreignKeys: [
        { columnNames: ['channel_id'], referencedTableName: 'channels', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
        { columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
      ],
      indices: [{ name: 'ix_sip_accounts_user', columnNames: ['user_id'] }],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('sip_accounts');
  }
}
