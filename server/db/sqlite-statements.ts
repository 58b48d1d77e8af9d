import type sqlite3 from 'sqlite3';

/**
 * Prepared statements kept per SQL text on the one SQLite connection. node-sqlite3 prepares a new
 * statement for every call otherwise, which costs about as much main-thread time as running it; the
 * hot paths (ingest, the event log) run the same few texts thousands of times a second.
 */
export class SqliteStatements {
  private readonly cache = new Map<string, Promise<sqlite3.Statement>>();

  constructor(private readonly db: sqlite3.Database, private readonly max = 256) {}

  async all<R>(text: string, params: unknown[] = []): Promise<R[]> {
    const statement = await this.statement(text);
    return new Promise((resolve, reject) => statement.all(params, (err: Error | null, rows: R[]) => (err ? reject(err) : resolve(rows))));
  }

  /** Runs a write; `lastID` is the rowid an INSERT made. */
  async run(text: string, params: unknown[] = []): Promise<{ lastID: number; changes: number }> {
    const statement = await this.statement(text);
    return new Promise((resolve, reject) =>
      statement.run(params, function (this: sqlite3.RunResult, err: Error | null) {
        if (err) reject(err);
        else resolve({ lastID: this.lastID, changes: this.changes });
      }),
    );
  }

  /** Finalizes every kept statement (before the connection closes). */
  async clear(): Promise<void> {
    const all = [...this.cache.values()];
    this.cache.clear();
    await Promise.all(all.map(finalize));
  }

  private statement(text: string): Promise<sqlite3.Statement> {
    const kept = this.cache.get(text);
    if (kept) {
      // Most recently used last, so the oldest is the one evicted.
      this.cache.delete(text);
      this.cache.set(text, kept);
      return kept;
    }
    // A statement whose prepare failed never answers later calls: the failure is the answer, and it is not kept.
    const prepared = new Promise<sqlite3.Statement>((resolve, reject) => {
      const statement = this.db.prepare(text, (err: Error | null) => (err ? reject(err) : resolve(statement)));
    });
    prepared.catch(() => this.cache.get(text) === prepared && this.cache.delete(text));
    this.cache.set(text, prepared);
    if (this.cache.size > this.max) {
      const [oldestText, oldest] = this.cache.entries().next().value!;
      this.cache.delete(oldestText);
      void finalize(oldest);
    }
    return prepared;
  }
}

/** Finalizes a statement once prepared; one that failed to prepare has nothing to finalize. */
function finalize(prepared: Promise<sqlite3.Statement>): Promise<void> {
  return prepared.then((s) => new Promise<void>((resolve) => s.finalize(() => resolve())), () => undefined);
}
