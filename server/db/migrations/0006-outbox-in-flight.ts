import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Marks an outbox item whose send has begun, so a send cut off by a crash is never repeated blindly. */
export class OutboxInFlight1795000000006 implements MigrationInterface {
  name = 'OutboxInFlight1795000000006';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('outbox', new TableColumn({ name: 'send_started_at', type: 'bigint', isNullable: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('outbox', 'send_started_at');
  }
}
