import type { DataSource, EntityManager } from 'typeorm';

/** One queued write: its work, and where its outcome goes once the batch it ran in has committed (or not). */
interface QueuedWrite {
  work(manager: EntityManager): Promise<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

/**
 * SQLite's single writer with group commit. Writes queue up while a transaction runs; the next
 * transaction then runs all of them (up to `maxBatch`) one after another and commits once. A write's
 * promise settles only after that commit, so nothing is reported stored before it is.
 *
 * When a write throws, the transaction is rolled back: that write fails (it ran after the ones before
 * it, as it would have alone), the ones before it run again and commit in a transaction of their own,
 * and the ones after it go back to the head of the queue. Writes are re-runnable already (they are
 * retried on conflicts), and this keeps the common case free of a savepoint per write.
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
    const values: unknown[] = [];
    let failed: { at: number; err: unknown } | null = null;
    try {
      await runner.startTransaction();
      for (const [at, write] of batch.entries()) {
        try {
          values.push(await write.work(runner.manager));
        } catch (err) {
          failed = { at, err };
          break;
        }
      }
      if (failed) await runner.rollbackTransaction();
      else await runner.commitTransaction();
    } catch (err) {
      // BEGIN, COMMIT or ROLLBACK itself failed: nothing of the batch is stored. A plain ROLLBACK
      // fails only when SQLite has already ended the transaction.
      if (runner.isTransactionActive) await runner.query('ROLLBACK').catch(() => undefined);
      for (const write of batch) write.reject(err);
      return;
    } finally {
      await runner.release();
    }
    if (!failed) {
      batch.forEach((write, i) => write.resolve(values[i]));
      return;
    }
    batch[failed.at]!.reject(failed.err);
    this.queue.unshift(...batch.slice(failed.at + 1));
    // The writes before the failed one commit now, on their own: queued again in front of the rest,
    // they would be run once more for every later failure of the batch (dialogs that five operators
    // take at once fail four times in five).
    if (failed.at > 0) await this.commit(batch.slice(0, failed.at));
  }
}
