import type { DataSource, EntityManager } from 'typeorm';

/** One queued write: its work, and where its outcome goes once the batch it ran in has committed (or not). */
interface QueuedWrite {
  work(manager: EntityManager): Promise<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

/**
 * SQLite's single writer with group commit. Writes queue up while a transaction runs; the next
 * transaction then takes all of them (up to `maxBatch`), each inside a savepoint of its own, and
 * commits once. A write that fails rolls back to its savepoint and fails alone; the others commit.
 * A write's promise settles only after the commit, so nothing is reported stored before it is.
 *
 * Under load that turns a BEGIN/COMMIT pair and a WAL write per message into one per batch; a quiet
 * hub runs each write alone, as before.
 */
export class SqliteWriter {
  private queue: QueuedWrite[] = [];
  private draining = false;

  constructor(private readonly source: DataSource, private readonly maxBatch = 64) {}

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length) await this.commit(this.queue.splice(0, this.maxBatch));
    } finally {
      this.draining = false;
    }
  }

  private async commit(batch: QueuedWrite[]): Promise<void> {
    const runner = this.source.createQueryRunner();
    const settled: Array<() => void> = [];
    const failed = new Set<QueuedWrite>();
    try {
      await runner.startTransaction();
      for (const write of batch) {
        if (batch.length === 1) {
          const value = await write.work(runner.manager);
          settled.push(() => write.resolve(value));
          continue;
        }
        await runner.startTransaction();
        try {
          const value = await write.work(runner.manager);
          await runner.commitTransaction();
          settled.push(() => write.resolve(value));
        } catch (err) {
          await runner.rollbackTransaction();
          failed.add(write);
          write.reject(err);
        }
      }
      await runner.commitTransaction();
    } catch (err) {
      // The transaction as a whole failed (a lone write threw, the commit failed, a rollback to a
      // savepoint was refused): nothing of it is stored, so every write not yet failed fails with it.
      // A plain ROLLBACK ends the transaction with its savepoints; it fails only when SQLite already ended it.
      if (runner.isTransactionActive) await runner.query('ROLLBACK').catch(() => undefined);
      for (const write of batch) if (!failed.has(write)) write.reject(err);
      return;
    } finally {
      await runner.release();
    }
    for (const settle of settled) settle();
  }
}
