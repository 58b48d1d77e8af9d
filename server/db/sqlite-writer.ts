import type { DataSource, EntityManager } from 'typeorm';
import { ConcurrentPhase, RunAlone, type WriteRun } from './concurrent-phase.js';

/** One queued write: its work, and where its outcome goes once the batch it ran in has committed (or not). */
interface QueuedWrite {
  work(manager: EntityManager, run: WriteRun): Promise<unknown>;
  /** May run side by side with the other concurrent writes of its batch (it claims what it changes). */
  concurrent: boolean;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

interface Done {
  write: QueuedWrite;
  value: unknown;
}

/**
 * SQLite's single writer with group commit. Writes queue up while a transaction runs; the next
 * transaction then runs all of them (up to `maxBatch`) and commits once. A write's promise settles
 * only after that commit, so nothing is reported stored before it is.
 *
 * Each statement's answer comes back through the event loop, and on a busy hub a turn of it is the
 * writer's real cost: run one after another, a batch of n ingests takes 2n + 2 turns. So the writes
 * marked concurrent run side by side first (a few turns for all of them, see `ConcurrentPhase`), then
 * the others, one after another.
 *
 * When a write throws, the transaction is rolled back and that write fails. The writes that ran before
 * it run again and commit in a transaction of their own; the ones not yet run go back to the head of
 * the queue. Writes are re-runnable already (they are retried on conflicts), and this keeps the common
 * case free of a savepoint per write.
 */
export class SqliteWriter {
  private queue: QueuedWrite[] = [];
  private draining = false;

  constructor(private readonly source: DataSource, private readonly maxBatch = 64) {}

  run<T>(work: (manager: EntityManager, run: WriteRun) => Promise<T>, concurrent = false): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, concurrent, resolve: resolve as (v: unknown) => void, reject });
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
    const done: Done[] = [];
    let failed: { write: QueuedWrite; err: unknown; notRun: QueuedWrite[] } | null = null;
    try {
      await runner.startTransaction();
      const together = batch.filter((w) => w.concurrent);
      let alone = batch.filter((w) => !w.concurrent);
      if (together.length > 1) {
        const phase = await this.concurrently(runner.manager, together);
        done.push(...phase.done);
        alone = [...phase.alone, ...alone];
        if (phase.failed) failed = { ...phase.failed, notRun: alone };
      } else {
        alone = [...together, ...alone];
      }
      for (const [at, write] of failed ? [] : alone.entries()) {
        try {
          done.push({ write, value: await write.work(runner.manager, { phase: null, seq: null }) });
        } catch (err) {
          failed = { write, err, notRun: alone.slice(at + 1) };
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
      for (const d of done) d.write.resolve(d.value);
      return;
    }
    failed.write.reject(failed.err);
    this.queue.unshift(...failed.notRun);
    // The writes that ran commit now, on their own: queued again in front of the rest, they would be
    // run once more for every later failure of the batch (dialogs that five operators take at once
    // fail four times in five).
    if (done.length) await this.commit(done.map((d) => d.write));
  }

  /**
   * Runs the writes side by side. Those that finished are returned in the order of the event each
   * appended (none first), so events are published in sequence order; those that must run alone are
   * handed back. A write that failed fails the phase; the others then count as run.
   */
  private async concurrently(manager: EntityManager, writes: QueuedWrite[]) {
    const phase = new ConcurrentPhase();
    const runs: WriteRun[] = writes.map(() => ({ phase, seq: null }));
    const settled = await Promise.allSettled(writes.map((w, i) => w.work(manager, runs[i]!)));
    const done: Array<Done & { seq: number }> = [];
    const alone: QueuedWrite[] = [];
    let failed: { write: QueuedWrite; err: unknown } | null = null;
    settled.forEach((s, i) => {
      const write = writes[i]!;
      if (s.status === 'fulfilled') done.push({ write, value: s.value, seq: runs[i]!.seq ?? 0 });
      else if (s.reason instanceof RunAlone) alone.push(write);
      else if (failed) alone.push(write);
      else failed = { write, err: s.reason };
    });
    done.sort((a, b) => a.seq - b.seq);
    return { done, alone, failed: failed as { write: QueuedWrite; err: unknown } | null };
  }
}
