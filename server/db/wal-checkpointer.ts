import sqlite3 from 'sqlite3';

/**
 * Moves SQLite's write-ahead log into the database file from a connection of its own, on a timer.
 * Left to SQLite, the checkpoint runs inside whichever COMMIT crosses 1,000 WAL pages, and with it the
 * fsync of the database file: every write queued behind that commit waits tens of milliseconds. From
 * here it runs on a worker thread beside the writer, which keeps appending to the log meanwhile.
 */
export class WalCheckpointer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  private constructor(private readonly connection: sqlite3.Database, private readonly everyMs: number) {}

  static async open(file: string, everyMs = 1000): Promise<WalCheckpointer> {
    const connection = await new Promise<sqlite3.Database>((resolve, reject) => {
      const c = new sqlite3.Database(file, (err) => (err ? reject(err) : resolve(c)));
    });
    const checkpointer = new WalCheckpointer(connection, everyMs);
    await checkpointer.exec('PRAGMA busy_timeout = 5000');
    return checkpointer;
  }

  start(): void {
    this.timer = setInterval(() => void this.checkpoint(), this.everyMs);
    this.timer.unref();
  }

  /** A passive checkpoint: copies what it can without waiting for readers or blocking the writer. */
  checkpoint(): Promise<void> {
    this.running ??= this.exec('PRAGMA wal_checkpoint(PASSIVE)').catch(() => undefined).finally(() => (this.running = null));
    return this.running;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await new Promise<void>((resolve) => this.connection.close(() => resolve()));
  }

  private exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => this.connection.all(sql, (err) => (err ? reject(err) : resolve())));
  }
}
